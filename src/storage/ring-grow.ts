/**
 * Growing log-tail rings: a writer chain that starts with a small overwrite ring and moves to one
 * twice as big (up to maxBytes) when traffic needs it, and the rule its readers follow.
 *
 * Writer (GrowingRingWriter): before a write that would overwrite older frames (the ring is full),
 * or whose frame exceeds the ring's maxFrameBytes, while the ring is below maxBytes:
 *   1. create the successor: capacity doubled (more if the frame needs it), generation + 1, head =
 *      tail = the current head (logical positions continue across rings), counters copied;
 *   2. close the current ring as 'continued' (its frames stay intact: nothing overwrites them);
 *   3. announce the successor (after 2: whoever sees the new buffer sees the old one continued).
 * At maxBytes it overwrites as a plain overwrite ring. `replace()` (a truncation) starts a fresh
 * ring of the same capacity and closes the old one 'closed': its frames must not be read on.
 *
 *   ring g   [tail ······ frames ······ head)  closed 'continued'
 *   ring g+1                            [head ··· new frames ···)   (2× capacity)
 *
 * Reader (followRing): a reader on ring R, told of ring A (the newest, or R's successor):
 *   - R lapped → restart on A (from its oldest frame);
 *   - A is R → stay;
 *   - A is not R's direct successor (generation), or A is closed → restart on A;
 *   - R continued in A, R not drained → stay: finish R first (bytes in order, exactly once);
 *   - R continued in A, drained → continue on A at R's position (A's first position); if A has
 *     already overwritten it the new reader is lapped (never a silent gap).
 * Counters (BASE/HW/LEO) of a continued ring are frozen: a reader finishing it takes the bounds from
 * the newest ring.
 *
 * Memory: an idle replica costs one initialBytes ring; a busy one reaches maxBytes after about
 * maxBytes of traffic; an old ring is garbage once its last reader moved on.
 */
import { assert } from './errors.js';
import { RingCounter, RingLimits, createRing } from './ring-layout.js';
import { RingReader } from './ring-reader.js';
import { RingWriter } from './ring-writer.js';

export interface GrowingRingOptions {
  /** Capacity of the first ring (power of two ≥ 1 KiB). */
  initialBytes: number;
  /** Largest capacity it grows to (power of two ≥ initialBytes). */
  maxBytes: number;
  /** Called with every new ring buffer (the first one too), after its predecessor was closed. */
  announce(sab: SharedArrayBuffer): void;
  /**
   * Grow a full ring only once a reader marked the chain read in place (RingReader.markRead):
   * a ring nobody reads (a follower's, a partition consumed elsewhere) stays at initialBytes —
   * less memory, and writes that stay in cache. A frame larger than the ring still grows it.
   */
  growWhenRead?: boolean;
}

const COUNTERS = [RingCounter.base, RingCounter.hw, RingCounter.leo, RingCounter.read] as const;

export class GrowingRingWriter {
  private w: RingWriter;
  private closedFlag = false;
  private readonly maxBytes: number;
  /** Largest payload any ring of this chain takes (the largest ring's default maxFrameBytes). */
  readonly maxFrameBytes: number;

  constructor(private readonly opts: GrowingRingOptions) {
    this.maxBytes = opts.maxBytes;
    assert(opts.initialBytes <= opts.maxBytes, `ring initialBytes ${opts.initialBytes} > maxBytes ${opts.maxBytes}`);
    this.maxFrameBytes = Math.min(opts.maxBytes / 4, RingLimits.defaultMaxFrameBytes);
    this.w = new RingWriter(createRing(opts.initialBytes), { mode: 'overwrite' });
    opts.announce(this.w.sab);
  }

  get capacityBytes(): number {
    return this.w.capacityBytes;
  }

  /** Copies payload into a new frame (growing first if needed). -1: larger than maxFrameBytes, skipped. */
  write(payload: Uint8Array): number {
    assert(!this.closedFlag, 'growing ring write after close()');
    const n = payload.length;
    if (n > this.maxFrameBytes) return -1;
    const w = this.w;
    if (w.capacityBytes < this.maxBytes && (n > w.maxFrameBytes || (w.wouldOverwrite(n) && this.mayGrowWhenFull()))) this.grow(n);
    return this.w.write(payload);
  }

  /** growWhenRead: a reader marked the chain (once seen, for good — the mark is never cleared). */
  private readSeen = false;

  private mayGrowWhenFull(): boolean {
    if (this.opts.growWhenRead !== true || this.readSeen) return true;
    this.readSeen = this.w.counter(RingCounter.read) !== 0;
    return this.readSeen;
  }

  setCounter(i: number, value: number): void {
    this.w.setCounter(i, value);
  }

  counter(i: number): number {
    return this.w.counter(i);
  }

  /** A fresh, empty ring of the current capacity (generation + 1); the old one closed for good. */
  replace(): void {
    if (this.closedFlag) return;
    this.successor(this.w.capacityBytes, undefined, 'closed');
  }

  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.w.close('closed');
  }

  private grow(payloadBytes: number): void {
    const old = this.w;
    if (old.head > RingLimits.maxPosition / 2) return; // 2^52 bytes written: keep overwriting
    let capacity = old.capacityBytes * 2;
    while (capacity < this.maxBytes && payloadBytes > capacity / 4) capacity *= 2;
    this.successor(capacity, old.head, 'continued');
  }

  /** The next ring of the chain (generation + 1, counters copied); the old one closed BEFORE the announcement. */
  private successor(capacity: number, initialPosition: number | undefined, how: 'closed' | 'continued'): void {
    const old = this.w;
    const next = new RingWriter(createRing(capacity, { initialPosition, generation: old.generation + 1 }), { mode: 'overwrite' });
    for (const i of COUNTERS) next.setCounter(i, old.counter(i));
    old.close(how);
    this.w = next;
    this.opts.announce(next.sab);
  }
}

export type RingStep = 'stay' | 'continue' | 'restart';

/** What a reader on `current` does when `announced` is the newest ring of its writer chain. */
export function followRing(current: RingReader, announced: RingReader): RingStep {
  if (current.lapped) return 'restart';
  if (current.sab === announced.sab) return 'stay';
  if (current.state !== 'continued' || announced.generation !== current.generation + 1 || announced.state === 'closed') return 'restart';
  return current.closed ? 'continue' : 'stay';
}

/** A reader on `announced` where `previous` (drained, continued in it) ended. */
export function continueReader(previous: RingReader, announced: RingReader): RingReader {
  return new RingReader(announced.sab, { from: previous.position });
}
