/**
 * Kafka RecordBatch v2 (magic 2) header layout, and zero-copy field accessors over raw batch bytes.
 * All integers are big-endian. Validation (framing + CRC-32C) lives in batch-header.ts, which
 * re-exports everything here.
 *
 *   offset  size  field
 *   ------  ----  ------------------------------------------------------------
 *        0     8  baseOffset            i64   (patched by the leader; not under CRC)
 *        8     4  batchLength           i32   bytes after this field (= total - 12)
 *       12     4  partitionLeaderEpoch  i32   (patched by the leader; not under CRC)
 *       16     1  magic                 i8    always 2
 *       17     4  crc                   u32   CRC-32C of bytes [21, end)
 *       21     2  attributes            i16   bits 0-2 compression (0 = none), bit 3 timestamp type,
 *                                             bit 4 transactional, bit 5 control
 *       23     4  lastOffsetDelta       i32
 *       27     8  firstTimestamp        i64   ms since epoch
 *       35     8  maxTimestamp          i64
 *       43     8  producerId            i64   -1 when none
 *       51     2  producerEpoch         i16   -1 when none
 *       53     4  baseSequence          i32   -1 when none
 *       57     4  recordCount           i32
 *       61     …  records (see record-batch.ts)
 *
 * Invariants: a batch's total size is batchLength + 12; offsets of its records are
 * baseOffset .. baseOffset + lastOffsetDelta; patching baseOffset or partitionLeaderEpoch never
 * invalidates the CRC.
 *
 * Dependency invariant: this module imports nothing, so it loads no Node builtin or package at
 * runtime; actors/ (deterministic, DESIGN §2) and log-config.ts may import it. Accessors do not
 * bounds-check beyond DataView's own RangeError; validate untrusted bytes with validateBatch first.
 */
export const BatchLayout = {
  baseOffset: 0,
  batchLength: 8,
  partitionLeaderEpoch: 12,
  magic: 16,
  crc: 17,
  attributes: 21,
  lastOffsetDelta: 23,
  firstTimestamp: 27,
  maxTimestamp: 35,
  producerId: 43,
  producerEpoch: 51,
  baseSequence: 53,
  recordCount: 57,
  /** Size of the fixed header; the first record starts here. */
  headerBytes: 61,
  /** baseOffset + batchLength: the bytes not counted in batchLength. */
  logOverheadBytes: 12,
  magicValue: 2,
} as const;

/** Largest batch accepted anywhere (frames, rings, files). */
export const MAX_BATCH_BYTES = 16 * 1024 * 1024;

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

export function batchBaseOffset(b: Uint8Array): number {
  return Number(view(b).getBigInt64(BatchLayout.baseOffset));
}
export function setBatchBaseOffset(b: Uint8Array, baseOffset: number): void {
  view(b).setBigInt64(BatchLayout.baseOffset, BigInt(baseOffset));
}
export function batchLength(b: Uint8Array): number {
  return view(b).getInt32(BatchLayout.batchLength);
}
/** Total bytes of the batch starting at b[0], from its length field. */
export function batchTotalBytes(b: Uint8Array): number {
  return batchLength(b) + BatchLayout.logOverheadBytes;
}
export function batchLeaderEpoch(b: Uint8Array): number {
  return view(b).getInt32(BatchLayout.partitionLeaderEpoch);
}
export function setBatchLeaderEpoch(b: Uint8Array, epoch: number): void {
  view(b).setInt32(BatchLayout.partitionLeaderEpoch, epoch);
}
export function batchLastOffsetDelta(b: Uint8Array): number {
  return view(b).getInt32(BatchLayout.lastOffsetDelta);
}
export function batchLastOffset(b: Uint8Array): number {
  return batchBaseOffset(b) + batchLastOffsetDelta(b);
}
export function batchFirstTimestamp(b: Uint8Array): number {
  return Number(view(b).getBigInt64(BatchLayout.firstTimestamp));
}
export function batchMaxTimestamp(b: Uint8Array): number {
  return Number(view(b).getBigInt64(BatchLayout.maxTimestamp));
}
export function batchRecordCount(b: Uint8Array): number {
  return view(b).getInt32(BatchLayout.recordCount);
}
export function batchStoredCrc(b: Uint8Array): number {
  return view(b).getUint32(BatchLayout.crc);
}
