/**
 * Pooled batch buffers for a producer whose transport copies batches (HostTransport
 * `producedBatchesCopied`, the thread host): a sealed batch leaves in its builder's own buffer
 * (BatchBuilder.finishSwap) and the builder goes on in a pooled one; once the batch settled its
 * buffer comes back here. In steady state no batch buffer is allocated (nor copied) per batch.
 *
 * Invariants: every buffer handed out has exactly `bufferBytes` bytes; a buffer is given back
 * only after nothing reads it (its batch settled, the transport copied it); at most `maxFree`
 * wait here, anything else is left to the GC (restamped copies, grown buffers, overflow).
 */
/** Free buffers kept: enough for one batch per partition of a wide topic in flight, ≤ 16 MiB. */
export const BATCH_BUFFERS = { maxFree: 256, maxFreeBytes: 16 * 1024 * 1024 } as const;

export class BatchBuffers {
  private readonly free: Uint8Array[] = [];

  private readonly maxFree: number;

  constructor(readonly bufferBytes: number, maxFree: number = BATCH_BUFFERS.maxFree) {
    this.maxFree = Math.max(1, Math.min(maxFree, Math.floor(BATCH_BUFFERS.maxFreeBytes / bufferBytes)));
  }

  take(): Uint8Array {
    return this.free.pop() ?? new Uint8Array(this.bufferBytes);
  }

  /** The bytes of a settled batch (any view of its buffer); kept when it is one of ours. */
  give(batch: Uint8Array): void {
    const buf = batch.buffer;
    if (buf instanceof ArrayBuffer && buf.byteLength === this.bufferBytes && this.free.length < this.maxFree) this.free.push(new Uint8Array(buf));
  }
}
