/**
 * Bounded FIFO mailbox (circular array). Never grows past `capacity`: `push` returns false when
 * full and the caller decides (drop with a log line, error reply, or backpressure).
 *
 * The array starts small (MAILBOX_DEFAULTS.initialSlots) and doubles when full, up to `capacity`:
 * an idle actor costs a few hundred bytes, not capacity × 8 (1,000 idle replicas were 512 MiB).
 *
 *   items: [ … | head → oldest … newest | free … ]   (indices mod items.length)
 *
 * Invariant: 0 ≤ size ≤ capacity; items.length ≤ capacity; items leave in the order they entered.
 */
import { assert } from '../runtime/errors.js';

export const MAILBOX_DEFAULTS = { capacity: 65_536, initialSlots: 16 } as const;

export class Mailbox<T> {
  private items: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number = MAILBOX_DEFAULTS.capacity) {
    assert(Number.isInteger(capacity) && capacity > 0 && capacity <= 1 << 24, `mailbox capacity ${capacity}`);
    this.items = new Array<T | undefined>(Math.min(capacity, MAILBOX_DEFAULTS.initialSlots));
  }

  get size(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count === this.capacity;
  }

  push(item: T): boolean {
    if (this.count === this.capacity) return false;
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) % this.items.length] = item;
    this.count++;
    return true;
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.items.length;
    this.count--;
    return item;
  }

  clear(): void {
    while (this.count > 0) this.shift();
  }

  /** Doubles the array (≤ capacity), oldest item first at index 0. */
  private grow(): void {
    const old = this.items;
    const bigger = new Array<T | undefined>(Math.min(this.capacity, old.length * 2));
    for (let i = 0; i < this.count; i++) bigger[i] = old[(this.head + i) % old.length];
    this.items = bigger;
    this.head = 0;
  }
}
