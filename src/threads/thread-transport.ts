/**
 * HostTransport over the ThreadHost (main thread): request and produce bookkeeping only — the
 * host owns everything posted to workers. Admin/fetch requests travel as actor messages through
 * `host.route`; produce batches go into the target worker's produce lane (host.laneOf: its SAB
 * produce ring, backpressure mode, doorbells coalesced per tick); replies come back as batched
 * envelopes through the host's events. In-place consumers read replicas' tail rings through
 * RingTailReader (tail-reader.ts).
 *
 * Invariants:
 * - Every pending request/produce settles exactly once: reply, error, timeout, SPU loss or
 *   shutdown (CLUSTER_CLOSED).
 * - At most `maxInFlight` produce requests are pending; more wait (backpressure).
 * - Frames enter a worker's produce ring in call order (a queue forms once one waits for room),
 *   so a partition's batches are never reordered on the way in.
 */
import type { ActorId, BehaviorRegistry, Message } from '../runtime/actor.js';
import type { ClientRequest, ClusterPlan, HostFaults, HostTransport, TailReader, WorkerStats } from '../runtime/transport.js';
import { RivuletError, ErrorCode, fromPlainError, isPlainError } from '../runtime/errors.js';
import { Subscribers } from '../runtime/subscribers.js';
import { acksToCode, encodedTarget, produceFrameBytes, writeProduceFrame } from './produce-frame.js';
import type { ProduceLane } from './produce-lane.js';
import { RingTailReader } from './tail-reader.js';
import { ThreadHost, type ThreadHostOptions } from './thread-host.js';
import { MAIN_CLIENT_ID } from './envelope.js';
import type { Produce } from '../../actors/messages.js';

interface Pending {
  resolve(m: Message | undefined): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
  spuId: number | undefined;
}

export const TRANSPORT_LIMITS = { maxInFlight: 4096, spaceWaitSliceMs: 5 } as const;

export class ThreadTransport implements HostTransport {
  readonly clientId = MAIN_CLIENT_ID;
  private reqSeq = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly targets = new Map<string, Uint8Array>();
  private readonly events = new Subscribers<Message>();
  /** Produce calls waiting for the in-flight count to drop. */
  private settleWaiters: (() => void)[] = [];
  private closed = false;
  private readonly host: ThreadHost;

  private constructor(opts: ThreadHostOptions) {
    this.host = new ThreadHost(opts, {
      clientMessage: (_to, msg) => this.onClientMessage(msg),
      produceError: (reqId, error) => this.settle(reqId, undefined, isPlainError(error) ? fromPlainError(error) : new Error(String(error))),
      spuLost: (spuId) => this.failSpu(spuId),
    });
  }

  get faults(): HostFaults {
    return this.host;
  }

  static async start(plan: ClusterPlan, behaviors: BehaviorRegistry, opts: Omit<ThreadHostOptions, 'plan' | 'behaviors'>): Promise<ThreadTransport> {
    const t = new ThreadTransport({ ...opts, plan, behaviors });
    try {
      await t.host.start();
    } catch (err) {
      await t.shutdown();
      throw err;
    }
    return t;
  }

  nextReqId(): number {
    return this.reqSeq++;
  }

  private onClientMessage(msg: Message): void {
    const reqId = (msg as { reqId?: number }).reqId;
    if (msg.type !== 'StatusEvent' && typeof reqId === 'number' && this.pending.has(reqId)) {
      this.settle(reqId, msg);
      return;
    }
    this.events.emit(msg);
  }

  private settle(reqId: number, msg: Message | undefined, err?: Error): void {
    const p = this.pending.get(reqId);
    if (!p) return;
    this.pending.delete(reqId);
    clearTimeout(p.timer);
    if (err) p.reject(err);
    else p.resolve(msg);
    if (this.settleWaiters.length > 0) for (const w of this.settleWaiters.splice(0)) w();
  }

  private failSpu(spuId: number): void {
    const err = new RivuletError(ErrorCode.WORKER_EXITED, `SPU ${spuId} crashed before answering`, { spu: spuId });
    for (const [reqId, p] of [...this.pending]) if (p.spuId === spuId) this.settle(reqId, undefined, err);
  }

