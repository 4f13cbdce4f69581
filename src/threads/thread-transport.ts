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
 * - Frames enter a worker's produce ring in call order (a queue forms once one waits for room),
 *   so a partition's batches are never reordered on the way in.
 */
import type { ActorId, BehaviorRegistry, Message } from '../runtime/actor.js';
import type { ClientRequest, ClusterPlan, HostTransport } from '../runtime/transport.js';
import { RingWriter } from '../storage/index.js';
import { RivuletError, ErrorCode, fromPlainError, isPlainError } from '../runtime/errors.js';
import { acksToCode, encodedTarget, produceFrameBytes, writeProduceFrame } from './produce-frame.js';
import { ThreadHost, type ThreadHostOptions } from './thread-host.js';
import { MAIN_CLIENT_ID } from './envelope.js';
import { spuOf } from '../runtime/actor-ids.js';

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
  private readonly rings = new Map<ActorId, SharedArrayBuffer>();
  private readonly writers = new Map<number, RingWriter>();
  private readonly doorbells = new Set<number>();
  private readonly targets = new Map<string, Uint8Array>();
  private eventHandler: (m: Message) => void = () => {};
  /** Produce calls waiting for the in-flight count to drop. */
  private settleWaiters: (() => void)[] = [];
  private closed = false;
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
    this.eventHandler(msg);
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
    for (const [replica] of this.rings) if (spuOf(replica) === spuId) this.rings.delete(replica);
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
    for (;;) {
      if (this.closed) throw new RivuletError(ErrorCode.CLUSTER_CLOSED, 'cluster is shut down');
      const slot = this.host.workerOf(to);
      if (!slot || slot.exited) {
        throw new RivuletError(ErrorCode.NOT_LEADER, `replica ${to} is not running (SPU down or restarting)`, { replica: to });
      }
      if (this.host.cuts.blocks(this.clientId, to)) {
        throw new RivuletError(ErrorCode.NOT_LEADER, `replica ${to} is unreachable (its SPU is disconnected)`, { replica: to });
      }
      const target = this.target(to);
      let writer = this.writers.get(slot.index);
      if (!writer) this.writers.set(slot.index, (writer = new RingWriter(slot.produceRing, { mode: 'backpressure' })));
      const frameBytes = produceFrameBytes(target, batch.length);
      const track = (reqId: number) =>
        acks === 0 ? Promise.resolve(undefined) : this.track(reqId, Math.max(1, deadline - Date.now()), `Produce to ${to}`, slot.spuId);
      if (frameBytes > writer.maxFrameBytes) {
        // Too big for the ring: send it as a message (structured clone; rare, off the hot path).
        const reqId = this.nextReqId();
        const ack = track(reqId);
        this.host.route(this.clientId, to, { type: 'Produce', reqId, replyTo: this.clientId, acks, batch } as Message);
        return ack;
      }
      const w = writer;
      // Reserve, fill, publish and start tracking in one synchronous step, so the ack can never
      // arrive untracked and frames cannot interleave.
      // (Returns a box: a bare promise returned from a .then callback would be adopted, making the
      // queue wait for this frame's ack instead of its placement.)
      const place = (): { ack: Promise<Message | undefined> } | null => {
        if (this.pending.size >= TRANSPORT_LIMITS.maxInFlight) return null;
        const view = w.reserve(frameBytes);
        if (!view) return null;
        const reqId = this.nextReqId();
        writeProduceFrame(view, reqId, acksToCode(acks), target, batch);
        w.commit();
        const ack = track(reqId);
        this.ring(slot.index);
        return { ack };
      };
      // Frames enter a worker's ring in call order: once one waits for room, later ones queue
      // behind it (otherwise a small later batch could overtake and reorder a partition).
      const placed =
        (!this.waitingFor.has(slot.index) && place()) || (await this.placeInOrder(slot, w, frameBytes, place, deadline, timeoutMs, to));
      if (placed) return placed.ack;
      // The worker died while we waited: look the replica up again.
    }
  }

  /** Per worker: the tail of the queue of produce calls waiting for room. */
  private readonly waitingFor = new Map<number, Promise<unknown>>();

  private placeInOrder<T>(
    slot: { index: number; exited: boolean }, writer: RingWriter, frameBytes: number, place: () => T | null,
    deadline: number, timeoutMs: number, to: string,
  ): Promise<T | null> {
    const prev = this.waitingFor.get(slot.index) ?? Promise.resolve();
    const mine = prev.then(async () => {
      for (;;) {
        if (slot.exited) return null;
        const placed = place();
        if (placed) return placed;
        if (this.closed) throw new RivuletError(ErrorCode.CLUSTER_CLOSED, 'cluster is shut down');
        if (Date.now() > deadline) throw new RivuletError(ErrorCode.TIMEOUT, `produce to ${to}: no room to hand the batch over for ${timeoutMs} ms`);
        if (this.pending.size >= TRANSPORT_LIMITS.maxInFlight) await new Promise<void>((r) => this.settleWaiters.push(r));
        // Woken by the worker's release(); wait for a quarter of the ring (hysteresis), not one
        // frame, so a full ring does not turn into one wake-up per frame.
        else await writer.waitForSpaceAsync(Math.max(frameBytes, Math.min(writer.maxFrameBytes, writer.capacityBytes >> 2)), TRANSPORT_LIMITS.spaceWaitSliceMs);
      }
    });
    const tail = mine.then(() => undefined, () => undefined);
    this.waitingFor.set(slot.index, tail);
    void tail.then(() => {
      if (this.waitingFor.get(slot.index) === tail) this.waitingFor.delete(slot.index);
    });
    return mine;
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
