/**
 * RingReader: reads frames of a SharedArrayBuffer ring in place (layout: ring-layout.ts), in any
 * thread; any number of readers per ring, each with its own position.
 *
 * Invariants:
 * - next() returns a Uint8Array view into the shared buffer — never a copy — of the frame at the
 *   reader's position, only after Atomics.load saw its published word and tail <= its position
 *   (both checked in that order, so the word and length it trusts were intact).
 * - A reader whose position fell below tail is `lapped`: next() returns null until seek(); it never
 *   returns bytes of a different frame.
 * - stillValid(): the last frame returned has not been (even partly) overwritten since — tail is
 *   re-read after a fence (Atomics.store to a private word, then Atomics.load: store→load keeps the
 *   caller's earlier plain reads before the tail read). Use: decode/copy in place, then confirm.
 * - release() (backpressure mode) publishes "everything before my position may be reused". Exactly
 *   one reader per ring (the consumer) may call it; released is monotonic. The consumer skips tail
 *   checks for frames at or above what it released: the writer cannot overwrite them.
 * - Waiting: read the notify word, raise the waiters flag, re-check for data, sleep on the notify
 *   word; the writer, after publishing, wakes only when the flag is raised (see ring-wait.ts).
 *   release() wakes a writer waiting for room the same way.
 */
import { assert } from './errors.js';
import {
  RingCounter,
  HEADER_BYTES,
  HeaderWord,
  RingClosedCode,
  RingLimits,
  RingModeCode,
  type RingState,
  align8,
  counterIndex,
  frameWordIndex,
  loadPosition,
  readGeometry,
} from './ring-layout.js';
import { blockUntil, waitUntil, wakeWaiters } from './ring-wait.js';

export class RingReader {
  readonly capacityBytes: number;
  readonly maxFrameBytes: number;
  /** The ring's place in its writer's chain (ring-grow.ts). */
  readonly generation: number;

  readonly sab: SharedArrayBuffer;
  private readonly i32: Int32Array;
  private readonly b64: BigInt64Array;
  private readonly mask: number;
  private readonly fence = new Int32Array(new SharedArrayBuffer(4));
  private readonly readyFn = (): boolean => this.ready();

  private pos = 0; // logical position of the next frame to read
  private offset = 0; // pos mod capacity
  private lastPos = -1; // position of the last frame returned, -1 if none
  private isLapped = false;
  private releasedByMe = -1; // last released value this reader published (-1: not the consumer)
  private consumer = false; // this reader released in backpressure mode: tail checks can be skipped

  constructor(sab: SharedArrayBuffer, opts: { from?: 'oldest' | 'head' | number } = {}) {
    const geometry = readGeometry(sab);
    this.sab = sab;
    this.capacityBytes = geometry.capacityBytes;
    this.maxFrameBytes = geometry.maxFrameBytes;
    this.generation = geometry.generation;
    this.i32 = new Int32Array(sab);
    this.b64 = new BigInt64Array(sab, 0, HEADER_BYTES >> 3);
    this.mask = this.capacityBytes - 1;
    const from = opts.from ?? 'oldest';
    if (from === 'oldest') this.moveTo(this.oldest);
    else if (from === 'head') this.moveTo(this.head);
    else this.seek(from);
  }

  /** True once the reader fell behind the oldest intact frame; next() returns null until seek(). */
  get lapped(): boolean {
    return this.isLapped;
  }

  /** Position of the next frame this reader will return. */
  get position(): number {
    return this.pos;
  }

  /** Position of the oldest intact frame (the writer's tail). */
  get oldest(): number {
    return loadPosition(this.i32, HeaderWord.tail);
  }

  /** Position after the last published frame. */
  get head(): number {
    return loadPosition(this.i32, HeaderWord.head);
  }

  /** True when the writer closed the ring and this reader has drained every frame. */
  get closed(): boolean {
    if (Atomics.load(this.i32, HeaderWord.closed) === 0 || this.isLapped) return false;
    return this.pos >= this.head;
  }

  /** The writer's state of the ring: open, closed, or continued in a successor (ring-layout.ts). */
  get state(): RingState {
    const code = Atomics.load(this.i32, HeaderWord.closed);
    return code === RingClosedCode.open ? 'open' : code === RingClosedCode.continued ? 'continued' : 'closed';
  }

  /** Moves to `position`, which must be a frame position (as returned by write/commit/position). */
  seek(position: number): void {
    assert(
      Number.isSafeInteger(position) && position >= 0 && position % RingLimits.frameAlignBytes === 0,
      `ring seek position must be a non-negative multiple of 8, got ${position}`,
    );
    if (position > this.head) assert(false, `ring seek position ${position} is beyond the head`);
    this.moveTo(position);
  }

