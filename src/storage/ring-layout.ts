/**
 * SharedArrayBuffer ring: byte layout, constants and the shared-word protocols that RingWriter
 * (ring-writer.ts) and RingReader (ring-reader.ts) both use. One writer thread, many reader threads.
 *
 * Buffer = 1024-byte header, then a data region of `capacityBytes` (a power of two, 1 KiB..1 GiB).
 *
 *   header byte  word(s)                               written by       when
 *   -----------  ------------------------------------  ---------------  --------------------------
 *   line 0    0  magic 'RVRG', version, capacityBytes,  createRing /     once (closed: once)
 *                maxFrameBytes, mode, closed,           writer
 *                generation
 *   line 1   64  head      [hi1, lo, hi2]               writer           every commit
 *   line 2  128  tail      [hi1, lo, hi2]               writer           before overwriting frames
 *   line 3  192  released  [lo]                         the consumer     release() (backpressure)
 *   line 4  256  notify    sequence word for waiting    writer/close     when it clears `waiters`
 *   line 5  320  waiters   flag: a reader may sleep     readers / writer set before waiting / cleared
 *                                                                        by the commit that wakes
 *   line 6  384  counter 0 BASE   (BigInt64)            log              setCounter
 *   line 7  448  counter 1 HW     (BigInt64)
 *   line 8  512  counter 2 LEO    (BigInt64)
 *   line 9  576  counter 3 READ   (BigInt64: ≠ 0 once a reader read the ring in place)
 *   line 10 640  spaceNotify  sequence word          consumer         when it clears spaceWaiters
 *   line 11 704  spaceWaiters flag: the writer may   writer / consumer set before waiting for room /
 *                sleep for room                                       cleared by the release that wakes
 *   768..1023    reserved (zero)
 *   1024         data region, capacityBytes
 *
 * `closed` (RingClosedCode): 0 open; 1 closed (log removed, or replaced after a truncation — readers
 * drop the ring); 2 continued (the writer moved on to a bigger ring whose first position is this
 * ring's head — readers finish this ring, then follow; ring-grow.ts). `generation` numbers the rings
 * one writer chain created (a continued ring's successor has generation + 1).
 *
 * Every hot word sits alone at the start of its own 64-byte line (words 64 B apart never share a
 * line, whatever the backing store's alignment), so the writer's head stores do not bounce the
 * lines readers and the consumer write.
 *
 * Frames (8-byte aligned, never straddling the end of the data region):
 *
 *   +0  i32 word   0  = nothing published here yet (the word at the head is always 0)
 *                  >0 = data frame, payloadBytes = word - 1
 *                  <0 = padding frame up to the end of the region, -word = its size in bytes
 *   +4  i32 stamp  low 32 bits of the frame's logical position (self-check, recovery scans)
 *   +8  payload    payloadBytes, then unspecified bytes up to the next multiple of 8
 *
 *   frame size = 8 + align8(payloadBytes); a frame that would cross the end is preceded by a padding
 *   frame filling the rest of the region and starts at data offset 0.
 *
 * Publication: the writer fills payload, stamp and the zero word of the NEXT frame position, then
 * stores the frame's word with Atomics.store (release). A reader Atomics.loads the word at its
 * position (acquire): 0 = wait, else the frame is complete. With padding, the data frame at offset 0
 * is written first and the padding word is the single publishing store.
 *
 * Positions are monotonic logical byte offsets kept as exact JS numbers (< 2^53 - 2^32): a frame at
 * position p lives at data offset p mod capacityBytes. They stay exact across 2^32: shared monotonic
 * positions (head, tail) are stored as three int32 words [hi1, lo, hi2] with Lamport's
 * concurrent-clock protocol (writer: hi2, lo, hi1 when hi changes, else lo only; reader: hi1, lo,
 * hi2, retry when hi1 != hi2 — retries only happen while the writer carries, once per 4 GiB).
 * `released` is only read by the writer, which knows head exactly and head - released <= capacity
 * (<= 2^30), so its low 32 bits suffice.
 *
 * Fit rule (backpressure): a write needs every byte it touches — padding, frame, and the next
 * frame's 8-byte word it zeroes — to be at logical positions < released + capacityBytes, i.e.
 * head + padding + frameSize + 8 <= released + capacityBytes.
 */
import { assert } from './errors.js';

export const RingCounter = { base: 0, hw: 1, leo: 2, read: 3 } as const;
export type RingCounter = (typeof RingCounter)[keyof typeof RingCounter];

export const RingMode = { overwrite: 'overwrite', backpressure: 'backpressure' } as const;
export type RingMode = (typeof RingMode)[keyof typeof RingMode];

/** Value of the header `closed` word. */
export const RingClosedCode = { open: 0, closed: 1, continued: 2 } as const;
export type RingState = keyof typeof RingClosedCode;