  private track(reqId: number, timeoutMs: number, what: string, spuId: number | undefined): Promise<Message | undefined> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => this.settle(reqId, undefined, new RivuletError(ErrorCode.TIMEOUT, `${what} timed out after ${timeoutMs} ms`, { reqId })),
        timeoutMs,
      );
      this.pending.set(reqId, { resolve, reject, timer, spuId });
    });
  }

  async request<R extends Message>(to: ActorId, msg: ClientRequest, timeoutMs: number): Promise<R> {
    if (this.closed) throw new RivuletError(ErrorCode.CLUSTER_CLOSED, 'cluster is shut down');
    const p = this.track(msg.reqId, timeoutMs, `${msg.type} to ${to}`, this.host.spuHosting(to));
    this.host.route(this.clientId, to, msg);
    return (await p) as R;
  }

  send(to: ActorId, msg: Message): void {
    this.host.route(this.clientId, to, msg);
  }

  onEvent(handler: (msg: Message) => void): () => void {
    return this.events.add(handler);
  }

  private target(to: string): Uint8Array {
    let t = this.targets.get(to);
    if (!t) this.targets.set(to, (t = encodedTarget(to)));
    return t;
  }

  async produce(to: ActorId, batch: Uint8Array, acks: 0 | 1 | 'all', timeoutMs: number): Promise<Message | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.closed) throw new RivuletError(ErrorCode.CLUSTER_CLOSED, 'cluster is shut down');
      const lane = this.host.laneOf(to);
      if (!lane) {
        throw new RivuletError(ErrorCode.NOT_LEADER, `replica ${to} is not running (SPU down or restarting)`, { replica: to });
      }
      if (this.host.blocks(this.clientId, to)) {
        throw new RivuletError(ErrorCode.NOT_LEADER, `replica ${to} is unreachable (its SPU is disconnected)`, { replica: to });
      }
      const target = this.target(to);
      const frameBytes = produceFrameBytes(target, batch.length);
      const track = (reqId: number) =>
        acks === 0 ? Promise.resolve(undefined) : this.track(reqId, Math.max(1, deadline - Date.now()), `Produce to ${to}`, lane.spuId);
      if (frameBytes > lane.maxFrameBytes) {
        // Too big for the ring: send it as a message (structured clone; rare, off the hot path).
        const reqId = this.nextReqId();
        const ack = track(reqId);
        const msg: Produce = { type: 'Produce', reqId, replyTo: this.clientId, acks, batch };
        this.host.route(this.clientId, to, msg);
        return ack;
      }
      // Reserve, fill, publish and start tracking in one synchronous step, so the ack can never
      // arrive untracked and frames cannot interleave.
      // (Returns a box: a bare promise returned from a .then callback would be adopted, making the
      // queue wait for this frame's ack instead of its placement.)
      const place = (): { ack: Promise<Message | undefined> } | null => {
        if (this.pending.size >= TRANSPORT_LIMITS.maxInFlight) return null;
        let reqId = 0;
        const placed = lane.place(frameBytes, (view) => {
          reqId = this.nextReqId();
          writeProduceFrame(view, reqId, acksToCode(acks), target, batch);
        });
        return placed ? { ack: track(reqId) } : null;
      };
      // Frames enter a worker's ring in call order: once one waits for room, later ones queue
      // behind it (otherwise a small later batch could overtake and reorder a partition).
      const placed = (!this.waitingFor.has(lane.worker) && place()) || (await this.placeInOrder(lane, frameBytes, place, deadline, timeoutMs, to));
      if (placed) return placed.ack;
      // The worker died while we waited: look the replica up again.
    }
  }

  /** Per worker: the tail of the queue of produce calls waiting for room. */
  private readonly waitingFor = new Map<number, Promise<unknown>>();

  private placeInOrder<T>(
    lane: ProduceLane, frameBytes: number, place: () => T | null, deadline: number, timeoutMs: number, to: string,
  ): Promise<T | null> {
    const prev = this.waitingFor.get(lane.worker) ?? Promise.resolve();
    const mine = prev.then(async () => {
      for (;;) {
        if (lane.exited) return null;
        const placed = place();
        if (placed) return placed;
        if (this.closed) throw new RivuletError(ErrorCode.CLUSTER_CLOSED, 'cluster is shut down');
        if (Date.now() > deadline) throw new RivuletError(ErrorCode.TIMEOUT, `produce to ${to}: no room to hand the batch over for ${timeoutMs} ms`);
        if (this.pending.size >= TRANSPORT_LIMITS.maxInFlight) await new Promise<void>((r) => this.settleWaiters.push(r));
        else await lane.waitForRoom(frameBytes, TRANSPORT_LIMITS.spaceWaitSliceMs); // woken by the worker's release()
      }
    });
    const tail = mine.then(() => undefined, () => undefined);
    this.waitingFor.set(lane.worker, tail);
    void tail.then(() => {
      if (this.waitingFor.get(lane.worker) === tail) this.waitingFor.delete(lane.worker);
    });
    return mine;
  }

  tailReader(replica: ActorId): TailReader {
    return new RingTailReader(this.host.tailRings, replica);
  }

  workerStats(): Promise<WorkerStats[]> {
    return this.host.workerStats();
  }

  now(): number {
    return Date.now();
  }

  sleep(ms: number, wake?: AbortSignal): Promise<void> {
    if (!wake) return new Promise((r) => setTimeout(r, ms));
    return new Promise((resolve) => {
      if (wake.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        wake.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wake.addEventListener('abort', done, { once: true });
    });
  }

  threadCount(): number {
    return this.host.workerCount;
  }

  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.host.tailRings.clear(); // in-place consumers stop reading: they fetch, and are refused
    await this.host.shutdown();
    const err = new RivuletError(ErrorCode.CLUSTER_CLOSED, 'cluster shut down');
    for (const reqId of [...this.pending.keys()]) this.settle(reqId, undefined, err);
  }
}
