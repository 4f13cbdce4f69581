/**
 * HostTransport over the ThreadHost (main thread): request and produce bookkeeping only — the
 * host owns everything posted to workers. Admin/fetch requests travel as actor messages through
 * `host.route`; produce batches go into the target worker's produce lane (host.laneOf: its SAB
 * produce ring, backpressure mode, one unanswered doorbell at most); successful produce acks come
 * back through the lane's SAB ack ring (ack-ring.ts), other replies as batched envelopes through
 * the host's events. Request deadlines share one sweep timer. In-place consumers read replicas'
 * tail rings through RingTailReader (tail-reader.ts).
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
import { acksToCode, encodedTarget, produceFrameBytes } from './produce-frame.js';
import type { ProduceLane } from './produce-lane.js';
import { RingTailReader } from './tail-reader.js';
import { ThreadHost, type ThreadHostOptions } from './thread-host.js';
import { MAIN_CLIENT_ID } from './envelope.js';
import type { FetchReply, Produce, ProduceAck } from '../../actors/messages.js';

interface Pending {
  resolve(m: Message | undefined): void;
  reject(e: Error): void;
  /** Date.now() ms after which it fails with TIMEOUT (one shared sweep timer, not a timer each). */
  deadlineMs: number;
  timeoutMs: number;
  what: string;
  to: string;
  spuId: number | undefined;
}

export const TRANSPORT_LIMITS = { maxInFlight: 4096, spaceWaitSliceMs: 5 } as const;

