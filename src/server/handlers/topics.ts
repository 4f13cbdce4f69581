/**
 * CreateTopics, DeleteTopics, CreatePartitions and DescribeConfigs, mapped onto the SC's admin
 * ops. Kafka topic configs map to rivulet's (DESIGN §4): retention.ms → retentionMs,
 * segment.bytes → segmentBytes, retention.bytes → maxPartitionBytes (-1 = unlimited),
 * min.insync.replicas → minInSyncReplicas (default 1); any other
 * key is INVALID_CONFIG, so nothing is silently ignored. kafkajs sends NumPartitions and
 * ReplicationFactor -1 when unset: that means 1 and 1, as Kafka's broker defaults.
 */
import type { TopicConfig, TopicSpec } from '../../../actors/messages.js';
import { RivuletError, ErrorCode } from '../../runtime/errors.js';
import { DEFAULT_LOG_CONFIG } from '../../storage/log-config.js';
import type { RequestContext } from '../context.js';
import { Wire, wireError } from './errors.js';
import { topicIdOf, topicNameIn } from '../topic-ids.js';

interface ConfigEntry { name: string; value: string | null }

const KAFKA_TO_RIVULET: Record<string, keyof TopicConfig> = {
  'retention.ms': 'retentionMs',
  'segment.bytes': 'segmentBytes',
  'retention.bytes': 'maxPartitionBytes',
  'min.insync.replicas': 'minInSyncReplicas',
};

/** Defaults of the mapped configs a topic does not set. */
const DEFAULTS: Record<string, number> = { retentionMs: DEFAULT_LOG_CONFIG.retentionMs, segmentBytes: DEFAULT_LOG_CONFIG.segmentBytes, maxPartitionBytes: DEFAULT_LOG_CONFIG.maxPartitionBytes, minInSyncReplicas: 1 };

export function topicConfigFrom(configs: ConfigEntry[]): TopicConfig {
  const out: TopicConfig = {};
  for (const c of configs) {
    const key = KAFKA_TO_RIVULET[c.name];
    if (!key) throw new RivuletError(ErrorCode.INVALID_CONFIG, `unsupported topic config '${c.name}' (rivulet takes ${Object.keys(KAFKA_TO_RIVULET).join(', ')})`);
    const n = Number(c.value);
    if (c.value === null || !Number.isFinite(n) || !Number.isInteger(n)) throw new RivuletError(ErrorCode.INVALID_CONFIG, `topic config '${c.name}' must be an integer, got ${String(c.value)}`);
    (out as Record<string, number>)[key] = n < 0 ? Infinity : n;
  }
  return out;
}

interface CreateTopicsRequest {
  topics: { name: string; numPartitions: number; replicationFactor: number; assignments: unknown[]; configs: ConfigEntry[] }[];
  validateOnly: boolean;
}

export async function createTopics(rc: RequestContext, body: CreateTopicsRequest) {
  const { server } = rc;
  const topics = [];
  for (const t of body.topics) {
    const partitions = t.numPartitions < 0 ? 1 : t.numPartitions;
    const replicationFactor = t.replicationFactor < 0 ? 1 : t.replicationFactor;
    const result = { name: t.name, topicId: topicIdOf(t.name), errorCode: Wire.NONE as number, errorMessage: null as string | null, numPartitions: partitions, replicationFactor, configs: [] };
    try {
      if (t.assignments.length > 0) throw new RivuletError(ErrorCode.INVALID_ARGUMENT, 'rivulet places replicas itself: manual replica assignments are not supported');
      const spec: TopicSpec = { name: t.name, partitions, replicationFactor, config: topicConfigFrom(t.configs) };
      if (!body.validateOnly) await server.backend.admin({ op: 'createTopic', spec });
    } catch (err) {
      Object.assign(result, wireError(err, server.log));
    }
    topics.push(result);
  }
  if (!body.validateOnly && topics.some((t) => t.errorCode === Wire.NONE)) server.view.invalidate(); // only when something changed
  return { throttleTimeMs: 0, topics };
}

interface DeleteTopicsRequest { topicNames: string[]; topics: { name: string | null; topicId: string }[] }

export async function deleteTopics(rc: RequestContext, body: DeleteTopicsRequest) {
  const { server } = rc;
  const known = rc.apiVersion >= 6 ? [...(await server.view.get()).byTopic.keys()] : [];
  const names = rc.apiVersion >= 6 ? body.topics.map((t) => t.name ?? topicNameIn(t.topicId, known) ?? t.topicId) : body.topicNames;
  const responses = [];
  for (const name of names) {
    const r = { name, topicId: topicIdOf(name), errorCode: Wire.NONE as number, errorMessage: null as string | null };
    try {
      await server.backend.admin({ op: 'deleteTopic', name });
    } catch (err) {
      Object.assign(r, wireError(err, server.log));
    }
    responses.push(r);
  }
  if (responses.some((r) => r.errorCode === Wire.NONE)) server.view.invalidate(); // only when something changed
  return { throttleTimeMs: 0, responses };
}

interface CreatePartitionsRequest { topics: { name: string; count: number }[] }

export async function createPartitions(rc: RequestContext, body: CreatePartitionsRequest) {
  const view = await rc.server.view.get();
  return {
    throttleTimeMs: 0,
    results: body.topics.map((t) => {
      const have = view.byTopic.get(t.name)?.length;
      if (have === undefined) return { name: t.name, errorCode: Wire.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `unknown topic '${t.name}'` };
      if (t.count === have) return { name: t.name, errorCode: Wire.INVALID_PARTITIONS, errorMessage: `topic '${t.name}' already has ${have} partitions` };
      return { name: t.name, errorCode: Wire.INVALID_PARTITIONS, errorMessage: `rivulet cannot change the partition count of '${t.name}' (${have}) yet: create a new topic` };
    }),
  };
}

interface DescribeConfigsRequest { resources: { resourceType: number; resourceName: string; configurationKeys: string[] | null }[] }

const RESOURCE_TOPIC = 2;
const SOURCE_TOPIC = 1;
const SOURCE_DEFAULT = 5;

export async function describeConfigs(rc: RequestContext, body: DescribeConfigsRequest) {
  const view = await rc.server.view.get();
  return {
    throttleTimeMs: 0,
    results: body.resources.map((r) => {
      const base = { resourceType: r.resourceType, resourceName: r.resourceName, configs: [] as object[] };
      if (r.resourceType !== RESOURCE_TOPIC) return { ...base, errorCode: Wire.NONE, errorMessage: null };
      const spec = view.topics.find((t) => t.name === r.resourceName);
      if (!spec) return { ...base, errorCode: Wire.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `unknown topic '${r.resourceName}'` };
      const configs = Object.entries(KAFKA_TO_RIVULET).map(([name, key]) => {
        const set = spec.config[key] !== undefined;
        const v = (set ? spec.config[key] : DEFAULTS[key]) as number;
        return { name, value: v === Infinity ? '-1' : String(v), readOnly: false, isDefault: !set, configSource: set ? SOURCE_TOPIC : SOURCE_DEFAULT, isSensitive: false, synonyms: [], configType: 5, documentation: null };
      });
      configs.push({ name: 'cleanup.policy', value: 'delete', readOnly: true, isDefault: true, configSource: SOURCE_DEFAULT, isSensitive: false, synonyms: [], configType: 2, documentation: null });
      const keys = r.configurationKeys;
      return { ...base, errorCode: Wire.NONE, errorMessage: null, configs: keys ? configs.filter((c) => keys.includes(c.name)) : configs };
    }),
  };
}
