/**
 * The SC's admin ops over the wire. Against a rivulet listener every op travels as JSON on
 * rivulet's private Admin key, so answers are exactly the embedded ones (resolutions, per-replica
 * HW/LEO). Against a plain Kafka cluster the topic ops map onto Kafka's own APIs (CreateTopics,
 * DeleteTopics, Metadata, ListOffsets) and rivulet-only details are filled as Kafka knows them.
 *
 * Invariant: an op answers with the same shapes as the embedded SC, or throws a RivuletError
 * whose code comes from the server (or UNSUPPORTED for what a Kafka cluster cannot say).
 */
import type { AdminOp, PartitionInfo, SpuInfo, TopicConfig, TopicSpec } from '../../actors/messages.js';
import { ApiKey, RivuletApiKey } from '../protocol/index.js';
import { wireJson } from '../runtime/wire-json.js';
import { RivuletError, ErrorCode, type ErrorData } from '../runtime/errors.js';
import { fromWire } from '../runtime/wire-codes.js';
import type { BrokerPool } from './broker-pool.js';

export function errorFromWire(errorCode: number, message: string | null, payload?: unknown): RivuletError {
  const p = (payload ?? {}) as { code?: string; data?: ErrorData };
  const code = (p.code as ErrorCode | undefined) ?? fromWire(errorCode) ?? ErrorCode.INTERNAL;
  return new RivuletError(code, message ?? `server answered error ${errorCode}`, p.data ?? {});
}

/** Call one of rivulet's private keys with a JSON body; the JSON answer, or its typed error. */
export async function rivuletCall(pool: BrokerPool, apiKey: number, body: unknown, timeoutMs?: number): Promise<unknown> {
  const c = await pool.any();
  if (!c.serves(apiKey)) throw new RivuletError(ErrorCode.UNSUPPORTED, 'this server is not a rivulet listener: rivulet-only operations (partition status, SPU list, faults, cluster shutdown) are not available');
  const r = await c.request(apiKey as typeof RivuletApiKey.Admin, { payload: Buffer.from(wireJson.stringify(body), 'utf8') }, timeoutMs);
  const payload = r.payload.length > 0 ? wireJson.parse(Buffer.from(r.payload).toString('utf8')) : null;
  if (r.errorCode !== 0) throw errorFromWire(r.errorCode, r.errorMessage, payload);
  return payload;
}

const CONFIG_TO_KAFKA: Record<string, string> = {
  retentionMs: 'retention.ms', segmentBytes: 'segment.bytes', maxPartitionBytes: 'retention.bytes', minInSyncReplicas: 'min.insync.replicas',
};

function kafkaConfigs(config: TopicConfig): { name: string; value: string }[] {
  return Object.entries(config).map(([k, v]) => {
    const name = CONFIG_TO_KAFKA[k];
    if (!name) throw new RivuletError(ErrorCode.INVALID_CONFIG, `topic config '${k}' has no Kafka equivalent`);
    return { name, value: v === Infinity ? '-1' : String(v) };
  });
}

async function kafkaPartitions(pool: BrokerPool): Promise<PartitionInfo[]> {
  const md = await pool.call(ApiKey.Metadata, { topics: null, allowAutoTopicCreation: false });
  const out: PartitionInfo[] = [];
  for (const t of md.topics) {
    if (t.errorCode !== 0 || t.isInternal || t.name === null) continue;
    for (const p of t.partitions) {
      out.push({
        topic: t.name, partition: p.partitionIndex, leader: p.leaderId,
        replicas: p.replicaNodes.filter((n) => n !== p.leaderId),
        resolution: p.leaderId >= 0 ? 'Online' : 'Offline',
        sizeBytes: 0, base: 0, hw: 0, leo: 0, replicaStatus: [], inSync: p.isrNodes, epoch: p.leaderEpoch,
      });
    }
  }
  return out.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
}

/** Admin ops against a server without rivulet's keys (a real Kafka). */
async function kafkaAdmin(pool: BrokerPool, op: AdminOp): Promise<unknown> {
  switch (op.op) {
    case 'subscribe':
      return {};
    case 'createTopic': {
      const { name, partitions, replicationFactor, config } = op.spec;
      const r = await pool.call(ApiKey.CreateTopics, { topics: [{ name, numPartitions: partitions, replicationFactor, assignments: [], configs: kafkaConfigs(config) }], timeoutMs: 30_000, validateOnly: false });
      const t = r.topics[0];
      if (t && t.errorCode !== 0) throw errorFromWire(t.errorCode, t.errorMessage);
      return op.spec;
    }
    case 'deleteTopic': {
      const r = await pool.call(ApiKey.DeleteTopics, { topicNames: [op.name], topics: [{ name: op.name }], timeoutMs: 30_000 });
      const t = r.responses[0];
      if (t && t.errorCode !== 0) throw errorFromWire(t.errorCode, t.errorMessage);
      return {};
    }
    case 'listTopics': {
      const parts = await kafkaPartitions(pool);
      const topics = new Map<string, TopicSpec>();
      for (const p of parts) {
        const t = topics.get(p.topic) ?? { name: p.topic, partitions: 0, replicationFactor: p.replicas.length + 1, config: {} };
        t.partitions++;
        topics.set(p.topic, t);
      }
      return [...topics.values()];
    }
    case 'listPartitions':
      return kafkaPartitions(pool);
    case 'listSpus': {
      const brokers = await pool.refresh();
      return brokers.map((b): SpuInfo => ({ id: b.nodeId, status: 'online', address: `${b.host}:${b.port}`, replicas: 0 }));
    }
  }
}

export async function remoteAdmin(pool: BrokerPool, op: AdminOp, timeoutMs?: number): Promise<unknown> {
  const c = await pool.any();
  if (!c.serves(RivuletApiKey.Admin)) return kafkaAdmin(pool, op);
  if (op.op === 'subscribe') return {}; // status events are not pushed over the wire
  return rivuletCall(pool, RivuletApiKey.Admin, op, timeoutMs);
}
