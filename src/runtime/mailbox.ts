/**
 * Bounded FIFO mailbox (circular array). Never grows past `capacity`: `push` returns false when
 * full and the caller decides (drop with a log line, error reply, or backpressure).
 *
 * Invariant: 0 ≤ size ≤ capacity; items leave in the order they entered.
 */
import { assert } from '../runtime/errors.js';

export const MAILBOX_DEFAULTS = { capacity: 65_536 } as const;

export class Mailbox<T> {
  private readonly items: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number = MAILBOX_DEFAULTS.capacity) {
    assert(Number.isInteger(capacity) && capacity > 0 && capacity <= 1 << 24, `mailbox capacity ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count === this.capacity;
  }

  push(item: T): boolean {
    if (this.count === this.capacity) return false;
    this.items[(this.head + this.count) % this.capacity] = item;
    this.count++;
    return true;
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    return item;
  }

  clear(): void {
    while (this.count > 0) this.shift();
  }
}
