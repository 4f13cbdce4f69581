/**
 * StorageBudget: the storage capacity of one SPU, shared by all of its partition logs.
 *
 * Counts the bytes of stored batches (the `sizeBytes` of every log); index and checkpoint files
 * are metadata and not counted.
 *
 * Invariants:
 * - 0 ≤ usedBytes; `reserve` never lets usedBytes pass capacityBytes (it throws OUT_OF_SPACE);
 *   only `claim` (recovery of data that already exists) may push usedBytes above capacity, after
 *   which the budget is full until enough is released.
 * - `release` never releases more than is in use (assert).
 * - While `fill()` is in effect (fault injection: "storage full") every reserve fails and
 *   freeBytes is 0; `unfill()` undoes it. Reads are unaffected.
 */
import { OutOfSpaceError, assert } from './errors.js';

export class StorageBudget {
  readonly capacityBytes: number;
  private used = 0;
  private filled = false;

  constructor(capacityBytes: number = Infinity) {
    assert(
      capacityBytes === Infinity || (Number.isSafeInteger(capacityBytes) && capacityBytes >= 0),
      `capacityBytes must be a non-negative integer or Infinity, got ${capacityBytes}`,
    );
    this.capacityBytes = capacityBytes;
  }

  get usedBytes(): number {
    return this.used;
  }

  get freeBytes(): number {
    if (this.filled) return 0;
    return Math.max(0, this.capacityBytes - this.used);
  }

  get full(): boolean {
    return this.filled || this.used >= this.capacityBytes;
  }

  /** Take `bytes` of capacity, or throw OutOfSpaceError (code OUT_OF_SPACE, retriable). */
  reserve(bytes: number): void {
    assert(Number.isSafeInteger(bytes) && bytes >= 0, `reserve: bad byte count ${bytes}`);
    if (this.filled) {
      throw new OutOfSpaceError(`storage full (filled by fault injection): cannot store ${bytes} bytes`, {
        bytes,
        usedBytes: this.used,
        capacityBytes: this.capacityBytes,
      });
    }
    if (this.used + bytes > this.capacityBytes) {
      throw new OutOfSpaceError(
        `storage full: ${bytes} bytes do not fit (${this.used} of ${this.capacityBytes} bytes used)`,
        { bytes, usedBytes: this.used, capacityBytes: this.capacityBytes },
      );
    }
    this.used += bytes;
  }

  /** Account for bytes that already exist (log recovery); may exceed capacity, never throws. */
  claim(bytes: number): void {
    assert(Number.isSafeInteger(bytes) && bytes >= 0, `claim: bad byte count ${bytes}`);
    this.used += bytes;
  }

  release(bytes: number): void {
    assert(Number.isSafeInteger(bytes) && bytes >= 0, `release: bad byte count ${bytes}`);
    assert(bytes <= this.used, `release of ${bytes} bytes but only ${this.used} in use`);
    this.used -= bytes;
  }

  /** Fault hook: make the SPU look full (every reserve fails) until `unfill()`. */
  fill(): void {
    this.filled = true;
  }

  unfill(): void {
    this.filled = false;
  }
}
