/**
 * Min-heap of timers ordered by (dueMs, seq). Shared by both hosts: the thread host arms one real
 * timer for the earliest entry; the sim host advances its virtual clock to it.
 *
 * Invariant: pop order is by dueMs, ties broken by insertion sequence (deterministic).
 * Cancelled entries are removed lazily (skipped when they reach the top).
 */
export interface TimerEntry<T> {
  readonly id: number;
  readonly dueMs: number;
  readonly seq: number;
  readonly payload: T;
}

export class TimerQueue<T> {
  private heap: TimerEntry<T>[] = [];
  private cancelled = new Set<number>();
  private nextId = 1;
  private nextSeq = 0;

  get size(): number {
    return this.heap.length - this.cancelled.size;
  }

  add(dueMs: number, payload: T): number {
    const entry: TimerEntry<T> = { id: this.nextId++, dueMs, seq: this.nextSeq++, payload };
    this.heap.push(entry);
    this.up(this.heap.length - 1);
    return entry.id;
  }

  cancel(id: number): void {
    if (this.heap.some((e) => e.id === id)) this.cancelled.add(id);
  }

  peek(): TimerEntry<T> | undefined {
    this.dropCancelled();
    return this.heap[0];
  }

  /** Remove and return the earliest entry if it is due at `nowMs`. */
  popDue(nowMs: number): TimerEntry<T> | undefined {
    const top = this.peek();
    if (!top || top.dueMs > nowMs) return undefined;
    return this.pop();
  }

  pop(): TimerEntry<T> | undefined {
    this.dropCancelled();
    const heap = this.heap;
    if (heap.length === 0) return undefined;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      this.down(0);
    }
    return top;
  }

  clear(): void {
    this.heap = [];
    this.cancelled.clear();
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.cancelled.has(this.heap[0]!.id)) {
      this.cancelled.delete(this.heap[0]!.id);
      const last = this.heap.pop()!;
      if (this.heap.length > 0) {
        this.heap[0] = last;
        this.down(0);
      }
    }
  }

  private less(a: TimerEntry<T>, b: TimerEntry<T>): boolean {
    return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.seq < b.seq);
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
