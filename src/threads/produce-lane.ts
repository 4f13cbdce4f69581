/**
 * A worker's produce lane, as the main thread sees it: the single writer of the worker's produce
 * ring (SAB, backpressure mode) plus its doorbell. Frames are produce-frame.ts frames; the worker
 * drains the ring when its doorbell rings and releases each frame after the replica took it.
 *
 * Invariants:
 * - One lane (one RingWriter) per worker, owned by the ThreadHost; nothing else writes the ring.
 * - A frame is filled completely before it is published (`place` reserves, fills, commits).
 * - Doorbells are coalesced: none while the worker has not yet started draining for the previous
 *   one (the doorbell word of ack-ring.ts, which the worker sleeps on), never to a worker that has
 *   exited.
 * - Acks come back through the lane's ack ring (ack-ring.ts) to the sink the transport gave
 *   (`expectAck`); error acks keep the message path.
 */
import { RingWriter } from '../storage/index.js';
import { AckRingReader, createAckRing, ringDoorbell } from './ack-ring.js';
import type { Envelope } from './envelope.js';
import { writeProduceFrame, type AcksCode } from './produce-frame.js';
import type { WorkerSlot } from './worker-slot.js';

/** Where a lane's acks go (the transport): one call per acknowledged produce. */
export interface AckSink {
  ack(reqId: number, baseOffset: number, lastOffset: number): void;
  /** Whether any produce still waits for an ack (main keeps sleeping on the ring while so). */
  waiting(): boolean;
}

export class ProduceLane {
  private readonly writer: RingWriter;
  private readonly ackSab = createAckRing();
  private acks: AckRingReader | null = null;
  private readonly bell = new Int32Array(this.ackSab, 0, 1);

  constructor(private readonly slot: WorkerSlot) {
    this.writer = new RingWriter(slot.produceRing, { mode: 'backpressure' });
    slot.worker.postMessage({ k: 'ackRing', sab: this.ackSab } satisfies Envelope);
  }

  /** A produce placed on this lane waits for its ack: `sink` gets it (the sink never changes). */
  expectAck(sink: AckSink): void {
    (this.acks ??= new AckRingReader(this.ackSab, sink)).expect();
  }

  /** The worker ended: acks still in the ring go to the sink; stop waiting. */
  close(): void {
    this.acks?.drain();
    this.acks?.close();
  }

  /** The worker's index (lanes are per worker). */
  get worker(): number {
    return this.slot.index;
  }

  get spuId(): number {
    return this.slot.spuId;
  }

  /** The worker ended or is ending: nothing placed now would be read. */
  get exited(): boolean {
    return this.slot.exited;
  }

  get maxFrameBytes(): number {
    return this.writer.maxFrameBytes;
  }

  /**
   * Reserve `frameBytes`, write the produce frame (produce-frame.ts), publish it and ring the
   * doorbell; false (nothing written) when the ring has no room right now.
   */
  placeFrame(frameBytes: number, reqId: number, acks: AcksCode, target: Uint8Array, batch: Uint8Array): boolean {
    const view = this.writer.reserve(frameBytes);
    if (!view) return false;
    writeProduceFrame(view, reqId, acks, target, batch);
    this.writer.commit();
    // Ring as soon as the frame is published — the worker starts on it while main goes on
    // encoding — but only when the doorbell word flips 0 → 1 (ack-ring.ts): while a ring is
    // unanswered no other is rung. A ring is an Atomics.notify on the word the worker sleeps on.
    if (!this.slot.exited) ringDoorbell(this.bell);
    return true;
  }

  /**
   * Wait until the worker released room for `frameBytes` — for a quarter of the ring (hysteresis),
   * not one frame, so a full ring does not turn into one wake-up per frame — or `sliceMs` passed.
   */
  waitForRoom(frameBytes: number, sliceMs: number): Promise<boolean> {
    const w = this.writer;
    return w.waitForSpaceAsync(Math.max(frameBytes, Math.min(w.maxFrameBytes, w.capacityBytes >> 2)), sliceMs);
  }
}
