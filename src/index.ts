/**
 * rivulet's public API. Nothing else is.
 */
import { Cluster } from './cluster/cluster.js';
import { installListener, type ConnectOptions } from './cluster/listen.js';
import { backendOf } from './server/backend.js';
import { startListener } from './server/listener.js';

installListener((cluster, opts) => startListener(backendOf(cluster), opts));

export { Cluster, type ClusterEvents } from './cluster/cluster.js';
export type { ListenOptions, ListenerHandle, ConnectOptions } from './cluster/listen.js';

/** A client of a cluster served over the Kafka protocol: `connect({ brokers: ['127.0.0.1:9092'], token })`. */
export function connect(opts: ConnectOptions): Promise<Cluster> {
  return Cluster.connect(opts);
}
export type { ClusterOptions } from './cluster/options.js';
export { Offset, type OffsetSpec } from './cluster/offset.js';
export { Admin, type CreateTopicOptions } from './cluster/admin.js';
export { Producer, type ProducerOptions, type ProduceRecord, type RecordMetadata } from './cluster/producer.js';
export { PartitionConsumer, ConsumedBatch, type ConsumerOptions, type ConsumerRecord } from './cluster/consumer.js';
export { GroupConsumer, type GroupConsumerOptions, type GroupRecord, type GroupBatch } from './cluster/group-consumer.js';
export type { GroupSummary, GroupInfo, GroupMemberInfo, GroupOffsetInfo } from './cluster/group-admin.js';
export { Faults } from './cluster/faults.js';
export {
  RivuletError, ErrorCode, OutOfSpaceError, OffsetOutOfRangeError, CorruptBatchError, RecordTooLargeError,
} from './runtime/errors.js';
export type { Record, RecordHeader } from './storage/record-batch.js';
export type { PartitionInfo, SpuInfo, TopicSpec, PartitionStatusEvent, Resolution, AcksMode, Isolation, LeaderMove } from '../actors/messages.js';
export { runSeed, describeRun, type SimRunResult, type SimRunConfig, type FailureKind } from './testing/sim-runner.js';
export { runSeeds, type SeedPoolOptions } from './testing/seed-pool.js';
export { runGroupSeed, drawGroupConfig, type GroupSeedResult, type GroupSeedConfig, type GroupPlant } from './testing/group-workload.js';
export { DEFAULT_LOG_CONFIG, type LogConfig } from './storage/log-config.js';
