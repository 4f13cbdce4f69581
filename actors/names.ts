/**
 * Validation of user-supplied names and topic parameters (pure). Topic names follow Fluvio/Kafka:
 * 1–63 characters of lowercase letters, digits and '-', starting and ending alphanumeric.
 */
import { RivuletError, ErrorCode } from '../src/runtime/errors.js';
import { resolveLogConfig } from '../src/storage/log-config.js';
import { DEFAULT_LOG_CONFIG } from '../src/storage/log-config.js';
import type { TopicConfig } from './messages.js';

export const TOPIC_LIMITS = { nameMaxChars: 63, maxPartitions: 10_000, maxReplicationFactor: 16 } as const;
const TOPIC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

export function validateTopicName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0 || name.length > TOPIC_LIMITS.nameMaxChars || !TOPIC_NAME.test(name)) {
    throw new RivuletError(
      ErrorCode.INVALID_NAME,
      `invalid topic name ${JSON.stringify(name)}: use 1-${TOPIC_LIMITS.nameMaxChars} lowercase letters, digits or '-', starting and ending with a letter or digit`,
      { name },
    );
  }
}

/** Every topic config key (the log's, and replication's `replicaLagMs`). */
export const TOPIC_CONFIG_KEYS: readonly string[] = [...Object.keys(DEFAULT_LOG_CONFIG), 'replicaLagMs', 'minInSyncReplicas'];

/**
 * A topic's config must open a log (segment size, retention, fsync…) — checked before any replica
 * exists; an unknown key (a typo such as `retentionMS`) is INVALID_CONFIG, never silently ignored.
 */
export function validateTopicConfig(config: TopicConfig): void {
  if (config !== undefined && (typeof config !== 'object' || config === null || Array.isArray(config))) {
    throw new RivuletError(ErrorCode.INVALID_CONFIG, `topic config must be an object, got ${JSON.stringify(config)}`);
  }
  for (const key of Object.keys(config ?? {})) {
    if (!TOPIC_CONFIG_KEYS.includes(key)) {
      throw new RivuletError(ErrorCode.INVALID_CONFIG, `unknown topic config '${key}' (known: ${TOPIC_CONFIG_KEYS.join(', ')})`, { field: key });
    }
  }
  const { replicaLagMs, minInSyncReplicas, ...log } = config ?? {};
  resolveLogConfig(log);
  if (minInSyncReplicas !== undefined && !(Number.isInteger(minInSyncReplicas) && minInSyncReplicas >= 1)) {
    throw new RivuletError(ErrorCode.INVALID_CONFIG, `invalid topic config minInSyncReplicas=${String(minInSyncReplicas)}: a positive integer`, { field: 'minInSyncReplicas' });
  }
  if (replicaLagMs !== undefined && !(typeof replicaLagMs === 'number' && replicaLagMs > 0 && Number.isFinite(replicaLagMs))) {
    throw new RivuletError(ErrorCode.INVALID_CONFIG, `invalid topic config replicaLagMs=${String(replicaLagMs)}: a positive number of ms`, { field: 'replicaLagMs' });
  }
}

/** minInSyncReplicas cannot exceed the replication factor (no acks=all append could ever succeed). */
export function validateMinInSync(config: TopicConfig | undefined, replicationFactor: number): void {
  const min = config?.minInSyncReplicas;
  if (min !== undefined && min > replicationFactor) {
    throw new RivuletError(ErrorCode.INVALID_CONFIG, `minInSyncReplicas ${min} exceeds the replication factor ${replicationFactor}`, { field: 'minInSyncReplicas' });
  }
}

export function validateTopicShape(partitions: unknown, replicationFactor: unknown, onlineSpus: number): void {
  if (!Number.isInteger(partitions) || (partitions as number) < 1 || (partitions as number) > TOPIC_LIMITS.maxPartitions) {
    throw new RivuletError(ErrorCode.INVALID_CONFIG, `partitions must be an integer in 1..${TOPIC_LIMITS.maxPartitions}, got ${String(partitions)}`, { partitions });
  }
  if (!Number.isInteger(replicationFactor) || (replicationFactor as number) < 1) {
    throw new RivuletError(ErrorCode.INVALID_CONFIG, `replication factor must be a positive integer, got ${String(replicationFactor)}`, { replicationFactor });
  }
  if ((replicationFactor as number) > onlineSpus) {
    throw new RivuletError(
      ErrorCode.INVALID_REPLICATION,
      `replication factor ${String(replicationFactor)} exceeds the ${onlineSpus} online SPU(s)`,
      { replicationFactor, spus: onlineSpus },
    );
  }
}
