/**
 * HostTransport over the SimHost: a client's request is injected into the simulated network and
 * the simulation runs (synchronously, in virtual time) until the reply arrives or the request's
 * timeout passes. Produce travels as a `Produce` message carrying the batch bytes; there is no
 * tail to read in place (consumers fetch). `simulator` and `faults` are the SimHost itself.
 */
import type { ActorId, Message, BehaviorRegistry } from '../runtime/actor.js';
import type { ClientRequest, ClusterPlan, HostTransport, TailReader } from '../runtime/transport.js';
import { RivuletError, ErrorCode } from '../runtime/errors.js';
import type { Produce } from '../../actors/messages.js';
import { clientActorId } from '../runtime/actor-ids.js';
import { Subscribers } from '../runtime/subscribers.js';
import { SimHost, type SimOptions } from './sim-host.js';

export class SimTransport implements HostTransport {
  readonly clientId: ActorId;
  private reqSeq = 1;
  private readonly replies = new Map<number, Message>();
  private readonly waiting = new Set<number>();
  private readonly events = new Subscribers<Message>();
  private closed = false;

  constructor(readonly sim: SimHost, clientId = clientActorId(1)) {
    this.clientId = clientId;
    sim.registerClient(clientId, (msg) => {
      const reqId = (msg as { reqId?: number }).reqId;
      // Keep only replies someone waits for (a duplicated reply to a finished request is dropped).
      if (typeof reqId === 'number' && msg.type !== 'StatusEvent') {
        if (this.waiting.has(reqId) && !this.replies.has(reqId)) this.replies.set(reqId, msg);
      }
      else this.events.emit(msg);
    });
  }

  get faults(): SimHost {
    return this.sim;
  }

  get simulator(): SimHost {
    return this.sim;
  }

  nextReqId(): number {
    return this.reqSeq++;
  }

  private await<R extends Message>(reqId: number, timeoutMs: number, what: string): R {
    if (this.closed) throw new RivuletError(ErrorCode.CLUSTER_CLOSED, 'cluster is shut down');
    this.sim.runUntil(() => this.replies.has(reqId), timeoutMs);
    const r = this.replies.get(reqId);
    this.replies.delete(reqId);
    this.waiting.delete(reqId);
    if (!r) throw new RivuletError(ErrorCode.TIMEOUT, `${what} timed out after ${timeoutMs} ms (virtual)`, { reqId });
    return r as R;
  }

  /**
   * Let other client code run first (a macrotask turn). The simulation runs synchronously inside a
   * call, so without this a client that polls in a loop (a consumer long-polling an empty
   * partition) would never let anything else — a producer, the test — take a turn.
   */
  private yieldTurn(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }

  async request<R extends Message>(to: ActorId, msg: ClientRequest, timeoutMs: number): Promise<R> {
    await this.yieldTurn();
    this.waiting.add(msg.reqId);
    this.sim.inject(this.clientId, to, msg);
    return this.await<R>(msg.reqId, timeoutMs, `${msg.type} to ${to}`);
  }

  send(to: ActorId, msg: Message): void {
    this.sim.inject(this.clientId, to, msg);
  }

  onEvent(handler: (msg: Message) => void): () => void {
    return this.events.add(handler);
  }

  async produce(to: ActorId, batch: Uint8Array, acks: 0 | 1 | 'all', timeoutMs: number): Promise<Message | undefined> {
    await this.yieldTurn();
    const reqId = this.nextReqId();
    if (acks !== 0) this.waiting.add(reqId);
    const msg: Produce = { type: 'Produce', reqId, replyTo: this.clientId, acks, batch };
    this.sim.inject(this.clientId, to, msg);
    if (acks === 0) return undefined;
    return this.await(reqId, timeoutMs, `Produce to ${to}`);
  }

  tailReader(): TailReader | undefined {
    return undefined;
  }

  now(): number {
    return this.sim.now();
  }

  /** Runs the simulation for `ms` of virtual time, or until `wake` is aborted (by an event, say). */
  async sleep(ms: number, wake?: AbortSignal): Promise<void> {
    await this.yieldTurn();
    if (wake) this.sim.runUntil(() => wake.aborted, ms);
    else this.sim.runFor(ms);
  }

  threadCount(): number {
    return 0;
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    this.sim.stopAll();
  }
}

/** Start a simulated cluster from a plan: the SC and every SPU actor in one SimHost. */
export function startSimCluster(plan: ClusterPlan, opts: Omit<SimOptions, 'behaviors'> & { behaviors: BehaviorRegistry }): SimTransport {
  const sim = new SimHost(opts);
  sim.spawn({ id: plan.sc.id, behavior: plan.sc.behavior, args: plan.sc.args, spuId: 0 });
  for (const s of plan.spus) sim.spawn({ id: s.id, behavior: s.behavior, args: s.args, spuId: s.spuId });
  return new SimTransport(sim);
}
