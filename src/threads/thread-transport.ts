/**
 * HostTransport over the ThreadHost (main thread). Admin/fetch requests travel as actor messages;
 * produce batches go through the target worker's produce ring (SAB, backpressure mode) with one
 * coalesced doorbell per worker per tick; replies come back as batched envelopes. Replica tail
 * rings announced by workers are kept for in-place consumers.
 *
 * Invariants:
 * - Every pending request/produce settles exactly once: reply, error, timeout, worker loss or
 *   shutdown (CLUSTER_CLOSED).
 * - At most `maxInFlight` produce requests are pending; more wait (backpressure).
 */
import type { ActorId, BehaviorRegistry, Message } from '../runtime/actor.js';
import type { ClientRequest, ClusterPlan, HostTransport } from '../runtime/transport.js';
import { RingWriter } from '../storage/index.js';
import { RivuletError, ErrorCode, fromPlainError, isPlainError } from '../storage/errors.js';
import { acksToCode, encodedTarget, produceFrameBytes, writeProduceFrame } from './produce-frame.js';
import { ThreadHost, type ThreadHostOptions } from './thread-host.js';

interface Pending {
  resolve(m: Message | undefined): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
  spuId: number | undefined;
}

export const TRANSPORT_LIMITS = { maxInFlight: 4096, backpressurePollMs: 1 } as const;

export class ThreadTransport implements HostTransport {
  readonly clientId = 'client:main';
  private reqSeq = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly rings = new Map<ActorId, SharedArrayBuffer>();
  private readonly writers = new Map<number, RingWriter>();
  private readonly doorbells = new Set<number>();
  private readonly targets = new Map<string, Uint8Array>();
  private eventHandler: (m: Message) => void = () => {};
  private closed = false;
  private waiters: (() => void)[] = [];
  readonly host: ThreadHost;

  private constructor(opts: ThreadHostOptions) {
    this.host = new ThreadHost(opts, {
      clientMessage: (_to, msg) => this.onClientMessage(msg),
      ring: (replica, sab) => this.rings.set(replica, sab),
      produceError: (reqId, error) => this.settle(reqId, undefined, isPlainError(error) ? fromPlainError(error) : new Error(String(error))),
      workerLost: (_w, spuId) => this.failSpu(spuId),
      spuRestarted: () => {},
    });
  }

  static async start(plan: ClusterPlan, behaviors: BehaviorRegistry, opts: Omit<ThreadHostOptions, 'plan' | 'behaviors'>): Promise<ThreadTransport> {
    const t = new ThreadTransport({ ...opts, plan, behaviors });
    await t.host.start();
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
    this.eventHandler(msg);
  }

  private settle(reqId: number, msg: Message | undefined, err?: Error): void {
    const p = this.pending.get(reqId);
    if (!p) return;
    this.pending.delete(reqId);
    clearTimeout(p.timer);
    if (err) p.reject(err);
    else p.resolve(msg);
    const w = this.waiters.shift();
    if (w) w();
  }

  private failSpu(spuId: number): void {
    const err = new RivuletError(ErrorCode.WORKER_EXITED, `SPU ${spuId} crashed before answering`, { spu: spuId });
    for (const [reqId, p] of [...this.pending]) if (p.spuId === spuId) this.settle(reqId, undefined, err);
    for (const [replica] of this.rings) if (replica.endsWith(`@${spuId}`)) this.rings.delete(replica);
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
    const p = this.track(msg.reqId, timeoutMs, `${msg.type} to ${to}`, this.host.workerOf(to)?.spuId);
    this.host.route(this.clientId, to, msg);
    return (await p) as R;
  }

  send(to: ActorId, msg: Message): void {
    this.host.route(this.clientId, to, msg);
  }

  onEvent(handler: (msg: Message) => void): void {
    this.eventHandler = handler;
  }

  private target(to: string): Uint8Array {
    let t = this.targets.get(to);
    if (!t) this.targets.set(to, (t = encodedTarget(to)));
    return t;
  }

  async produce(to: ActorId, batch: Uint8Array, acks: 0 | 1 | 'all', timeoutMs: number): Promise<Message | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending.size >= TRANSPORT_LIMITS.maxInFlight) await new Promise<void>((r) => this.waiters.push(r));
    for (;;) {
      if (this.closed) throw new RivuletError(ErrorCode.CLUSTER_CLOSED, 'cluster is shut down');
      const slot = this.host.workerOf(to);
      if (!slot || slot.exited) {
        throw new RivuletError(ErrorCode.NOT_LEADER, `replica ${to} is not running (SPU down or restarting)`, { replica: to });
      }
      const reqId = this.nextReqId();
      const target = this.target(to);
      let writer = this.writers.get(slot.index);
      if (!writer) this.writers.set(slot.index, (writer = new RingWriter(slot.produceRing, { mode: 'backpressure' })));
      const frameBytes = produceFrameBytes(target, batch.length);
      const remaining = () => Math.max(1, deadline - Date.now());
      if (frameBytes > writer.maxFrameBytes) {
        // Too big for the ring: send it as a message (structured clone; rare, off the hot path).
        const ack = acks === 0 ? undefined : this.track(reqId, remaining(), `Produce to ${to}`, slot.spuId);
        this.host.route(this.clientId, to, { type: 'Produce', reqId, replyTo: this.clientId, acks, batch } as Message);
        return ack;
      }
      let view = writer.reserve(frameBytes);
      while (!view && !slot.exited) {
        if (Date.now() > deadline) throw new RivuletError(ErrorCode.TIMEOUT, `produce to ${to}: no room in the produce ring for ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, TRANSPORT_LIMITS.backpressurePollMs));
        if (this.closed) throw new RivuletError(ErrorCode.CLUSTER_CLOSED, 'cluster is shut down');
        if (!slot.exited) view = writer.reserve(frameBytes);
      }
      if (!view) continue; // the worker died while we waited: look the replica up again
      writeProduceFrame(view, reqId, acksToCode(acks), target, batch);
      writer.commit();
      // The reply cannot arrive before the doorbell rings (next microtask), so tracking now is safe.
      const ack = acks === 0 ? undefined : this.track(reqId, remaining(), `Produce to ${to}`, slot.spuId);
      this.ring(slot.index);
      return ack;
    }
  }

  private ring(worker: number): void {
    if (this.doorbells.size === 0) {
      queueMicrotask(() => {
        for (const w of this.doorbells) {
          const slot = this.host.workerByIndex(w);
          if (slot && !slot.exited) slot.worker.postMessage({ k: 'doorbell' });
        }
        this.doorbells.clear();
      });
    }
    this.doorbells.add(worker);
  }

  tailRing(replica: ActorId): SharedArrayBuffer | undefined {
    return this.rings.get(replica);
  }

  now(): number {
    return Date.now();
  }

  sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }

  threadCount(): number {
    return this.host.workerCount;
  }

  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.host.shutdown();
    const err = new RivuletError(ErrorCode.CLUSTER_CLOSED, 'cluster shut down');
    for (const reqId of [...this.pending.keys()]) this.settle(reqId, undefined, err);
  }
}
