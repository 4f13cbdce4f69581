/**
 * RingWriter: the single writer of a SharedArrayBuffer ring (layout: ring-layout.ts).
 *
 * Invariants:
 * - One RingWriter per ring at a time (a restarted writer resumes from the published head/tail).
 * - The frame word at the head is always 0: each commit zeroes the next frame's word before it
 *   publishes its own word with Atomics.store, so readers stop exactly at the head.
 * - tail (oldest intact frame) is published BEFORE any byte below it is overwritten, followed by an
 *   Atomics.load (store→load ordering keeps the later plain stores after the tail store even on
 *   weakly ordered CPUs). Readers check tail after using a frame (seqlock style).
 * - 'backpressure': nothing at a position >= released (the consumer's) is ever overwritten; a write
 *   that does not fit is refused (-1 / null) and changes nothing.
 * - 'overwrite': the writer never waits; it frees the oldest frames (plus a little slack, see
 *   tailSlackBytes) as needed.
 * - Waking: the hot path costs one Atomics.load of the waiters flag; when a reader set it, the
 *   commit clears it (Atomics.exchange), bumps the notify word and notifies — one wake per sleep,
 *   not one per frame (ring-wait.ts). waitForSpace is the mirror image,
 *   woken by the consumer's release().
 */
import { RecordTooLargeError, assert } from './errors.js';
import {
  HEADER_BYTES,
  HeaderWord,
  PositionWord,
  RingClosedCode,
  RingLimits,
  RingModeCode,
  TWO_POW_32,
  align8,
  counterIndex,
  frameWordIndex,
  loadPosition,
  readGeometry,
  storePosition,
  tailSlackBytes,
  type RingMode,
} from './ring-layout.js';
import { blockUntil, waitUntil, wakeWaiters } from './ring-wait.js';

const NO_RESERVATION = -1;

export class RingWriter {
  readonly capacityBytes: number;
  readonly maxFrameBytes: number;
  readonly mode: RingMode;
  /** The ring's place in its writer's chain (ring-grow.ts). */
  readonly generation: number;

  readonly sab: SharedArrayBuffer;
  private readonly i32: Int32Array;
  private readonly u8: Uint8Array;
  private readonly b64: BigInt64Array;
  private readonly mask: number;
  private readonly slackBytes: number;
  private readonly backpressure: boolean;

  private headPos: number; // position after the last published frame
  private headOffset: number; // headPos mod capacity
  private nextCarry: number; // next multiple of 2^32 above headPos (hi word changes there)
  private tailPos: number; // published tail
  private tailOffset: number;
  private releasedCache: number; // last released value read (backpressure)

  // Pending reservation (reserve → commit).
  private pendingBytes = NO_RESERVATION;
  private pendingPad = 0;
  private closedFlag = false;

  constructor(sab: SharedArrayBuffer, opts: { mode: RingMode }) {
    const geometry = readGeometry(sab);
    this.sab = sab;
    this.capacityBytes = geometry.capacityBytes;
    this.maxFrameBytes = geometry.maxFrameBytes;
    this.generation = geometry.generation;
    this.mode = opts.mode;
    assert(opts.mode === 'overwrite' || opts.mode === 'backpressure', `bad ring mode ${String(opts.mode)}`);
    this.backpressure = opts.mode === 'backpressure';
    this.i32 = new Int32Array(sab);
    this.u8 = new Uint8Array(sab);
    this.b64 = new BigInt64Array(sab, 0, HEADER_BYTES >> 3);
    this.mask = this.capacityBytes - 1;
    this.slackBytes = tailSlackBytes(this.capacityBytes);

    const code = this.backpressure ? RingModeCode.backpressure : RingModeCode.overwrite;
    const previous = Atomics.compareExchange(this.i32, HeaderWord.mode, RingModeCode.unset, code);
    assert(previous === RingModeCode.unset || previous === code, 'ring already has a writer in the other mode');
    assert(Atomics.load(this.i32, HeaderWord.closed) === 0, 'ring is closed');

    this.headPos = loadPosition(this.i32, HeaderWord.head);
    this.headOffset = this.headPos % this.capacityBytes;
    this.nextCarry = (Math.floor(this.headPos / TWO_POW_32) + 1) * TWO_POW_32;
    this.tailPos = loadPosition(this.i32, HeaderWord.tail);
    this.tailOffset = this.tailPos % this.capacityBytes;
    this.releasedCache = this.loadReleased();
    assert(this.headPos - this.tailPos <= this.capacityBytes, 'ring head/tail inconsistent');
  }