export class ThreadTransport implements HostTransport {
  readonly clientId = MAIN_CLIENT_ID;
  /** Batches are copied into the produce ring (or cloned on the rare message path) before settling. */
  readonly producedBatchesCopied = true;
  private reqSeq = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly targets = new Map<string, Uint8Array>();
  private readonly events = new Subscribers<Message>();
  /** Produce calls waiting for the in-flight count to drop. */
  private settleWaiters: (() => void)[] = [];
  private closed = false;
  private readonly host: ThreadHost;
  /** The one timer that fails pending requests past their deadline, armed for the earliest. */
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweepDueMs = Infinity;
  /** Where produce lanes hand acks from their ack rings (ack-ring.ts). */
  private readonly ackSink = {
    ack: (reqId: number, baseOffset: number, lastOffset: number): void => {
      if (!this.pending.has(reqId)) return;
      const ack: ProduceAck = { type: 'ProduceAck', reqId, baseOffset, lastOffset };
      this.settle(reqId, ack);
    },
    waiting: (): boolean => this.pending.size > 0,
  };

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
      if (msg.type === 'FetchReply') ownBatches(msg as FetchReply);
      this.settle(reqId, msg);
      return;
    }
    this.events.emit(msg);
  }

  private settle(reqId: number, msg: Message | undefined, err?: Error): void {
    const p = this.pending.get(reqId);
    if (!p) return;
    this.pending.delete(reqId);
    if (err) p.reject(err);
    else p.resolve(msg);
    if (this.settleWaiters.length > 0) for (const w of this.settleWaiters.splice(0)) w();
  }

  private failSpu(spuId: number): void {
    const err = new RivuletError(ErrorCode.WORKER_EXITED, `SPU ${spuId} crashed before answering`, { spu: spuId });
    for (const [reqId, p] of [...this.pending]) if (p.spuId === spuId) this.settle(reqId, undefined, err);
  }

  private track(reqId: number, timeoutMs: number, what: string, to: string, spuId: number | undefined): Promise<Message | undefined> {
    return new Promise((resolve, reject) => {
      const deadlineMs = Date.now() + timeoutMs;
      this.pending.set(reqId, { resolve, reject, deadlineMs, timeoutMs, what, to, spuId });
      if (deadlineMs < this.sweepDueMs) this.armSweep(deadlineMs);
    });
  }

  private armSweep(dueMs: number): void {
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.sweepDueMs = dueMs;
    this.sweepTimer = setTimeout(this.sweep, Math.max(0, dueMs - Date.now()));
  }

  /** Fail every pending request past its deadline; re-arm for the earliest left. */
  private readonly sweep = (): void => {
    this.sweepTimer = null;
    this.sweepDueMs = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const [reqId, p] of [...this.pending]) {
      if (p.deadlineMs <= now) this.settle(reqId, undefined, new RivuletError(ErrorCode.TIMEOUT, `${p.what} to ${p.to} timed out after ${p.timeoutMs} ms`, { reqId }));
      else if (p.deadlineMs < next) next = p.deadlineMs;
    }
    if (next < Infinity && !this.closed) this.armSweep(next);
  };

  async request<R extends Message>(to: ActorId, msg: ClientRequest, timeoutMs: number): Promise<R> {
    if (this.closed) throw new RivuletError(ErrorCode.CLUSTER_CLOSED, 'cluster is shut down');
    const p = this.track(msg.reqId, timeoutMs, msg.type, to, this.host.spuHosting(to));
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

  /**
   * Hand a batch to the replica's worker; resolves with its ack. Fast path (no queue for the
   * lane, room in the ring): place the frame and track it, synchronously, with one promise.
   */
  produce(to: ActorId, batch: Uint8Array, acks: 0 | 1 | 'all', timeoutMs: number): Promise<Message | undefined> {
    const lane = this.closed ? undefined : this.host.laneOf(to);
    if (lane && !this.waitingFor.has(lane.worker) && this.pending.size < TRANSPORT_LIMITS.maxInFlight && !this.host.blocks(this.clientId, to)) {
      const target = this.target(to);
      const frameBytes = produceFrameBytes(target, batch.length);
      if (frameBytes <= lane.maxFrameBytes) {
        const reqId = this.nextReqId();
        if (lane.placeFrame(frameBytes, reqId, acksToCode(acks), target, batch)) return this.trackProduce(reqId, acks, lane, timeoutMs, to);
      }
    }
    return this.produceSlow(to, batch, acks, timeoutMs);
  }

  private trackProduce(reqId: number, acks: 0 | 1 | 'all', lane: ProduceLane, timeoutMs: number, to: string): Promise<Message | undefined> {
    if (acks === 0) return Promise.resolve(undefined);
    const p = this.track(reqId, Math.max(1, timeoutMs), 'Produce', to, lane.spuId);
    lane.expectAck(this.ackSink);
    return p;
  }

  private async produceSlow(to: ActorId, batch: Uint8Array, acks: 0 | 1 | 'all', timeoutMs: number): Promise<Message | undefined> {
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
      const track = (reqId: number) => this.trackProduce(reqId, acks, lane, deadline - Date.now(), to);
      if (frameBytes > lane.maxFrameBytes) {
        // Too big for the ring: send it as a message (structured clone; rare, off the hot path).
        const reqId = this.nextReqId();
        const ack = track(reqId);
        // A copy: the message may be held until the replica is placed (producedBatchesCopied).
        const msg: Produce = { type: 'Produce', reqId, replyTo: this.clientId, acks, batch: batch.slice() };
        this.host.route(this.clientId, to, msg);
        return ack;
      }
      // Reserve, fill, publish and start tracking in one synchronous step, so the ack can never
      // arrive untracked and frames cannot interleave.
      // (Returns a box: a bare promise returned from a .then callback would be adopted, making the
      // queue wait for this frame's ack instead of its placement.)
      const place = (): { ack: Promise<Message | undefined> } | null => {
        if (this.pending.size >= TRANSPORT_LIMITS.maxInFlight) return null;
        const reqId = this.nextReqId();
        return lane.placeFrame(frameBytes, reqId, acksToCode(acks), target, batch) ? { ack: track(reqId) } : null;
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
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    const err = new RivuletError(ErrorCode.CLUSTER_CLOSED, 'cluster shut down');
    for (const reqId of [...this.pending.keys()]) this.settle(reqId, undefined, err);
  }
}

/** Memory-mode fetch replies carry views of the log's shared chunks: copy each batch that leaves the host. */
function ownBatches(r: FetchReply): void {
  r.batches = r.batches.map((b) => (b.buffer instanceof SharedArrayBuffer ? b.slice() : b));
}
