/**
 * A worker's produce-ack ring and doorbell word (one SAB per worker, created by its ProduceLane):
 * the low-latency way back for produce acks. The worker writes one fixed entry per successful
 * ProduceAck bound for the main thread instead of posting a message (no structured clone either
 * way); main sleeps on the `written` counter with Atomics.waitAsync while it has produces pending
 * and drains the entries when woken. Error acks and a full ring take the message path.
 *
 *   Int32 word  field
 *            0  doorbell   1: main posted a doorbell the worker has not started draining for
 *            1  written    entries the worker published (u32 counter, wraps)
 *            2  read       entries main consumed (u32 counter, wraps)
 *            3  waiting    1: main sleeps on `written`; the worker clears it and notifies
 *       4..15  reserved
 *   byte 64 + 24·(i mod capacity): entry  reqId u32 | pad u32 | baseOffset f64 | lastOffset f64
 *
 * Invariants:
 * - Single writer (the worker) and single reader (main); written - read ≤ capacity: the writer
 *   refuses (false) rather than overwrite an unread entry.
 * - An entry is filled before `written` is bumped (Atomics.store); main reads it only after an
 *   Atomics.load of `written` shows it, and bumps `read` after copying it out.
 * - No lost wake-up: main raises `waiting`, re-checks `written`, then waits on the value it saw;
 *   the worker bumps `written`, then clears a raised `waiting` and notifies (seq-cst Atomics).
 * - Doorbell: main rings (Atomics.notify on word 0) only when it flips the word 0 → 1; the worker
 *   sleeps on the word with Atomics.waitAsync while it is 0 and stores 0 BEFORE it drains its
 *   produce ring, so a frame committed before a skipped ring is always drained. The worker's wait
 *   checks the value and main's notify wakes under V8's futex lock: no ring is lost.
 */
import { atomicsWaitAsync } from '../storage/ring-wait.js';

export const ACK_RING = { headerBytes: 64, entryBytes: 24, capacity: 4096 } as const;

const DOORBELL = 0;
const WRITTEN = 1;
const READ = 2;
const WAITING = 3;

export function createAckRing(): SharedArrayBuffer {
  return new SharedArrayBuffer(ACK_RING.headerBytes + ACK_RING.entryBytes * ACK_RING.capacity);
}

class AckRingView {
  protected readonly i32: Int32Array;
  protected readonly u32: Uint32Array;
  protected readonly f64: Float64Array;

  constructor(readonly sab: SharedArrayBuffer) {
    this.i32 = new Int32Array(sab);
    this.u32 = new Uint32Array(sab);
    this.f64 = new Float64Array(sab);
  }

  /** Uint32 word index of entry `n` (f64 index = word/2 + 1, + 2). */
  protected entryWord(n: number): number {
    return (ACK_RING.headerBytes + ACK_RING.entryBytes * (n % ACK_RING.capacity)) >> 2;
  }
}

/** The worker's side: publish acks, take doorbells. */
export class AckRingWriter extends AckRingView {
  private written = 0;
  private dirty = false;

  /** Publish one ack; false (nothing written) when main has not made room. */
  push(reqId: number, baseOffset: number, lastOffset: number): boolean {
    const w = this.written;
    if (((w - Atomics.load(this.i32, READ)) >>> 0) >= ACK_RING.capacity) return false;
    const word = this.entryWord(w);
    this.u32[word] = reqId >>> 0;
    this.f64[(word >> 1) + 1] = baseOffset;
    this.f64[(word >> 1) + 2] = lastOffset;
    this.written = (w + 1) >>> 0;
    Atomics.store(this.i32, WRITTEN, this.written | 0);
    this.dirty = true;
    return true;
  }

  /** After a drain: wake main if it sleeps and acks were published since the last call. */
  wake(): void {
    if (!this.dirty) return;
    this.dirty = false;
    if (Atomics.load(this.i32, WAITING) !== 0 && Atomics.exchange(this.i32, WAITING, 0) !== 0) Atomics.notify(this.i32, WRITTEN);
  }

  /** Before draining the produce ring: later frames need a new doorbell. */
  takeDoorbell(): void {
    Atomics.store(this.i32, DOORBELL, 0);
  }

  private bellArmed = false;

  /**
   * Sleep on the doorbell word (at most one wait at a time): `rung` runs once main rang, or at
   * once (synchronously) when the word is already 1 — a frame waits to be drained.
   */
  listen(rung: () => void): void {
    if (this.bellArmed) return;
    const r = waitAsync(this.i32, DOORBELL, 0);
    if (!r.async) return rung();
    this.bellArmed = true;
    void r.value.then(() => {
      this.bellArmed = false;
      rung();
    });
  }
}

/** Atomics.waitAsync without a timeout (the shim ring-wait.ts declares for TypeScript). */
const waitAsync = (i32: Int32Array, index: number, value: number) => atomicsWaitAsync(i32, index, value, Infinity);

/** Main's side of the doorbell: true when this call flipped the word 0 → 1 and woke the worker. */
export function ringDoorbell(bell: Int32Array): boolean {
  if (Atomics.exchange(bell, DOORBELL, 1) !== 0) return false;
  Atomics.notify(bell, DOORBELL);
  return true;
}

/** Main's side: drain acks into `sink`, sleep while `sink.waiting()` (the lane flips the doorbell word). */
export class AckRingReader extends AckRingView {
  private read = 0;
  private armed = false;
  private closed = false;

  constructor(sab: SharedArrayBuffer, private readonly sink: { ack(reqId: number, baseOffset: number, lastOffset: number): void; waiting(): boolean }) {
    super(sab);
  }

  /** A produce awaits its ack here: make sure main wakes for it. */
  expect(): void {
    if (!this.armed && !this.closed) this.arm();
  }

  /** Hand every published entry to the sink; the number drained. */
  drain(): number {
    const w = Atomics.load(this.i32, WRITTEN) >>> 0;
    let n = 0;
    while (this.read !== w) {
      const word = this.entryWord(this.read);
      const reqId = this.u32[word]!;
      const base = this.f64[(word >> 1) + 1]!;
      const last = this.f64[(word >> 1) + 2]!;
      this.read = (this.read + 1) >>> 0;
      Atomics.store(this.i32, READ, this.read | 0);
      this.sink.ack(reqId, base, last);
      n++;
    }
    return n;
  }

  /** The worker is gone: stop waiting (a pending wait is released). */
  close(): void {
    this.closed = true;
    Atomics.notify(this.i32, WRITTEN);
  }

  private arm(): void {
    for (;;) {
      this.drain();
      if (this.closed || !this.sink.waiting()) return;
      const seen = Atomics.load(this.i32, WRITTEN);
      Atomics.store(this.i32, WAITING, 1);
      if ((seen >>> 0) !== this.read) continue; // published meanwhile: drain again
      const r = waitAsync(this.i32, WRITTEN, seen);
      if (!r.async) continue;
      this.armed = true;
      void r.value.then(this.woken);
      return;
    }
  }

  private readonly woken = (): void => {
    this.armed = false;
    if (!this.closed) this.arm();
  };
}
