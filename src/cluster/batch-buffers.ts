/**
 * Pooled batch buffers for a producer whose transport copies batches (HostTransport
 * `producedBatchesCopied`, the thread host): a sealed batch leaves in its builder's own buffer
 * (BatchBuilder.finishSwap) and the builder goes on in a pooled buffer of the same size; once the
 * batch settled its buffer comes back here. In steady state no batch buffer is allocated (nor
 * copied) per batch.
 *
 * Sizes are classes: powers of two from `minBytes` (a new builder's buffer) to `maxBytes` (a full
 * one). A builder keeps the size it grew to, so a partition whose batches are ~20 KiB (a wide topic:
 * records spread over many partitions) cycles 32 KiB buffers, and one whose batches fill up cycles
 * `maxBytes` ones — neither copies its batches out.
 *
 * Invariants: a buffer handed out by take(n) has exactly n bytes (n a class size); a buffer is given
 * back only after nothing reads it (its batch settled, the transport copied it); at most `maxFree`
 * buffers and `maxFreeBytes` per class wait here; anything else is left to the GC (restamped
 * copies, buffers of other sizes, overflow).
 */
/** Free buffers kept per size class: one batch per partition of a wide topic in flight, ≤ 16 MiB. */
export const BATCH_BUFFERS = { maxFree: 256, maxFreeBytes: 16 * 1024 * 1024 } as const;

export class BatchBuffers {
  /** Free buffers by class (index: log2(size / minBytes)). */
  private readonly free: Uint8Array[][] = [];
  private readonly maxFree: number[] = [];

  constructor(
    readonly minBytes: number,
    readonly maxBytes: number = minBytes,
    maxFree: number = BATCH_BUFFERS.maxFree,
  ) {
    const pow2 = (n: number) => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
    if (!pow2(minBytes) || !pow2(maxBytes) || maxBytes < minBytes) throw new RangeError(`batch buffer classes ${minBytes}..${maxBytes} must be powers of two`);
    for (let size = minBytes; size <= maxBytes; size *= 2) {
      this.free.push([]);
      this.maxFree.push(Math.max(1, Math.min(maxFree, Math.floor(BATCH_BUFFERS.maxFreeBytes / size))));
    }
  }

  /** The class of a buffer of `bytes`, or -1 when no class has that size. */
  classOf(bytes: number): number {
    if (bytes < this.minBytes || bytes > this.maxBytes || (bytes & (bytes - 1)) !== 0) return -1;
    return Math.log2(bytes / this.minBytes);
  }

  /** A buffer of exactly `bytes` (a class size: classOf(bytes) >= 0). */
  take(bytes: number = this.maxBytes): Uint8Array {
    const c = this.classOf(bytes);
    if (c < 0) throw new RangeError(`no batch buffer class of ${bytes} bytes`);
    return this.free[c]!.pop() ?? new Uint8Array(bytes);
  }

  /** The bytes of a settled batch (any view of its buffer); kept when its buffer is of a class. */
  give(batch: Uint8Array): void {
    const buf = batch.buffer;
    if (!(buf instanceof ArrayBuffer)) return;
    const c = this.classOf(buf.byteLength);
    if (c >= 0 && this.free[c]!.length < this.maxFree[c]!) this.free[c]!.push(new Uint8Array(buf));
  }
}
