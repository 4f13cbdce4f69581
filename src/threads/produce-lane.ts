/**
 * A worker's produce lane, as the main thread sees it: the single writer of the worker's produce
 * ring (SAB, backpressure mode) plus its doorbell. Frames are produce-frame.ts frames; the worker
 * drains the ring when its doorbell rings and releases each frame after the replica took it.
 *
 * Invariants:
 * - One lane (one RingWriter) per worker, owned by the ThreadHost; nothing else writes the ring.
 * - A frame is filled completely before it is published (`place` reserves, fills, commits).
 * - Doorbells are coalesced: at most one `doorbell` post per worker per microtask checkpoint,
 *   never to a worker that has exited.
 */
import { RingWriter } from '../storage/index.js';
import type { Envelope } from './envelope.js';
import type { WorkerSlot } from './worker-slot.js';

/** Rings the doorbells of every lane that got frames in this tick, once, after the tick. */
export class Doorbells {
  private readonly due = new Set<WorkerSlot>();

  ring(slot: WorkerSlot): void {
    if (this.due.size === 0) queueMicrotask(this.flush);
    this.due.add(slot);
  }

  private readonly flush = (): void => {
    for (const slot of this.due) if (!slot.exited) slot.worker.postMessage({ k: 'doorbell' } satisfies Envelope);
    this.due.clear();
  };
}

export class ProduceLane {
  private readonly writer: RingWriter;

  constructor(private readonly slot: WorkerSlot, private readonly bells: Doorbells) {
    this.writer = new RingWriter(slot.produceRing, { mode: 'backpressure' });
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
   * Reserve `frameBytes`, let `fill` write the frame, publish it and ring the doorbell; false
   * (nothing written, `fill` not called) when the ring has no room right now.
   */
  place(frameBytes: number, fill: (view: Uint8Array) => void): boolean {
    const view = this.writer.reserve(frameBytes);
    if (!view) return false;
    fill(view);
    this.writer.commit();
    this.bells.ring(this.slot);
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
