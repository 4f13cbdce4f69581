/**
 * rivulet's public API. Nothing else is.
 */
export { Cluster, type ClusterEvents } from './cluster/cluster.js';
export type { ClusterOptions } from './cluster/options.js';
export { Offset, type OffsetSpec } from './cluster/offset.js';
export { Admin, type CreateTopicOptions } from './cluster/admin.js';
export { Producer, type ProducerOptions, type ProduceRecord, type RecordMetadata } from './cluster/producer.js';
export { PartitionConsumer, ConsumedBatch, type ConsumerOptions, type ConsumerRecord } from './cluster/consumer.js';
export { Faults } from './cluster/faults.js';
export {
  RivuletError, ErrorCode, OutOfSpaceError, OffsetOutOfRangeError, CorruptBatchError, RecordTooLargeError,
} from './runtime/errors.js';
export type { Record, RecordHeader } from './storage/record-batch.js';
export type { PartitionInfo, SpuInfo, TopicSpec, PartitionStatusEvent, Resolution, AcksMode, Isolation } from '../actors/messages.js';
export { runSeed, describeRun, type SimRunResult, type SimRunConfig, type FailureKind } from './testing/sim-runner.js';
export { runSeeds, type SeedPoolOptions } from './testing/seed-pool.js';