/** Value of the header `mode` word. */
export const RingModeCode = { unset: 0, overwrite: 1, backpressure: 2 } as const;

export const RingLimits = {
  minCapacityBytes: 1024,
  maxCapacityBytes: 2 ** 30,
  defaultMaxFrameBytes: 16 * 1024 * 1024,
  frameHeaderBytes: 8,
  frameAlignBytes: 8,
  /** Largest logical position; keeps positions exact doubles with a hi word far below 2^31. */
  maxPosition: 2 ** 53 - 2 ** 32,
  /** The writer frees up to this many bytes beyond what a write needs, so tail stores are rare. */
  maxTailSlackBytes: 64 * 1024,
  /** waitForData / waitForSpace poll this many times before sleeping (sleeping costs microseconds). */
  waitSpinPolls: 256,
  /** Waits are bounded: longest timeout accepted by the wait methods. */
  maxWaitMs: 2 ** 31 - 1,
  /** Lamport-read retries before declaring the header broken (a retry needs a 2^32 carry). */
  maxPositionReadRetries: 1_000_000,
  counterCount: 4,
} as const;

export const RING_MAGIC = 0x52565247; // 'RVRG'
export const RING_VERSION = 1;
export const HEADER_BYTES = 1024;
export const TWO_POW_32 = 2 ** 32;

/** Byte offsets of header fields (see the drawing above). */
export const HeaderByte = {
  magic: 0,
  version: 4,
  capacityBytes: 8,
  maxFrameBytes: 12,
  mode: 16,
  closed: 20,
  generation: 24,
  head: 64,
  tail: 128,
  released: 192,
  notify: 256,
  waiters: 320,
  counters: 384, // counter i at counters + 64 * i, BigInt64
  spaceNotify: 640,
  spaceWaiters: 704,
} as const;

/** Int32 indices of header words. */
export const HeaderWord = {
  magic: HeaderByte.magic >> 2,
  version: HeaderByte.version >> 2,
  capacityBytes: HeaderByte.capacityBytes >> 2,
  maxFrameBytes: HeaderByte.maxFrameBytes >> 2,
  mode: HeaderByte.mode >> 2,
  closed: HeaderByte.closed >> 2,
  generation: HeaderByte.generation >> 2,
  head: HeaderByte.head >> 2,
  tail: HeaderByte.tail >> 2,
  released: HeaderByte.released >> 2,
  notify: HeaderByte.notify >> 2,
  waiters: HeaderByte.waiters >> 2,
  spaceNotify: HeaderByte.spaceNotify >> 2,
  spaceWaiters: HeaderByte.spaceWaiters >> 2,
} as const;

/** Word offsets inside a [hi1, lo, hi2] position triple. */
export const PositionWord = { hi1: 0, lo: 1, hi2: 2 } as const;
const POS_HI1 = PositionWord.hi1;
const POS_LO = PositionWord.lo;
const POS_HI2 = PositionWord.hi2;

export function align8(bytes: number): number {
  return (bytes + 7) & ~7;
}

/** Size of the frame holding `payloadBytes` (header + aligned payload). */
export function frameBytes(payloadBytes: number): number {
  return RingLimits.frameHeaderBytes + align8(payloadBytes);
}

/** Int32 index of the frame word at data offset `dataOffset`. */
export function frameWordIndex(dataOffset: number): number {
  return (HEADER_BYTES + dataOffset) >> 2;
}

/** Bytes freed beyond need when the writer advances tail (trades a little retention for fewer stores). */
export function tailSlackBytes(capacityBytes: number): number {
  return Math.min(capacityBytes / 16, RingLimits.maxTailSlackBytes);
}

/** Index of counter i in a BigInt64Array over the whole buffer. */
export function counterIndex(i: number): number {
  if (!(Number.isInteger(i) && i >= 0 && i < RingLimits.counterCount)) assert(false, `ring counter index ${i} out of 0..3`);
  return (HeaderByte.counters + 64 * i) >> 3;
}

/** Publishes a monotonic position (single writer per triple). `previous` is the last value stored. */
export function storePosition(i32: Int32Array, word: number, value: number, previous: number): void {
  const hi = Math.floor(value / TWO_POW_32);
  if (hi !== Math.floor(previous / TWO_POW_32)) {
    Atomics.store(i32, word + POS_HI2, hi);
    Atomics.store(i32, word + POS_LO, value | 0);
    Atomics.store(i32, word + POS_HI1, hi);
  } else {
    Atomics.store(i32, word + POS_LO, value | 0);
  }
}

