/**
 * The storage layer's surface for the layers above (actors, hosts, facade).
 */
export * from './errors.js';
export { crc32c, crc32cUpdate } from './crc32c.js';
export * from './batch-header.js';
export * from './record-batch.js';
export { createRing, RingWriter, RingReader, RingCounter, GrowingRingWriter, followRing, continueReader, type RingStep } from './ring.js';
export { PartitionLog, StorageBudget, DEFAULT_LOG_CONFIG } from './log.js';
export { resolveLogConfig } from './log-config.js';
export type { LogConfig, LogDeps, TailSink, FileOps, ReadResult, AppendResult } from './log.js';