  /** Next published frame's payload as a view into the shared buffer; null if none yet or lapped. */
  next(): Uint8Array | null {
    if (this.isLapped) return null;
    const i32 = this.i32;
    for (let hop = 0; hop < 2; hop++) {
      const p = this.pos;
      const offset = this.offset;
      const wordIndex = frameWordIndex(offset);
      const word = Atomics.load(i32, wordIndex);
      if (word > 0) {
        const stamp = i32[wordIndex + 1];
        if (!this.intact(p)) return this.lap();
        const n = word - 1;
        if (n > this.maxFrameBytes || offset + RingLimits.frameHeaderBytes + n > this.capacityBytes || stamp !== (p | 0)) {
          assert(false, `ring frame at position ${p} is corrupt (not a frame boundary?)`);
        }
        const size = RingLimits.frameHeaderBytes + align8(n);
        this.lastPos = p;
        this.pos = p + size;
        this.offset = (offset + size) & this.mask;
        return new Uint8Array(this.sab, HEADER_BYTES + offset + RingLimits.frameHeaderBytes, n);
      }
      if (!this.intact(p)) return this.lap();
      if (word === 0) return null;
      if (-word !== this.capacityBytes - offset) assert(false, `ring padding frame at position ${p} is corrupt`);
      this.pos = p - word;
      this.offset = 0;
    }
    assert(false, 'ring padding frame followed by another padding frame');
  }

  /** The last frame returned by next() has not been overwritten since (check after using it). */
  stillValid(): boolean {
    const p = this.lastPos;
    if (p < 0) return false;
    if (this.consumer && p >= this.releasedByMe) return true;
    Atomics.store(this.fence, 0, 0);
    return loadPosition(this.i32, HeaderWord.tail) <= p;
  }

  /** Backpressure mode: everything before position may be reused (wakes a writer waiting for room). No-op in overwrite mode. */
  release(): void {
    if (Atomics.load(this.i32, HeaderWord.mode) !== RingModeCode.backpressure) return;
    if (this.releasedByMe < 0) this.releasedByMe = this.loadReleased();
    this.consumer = true;
    if (this.pos > this.releasedByMe) {
      Atomics.store(this.i32, HeaderWord.released, this.pos | 0);
      this.releasedByMe = this.pos;
      wakeWaiters(this.i32, HeaderWord.spaceNotify, HeaderWord.spaceWaiters);
    }
  }

  counter(i: number): number {
    return Number(Atomics.load(this.b64, counterIndex(i)));
  }

  /** Tell the writer this ring is read in place (RingCounter.read; a growing writer grows only then). */
  markRead(): void {
    const i = counterIndex(RingCounter.read);
    if (Atomics.load(this.b64, i) === 0n) Atomics.store(this.b64, i, 1n);
  }

  /**
   * Blocks (Atomics.wait — workers) until a frame, lapping or close; false once timeoutMs passed.
   * Polls briefly first (a busy writer publishes every ~100 ns; sleeping costs microseconds).
   */
  waitForData(timeoutMs: number): boolean {
    return blockUntil(this.i32, HeaderWord.notify, HeaderWord.waiters, timeoutMs, this.readyFn);
  }

  /** As waitForData, without blocking the thread (Atomics.waitAsync — main thread; no polling). */
  waitForDataAsync(timeoutMs: number): Promise<boolean> {
    return waitUntil(this.i32, HeaderWord.notify, HeaderWord.waiters, timeoutMs, this.readyFn);
  }

  /** Something for the caller to do: a frame at the position, lapping, or a close. */
  private ready(): boolean {
    if (this.isLapped) return true;
    if (Atomics.load(this.i32, frameWordIndex(this.offset)) !== 0) return true;
    if (Atomics.load(this.i32, HeaderWord.closed) !== 0) return true;
    return !this.intact(this.pos);
  }

  /** The frame at p cannot have been overwritten (yet). */
  private intact(p: number): boolean {
    if (this.consumer && p >= this.releasedByMe) return true;
    return loadPosition(this.i32, HeaderWord.tail) <= p;
  }

  private lap(): null {
    this.isLapped = true;
    return null;
  }

  private moveTo(position: number): void {
    this.pos = position;
    this.offset = position % this.capacityBytes;
    this.lastPos = -1;
    this.isLapped = false;
  }

  /** Full released position; exact because only this reader changes it and head - released <= capacity. */
  private loadReleased(): number {
    const lo = Atomics.load(this.i32, HeaderWord.released);
    const head = this.head;
    return head - (((head | 0) - lo) >>> 0);
  }
}

