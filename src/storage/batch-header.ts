/**
 * RecordBatch v2 validation (framing and CRC-32C), plus the batch layout and field accessors
 * re-exported from batch-layout.ts so existing importers keep one entry point.
 *
 * Invariants: validateBatch accepts a batch only if it is long enough for the 61-byte header, its
 * total size (batchLength + 12) is within [headerBytes, maxBatchBytes] and within the bytes given,
 * magic is 2, the stored CRC matches CRC-32C of bytes [attributes, end) (unless verifyCrc = false),
 * and recordCount / lastOffsetDelta are consistent. The layout itself is documented and defined in
 * batch-layout.ts.
 *
 * Dependency note: this module loads crc32c.ts, which loads `node:module` (optional native CRC).
 * Code that must stay builtin-free (actors/, log-config.ts) imports batch-layout.ts instead.
 */
import { crc32c } from './crc32c.js';
import { CorruptBatchError } from './errors.js';
import { BatchLayout, MAX_BATCH_BYTES, batchLastOffsetDelta, batchRecordCount, batchStoredCrc, batchTotalBytes } from './batch-layout.js';

export * from './batch-layout.js';

/**
 * Validate framing and CRC of the batch at the start of `b` (which may hold more bytes after it).
 * Returns the batch's total size. Throws CorruptBatchError on any inconsistency: too short,
 * length that lies, wrong magic, bad CRC, negative counts. `verifyCrc = false` keeps every framing
 * check but skips the CRC — only for bytes read back from a log that verified it on the way in.
 */
export function validateBatch(b: Uint8Array, maxBatchBytes: number = MAX_BATCH_BYTES, verifyCrc = true): number {
  if (b.byteLength < BatchLayout.headerBytes) {
    throw new CorruptBatchError(`batch truncated: ${b.byteLength} bytes, header needs ${BatchLayout.headerBytes}`, {
      bytes: b.byteLength,
    });
  }
  const total = batchTotalBytes(b);
  if (total < BatchLayout.headerBytes || total > maxBatchBytes) {
    throw new CorruptBatchError(`batch length ${total} out of bounds [${BatchLayout.headerBytes}, ${maxBatchBytes}]`, {
      total,
    });
  }
  if (total > b.byteLength) {
    throw new CorruptBatchError(`batch truncated: length says ${total} bytes, only ${b.byteLength} present`, {
      total,
      bytes: b.byteLength,
    });
  }
  const magic = b[BatchLayout.magic];
  if (magic !== BatchLayout.magicValue) {
    throw new CorruptBatchError(`unsupported batch magic ${magic} (expected 2)`, { magic });
  }
  if (verifyCrc) {
    const stored = batchStoredCrc(b);
    const actual = crc32c(b, BatchLayout.attributes, total);
    if (stored !== actual) {
      throw new CorruptBatchError(`batch CRC mismatch: stored ${stored}, computed ${actual}`, { stored, actual });
    }
  }
  const count = batchRecordCount(b);
  const lastDelta = batchLastOffsetDelta(b);
  if (count < 0 || lastDelta < 0 || (count > 0 && lastDelta < count - 1)) {
    throw new CorruptBatchError(`batch counts inconsistent: recordCount ${count}, lastOffsetDelta ${lastDelta}`, {
      count,
      lastDelta,
    });
  }
  return total;
}