  /** Position after the last published frame. */
  get head(): number {
    return this.headPos;
  }

  /** Position of the oldest frame not yet freed for reuse. */
  get oldest(): number {
    return this.tailPos;
  }

  /** Copies `payload` into a new frame. Returns its position, or -1 if it does not fit (backpressure). */
  write(payload: Uint8Array): number {
    const offset = this.claim(payload.length);
    if (offset < 0) return -1;
    this.u8.set(payload, HEADER_BYTES + offset + RingLimits.frameHeaderBytes);
    return this.commit();
  }

  /** Zero-copy: a view of `payloadBytes` to fill in place, then commit(). null if it does not fit. */
  reserve(payloadBytes: number): Uint8Array | null {
    const offset = this.claim(payloadBytes);
    if (offset < 0) return null;
    return new Uint8Array(this.sab, HEADER_BYTES + offset + RingLimits.frameHeaderBytes, payloadBytes);
  }

  /** Publishes the reserved frame (its word is stored last). Returns its position. */
  commit(): number {
    const n = this.pendingBytes;
    assert(n !== NO_RESERVATION, 'ring commit() without reserve()');
    const i32 = this.i32;
    const pad = this.pendingPad;
    const size = RingLimits.frameHeaderBytes + align8(n);
    const framePos = this.headPos + pad;
    const frameOffset = pad === 0 ? this.headOffset : 0;
    const nextOffset = (frameOffset + size) & this.mask;
    const frameWord = frameWordIndex(frameOffset);

    i32[frameWord + 1] = framePos | 0; // stamp
    i32[frameWordIndex(nextOffset)] = 0; // the next frame's word: readers stop there
    if (pad === 0) {
      Atomics.store(i32, frameWord, n + 1);
    } else {
      i32[frameWord] = n + 1; // published by the padding word below
      const padWord = frameWordIndex(this.headOffset);
      i32[padWord + 1] = this.headPos | 0;
      Atomics.store(i32, padWord, -pad);
    }
    const previous = this.headPos;
    this.headPos = framePos + size;
    this.headOffset = nextOffset;
    if (this.headPos >= this.nextCarry) {
      storePosition(i32, HeaderWord.head, this.headPos, previous);
      this.nextCarry += TWO_POW_32;
    } else {
      Atomics.store(i32, HeaderWord.head + PositionWord.lo, this.headPos | 0);
    }
    this.pendingBytes = NO_RESERVATION;
    wakeWaiters(i32, HeaderWord.notify, HeaderWord.waiters);
    return framePos;
  }

  setCounter(i: number, value: number): void {
    if (!Number.isSafeInteger(value)) assert(false, `ring counter value must be a safe integer, got ${value}`);
    Atomics.store(this.b64, counterIndex(i), BigInt(value));
  }

  counter(i: number): number {
    return Number(Atomics.load(this.b64, counterIndex(i)));
  }

  /**
   * Marks the ring closed; readers see `closed` once they have drained every frame. 'continued':
   * the log goes on in a successor ring starting at this ring's head (readers finish this one first).
   */
  close(how: 'closed' | 'continued' = 'closed'): void {
    assert(this.pendingBytes === NO_RESERVATION, 'ring close() with an uncommitted reservation');
    if (this.closedFlag) return;
    this.closedFlag = true;
    Atomics.store(this.i32, HeaderWord.closed, how === 'continued' ? RingClosedCode.continued : RingClosedCode.closed);
    Atomics.store(this.i32, HeaderWord.waiters, 0);
    Atomics.add(this.i32, HeaderWord.notify, 1);
    Atomics.notify(this.i32, HeaderWord.notify);
  }

  /** True if writing a frame of payloadBytes now would free (overwrite) older frames. Changes nothing. */
  wouldOverwrite(payloadBytes: number): boolean {
    const size = RingLimits.frameHeaderBytes + align8(payloadBytes);
    const pad = this.headOffset + size > this.capacityBytes ? this.capacityBytes - this.headOffset : 0;
    return this.headPos + pad + size + RingLimits.frameHeaderBytes - this.capacityBytes > this.tailPos;
  }