/** Reads a position triple consistently (Lamport: hi1, lo, hi2; equal hi words ⇒ consistent). */
export function loadPosition(i32: Int32Array, word: number): number {
  for (let attempt = 0; attempt < RingLimits.maxPositionReadRetries; attempt++) {
    const hi1 = Atomics.load(i32, word + POS_HI1);
    const lo = Atomics.load(i32, word + POS_LO);
    const hi2 = Atomics.load(i32, word + POS_HI2);
    if (hi1 === hi2) return hi1 * TWO_POW_32 + (lo >>> 0);
  }
  assert(false, 'ring position words never settled (writer stuck mid-update?)');
}

/** Initializes a position triple (no concurrent readers yet). */
export function initPosition(i32: Int32Array, word: number, value: number): void {
  const hi = Math.floor(value / TWO_POW_32);
  Atomics.store(i32, word + POS_HI2, hi);
  Atomics.store(i32, word + POS_LO, value | 0);
  Atomics.store(i32, word + POS_HI1, hi);
}

/** Geometry read back from (and checked against) a ring buffer's header. */
export interface RingGeometry {
  capacityBytes: number;
  maxFrameBytes: number;
  generation: number;
}

export function readGeometry(sab: SharedArrayBuffer): RingGeometry {
  assert(sab instanceof SharedArrayBuffer, 'ring buffer must be a SharedArrayBuffer');
  assert(sab.byteLength >= HEADER_BYTES + RingLimits.minCapacityBytes, 'ring buffer too small');
  const i32 = new Int32Array(sab, 0, HEADER_BYTES >> 2);
  assert(Atomics.load(i32, HeaderWord.magic) === RING_MAGIC, 'not a ring buffer (bad magic)');
  assert(Atomics.load(i32, HeaderWord.version) === RING_VERSION, 'unsupported ring layout version');
  const capacityBytes = Atomics.load(i32, HeaderWord.capacityBytes);
  const maxFrameBytes = Atomics.load(i32, HeaderWord.maxFrameBytes);
  assert(sab.byteLength === HEADER_BYTES + capacityBytes, 'ring buffer size does not match its header');
  return { capacityBytes, maxFrameBytes, generation: Atomics.load(i32, HeaderWord.generation) };
}

/**
 * Allocates and initializes a ring. `initialPosition` (a multiple of 8) is where head and tail start
 * (a grown ring continues at its predecessor's head; tests start near 2^32); `generation` goes in
 * the header (default 0). maxFrameBytes defaults to min(capacity/4, 16 MiB) and may be up to
 * capacity/2 - 8 (so that padding + frame + next word always fit in the region).
 */
export function createRing(
  capacityBytes: number,
  opts: { maxFrameBytes?: number; initialPosition?: number; generation?: number } = {},
): SharedArrayBuffer {
  assert(
    Number.isInteger(capacityBytes) &&
      capacityBytes >= RingLimits.minCapacityBytes &&
      capacityBytes <= RingLimits.maxCapacityBytes &&
      (capacityBytes & (capacityBytes - 1)) === 0,
    `ring capacityBytes must be a power of two in 1 KiB..1 GiB, got ${capacityBytes}`,
  );
  const maxFrameBytes = opts.maxFrameBytes ?? Math.min(capacityBytes / 4, RingLimits.defaultMaxFrameBytes);
  assert(
    Number.isInteger(maxFrameBytes) && maxFrameBytes >= 0 && frameBytes(maxFrameBytes) <= capacityBytes / 2,
    `ring maxFrameBytes must be 0..capacity/2-8, got ${maxFrameBytes}`,
  );
  const initialPosition = opts.initialPosition ?? 0;
  assert(
    Number.isSafeInteger(initialPosition) &&
      initialPosition >= 0 &&
      initialPosition <= RingLimits.maxPosition / 2 &&
      initialPosition % RingLimits.frameAlignBytes === 0,
    `ring initialPosition must be a multiple of 8 in 0..2^52, got ${initialPosition}`,
  );
  const generation = opts.generation ?? 0;
  assert(Number.isInteger(generation) && generation >= 0 && generation <= 0x7fff_ffff, `ring generation must be 0..2^31-1, got ${generation}`);
  const sab = new SharedArrayBuffer(HEADER_BYTES + capacityBytes);
  const i32 = new Int32Array(sab, 0, HEADER_BYTES >> 2);
  i32[HeaderWord.capacityBytes] = capacityBytes;
  i32[HeaderWord.maxFrameBytes] = maxFrameBytes;
  i32[HeaderWord.mode] = RingModeCode.unset;
  i32[HeaderWord.generation] = generation;
  initPosition(i32, HeaderWord.head, initialPosition);
  initPosition(i32, HeaderWord.tail, initialPosition);
  Atomics.store(i32, HeaderWord.released, initialPosition | 0);
  Atomics.store(i32, HeaderWord.version, RING_VERSION);
  Atomics.store(i32, HeaderWord.magic, RING_MAGIC);
  return sab;
}
