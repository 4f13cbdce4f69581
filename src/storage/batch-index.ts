/**
 * The flat record index of a lazily decoded batch (batch-view.ts): eight int32 words per record
 * plus a float64 timestamp delta, built in one pass over the batch.
 *
 *   index[i * 8 + …]   0 offsetDelta   1 keyStart (-1 = null key)   2 keyLength
 *                      3 valueStart    4 valueLength                5 headersStart
 *                      6 headerCount   7 recordEnd (byte after the record)
 *   timestamps[i]      timestampDelta (the view adds firstTimestamp when asked)
 *
 * BatchIndexScratch: index arrays shared by the views of one reader (a consumer). The view being
 * read owns them; another view that reads rebuilds them for itself. Reading batch after batch thus
 * allocates no index at all; interleaving two views of one scratch is correct but re-indexes at
 * each switch. Invariant: `owner` is set only after a complete, validated build (a build that
 * throws leaves it null).
 */
export const INDEX_STRIDE = 8 as const;
export const IndexField = { offsetDelta: 0, keyStart: 1, keyLength: 2, valueStart: 3, valueLength: 4, headersStart: 5, headerCount: 6, recordEnd: 7 } as const;

/** Index arrays shared by the views of one reader (see the header); grows to the largest batch. */
export class BatchIndexScratch {
  /** The view whose records the arrays hold now (null: none, or being rebuilt). */
  owner: object | null = null;
  index = new Int32Array(0);
  timestamps = new Float64Array(0);

  /** Room for `count` records (owner cleared: the caller is about to overwrite the arrays). */
  take(count: number): void {
    this.owner = null;
    if (this.timestamps.length >= count) return;
    const n = Math.max(count, 2 * this.timestamps.length, 64);
    this.index = new Int32Array(n * INDEX_STRIDE);
    this.timestamps = new Float64Array(n);
  }
}