  /** True if a frame of payloadBytes fits now (always in overwrite mode). Changes nothing. */
  fits(payloadBytes: number): boolean {
    if (!this.backpressure) return true;
    const size = RingLimits.frameHeaderBytes + align8(payloadBytes);
    const pad = this.headOffset + size > this.capacityBytes ? this.capacityBytes - this.headOffset : 0;
    const limit = this.headPos + pad + size + RingLimits.frameHeaderBytes - this.capacityBytes;
    if (limit <= this.tailPos || limit <= this.releasedCache) return true;
    this.releasedCache = this.loadReleased();
    return limit <= this.releasedCache;
  }

  /**
   * Backpressure mode: blocks (Atomics.wait — workers) until a frame of payloadBytes fits, woken by
   * the consumer's release(); false once timeoutMs passed. Polls briefly before sleeping.
   */
  waitForSpace(payloadBytes: number, timeoutMs: number): boolean {
    return blockUntil(this.i32, HeaderWord.spaceNotify, HeaderWord.spaceWaiters, timeoutMs, () => this.fits(payloadBytes));
  }

  /** As waitForSpace, without blocking the thread (Atomics.waitAsync — main thread). */
  waitForSpaceAsync(payloadBytes: number, timeoutMs: number): Promise<boolean> {
    return waitUntil(this.i32, HeaderWord.spaceNotify, HeaderWord.spaceWaiters, timeoutMs, () => this.fits(payloadBytes));
  }

  /**
   * Makes room for a frame of n payload bytes at the head; frees old frames (advancing tail) as
   * needed. Returns the data offset of the frame, or -1 when it does not fit (backpressure).
   */
  private claim(n: number): number {
    assert(this.pendingBytes === NO_RESERVATION, 'ring reserve()/write() while a reservation is pending');
    assert(!this.closedFlag, 'ring write after close()');
    if (!(Number.isInteger(n) && n >= 0)) assert(false, `ring payload size must be a non-negative integer, got ${n}`);
    if (n > this.maxFrameBytes) {
      throw new RecordTooLargeError(`frame of ${n} bytes exceeds the ring's maxFrameBytes ${this.maxFrameBytes}`, {
        bytes: n,
        maxFrameBytes: this.maxFrameBytes,
      });
    }
    const size = RingLimits.frameHeaderBytes + align8(n);
    const pad = this.headOffset + size > this.capacityBytes ? this.capacityBytes - this.headOffset : 0;
    const end = this.headPos + pad + size + RingLimits.frameHeaderBytes; // incl. next frame's word
    assert(end <= RingLimits.maxPosition, 'ring position space exhausted');
    const limit = end - this.capacityBytes; // every byte below limit gets overwritten
    if (limit > this.tailPos && !this.freeUpTo(limit)) return -1;
    this.pendingBytes = n;
    this.pendingPad = pad;
    return pad === 0 ? this.headOffset : 0;
  }

  /** Advances tail to a frame boundary >= limit (plus slack). false: not released yet (backpressure). */
  private freeUpTo(limit: number): boolean {
    let target = limit + this.slackBytes;
    if (this.backpressure) {
      if (limit > this.releasedCache) {
        this.releasedCache = this.loadReleased();
        if (limit > this.releasedCache) return false;
      }
      target = Math.min(target, this.releasedCache);
    }
    target = Math.min(target, this.headPos);
    const previous = this.tailPos;
    let pos = this.tailPos;
    let offset = this.tailOffset;
    const i32 = this.i32;
    while (pos < limit || (pos < target && pos + this.frameSizeAt(offset) <= target)) {
      const size = this.frameSizeAt(offset);
      pos += size;
      offset = (offset + size) & this.mask;
    }
    assert(pos <= this.headPos && (!this.backpressure || pos <= this.releasedCache), 'ring tail walk overran');
    this.tailPos = pos;
    this.tailOffset = offset;
    storePosition(i32, HeaderWord.tail, pos, previous);
    Atomics.load(i32, HeaderWord.tail); // store→load: later plain stores stay after the tail store
    return true;
  }

  /** Size of the published frame at data offset `offset` (walks the writer's own frames). */
  private frameSizeAt(offset: number): number {
    const word = this.i32[frameWordIndex(offset)];
    assert(word !== 0, 'ring tail walk reached an unpublished frame');
    return word < 0 ? -word : RingLimits.frameHeaderBytes + align8(word - 1);
  }

  /** Full released position from its low 32 bits: 0 <= head - released <= capacity <= 2^30. */
  private loadReleased(): number {
    const lo = Atomics.load(this.i32, HeaderWord.released);
    return this.headPos - (((this.headPos | 0) - lo) >>> 0);
  }
}
