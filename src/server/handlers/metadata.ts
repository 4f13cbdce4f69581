/**
 * Metadata: every SPU is a broker (node id = SPU id, each with its own listener port); a
 * partition's leader is its leader SPU while it serves (Online or OutOfSpace — reads still work),
 * otherwise -1 with LEADER_NOT_AVAILABLE so clients wait and ask again. Unknown topics are
 * UNKNOWN_TOPIC_OR_PARTITION unless the listener was started with autoCreateTopics and the client
 * allows it (kafkajs producers do by default).
 */
import type { PartitionInfo } from '../../../actors/messages.js';
import type { RequestContext } from '../context.js';
import type { ClusterView, MetadataView } from '../metadata-view.js';
import { Wire, wireError } from './errors.js';
import { ZERO_UUID, topicIdOf, topicNameIn } from '../topic-ids.js';

const NO_AUTH_OPS = -2147483648;

export { topicIdOf };

/** The topic whose id is `id`, or undefined; on a miss the view is reloaded once (it may predate the topic). */
export function topicNameOf(view: MetadataView, id: string): Promise<string | undefined> {
  return view.topicNameOf(id);
}

export function servingLeader(p: PartitionInfo): number {
  return p.resolution === 'Online' || p.resolution === 'OutOfSpace' ? p.leader : -1;
}

function partitionEntry(p: PartitionInfo, offline: Set<number>) {
  const leader = servingLeader(p);
  const replicaNodes = [p.leader, ...p.replicas];
  return {
    errorCode: leader < 0 ? Wire.LEADER_NOT_AVAILABLE : Wire.NONE,
    partitionIndex: p.partition,
    leaderId: leader,
    leaderEpoch: p.epoch,
    replicaNodes,
    isrNodes: p.inSync.length > 0 ? p.inSync : leader >= 0 ? [leader] : [],
    offlineReplicas: replicaNodes.filter((id) => offline.has(id)),
  };
}

function topicEntry(name: string, view: ClusterView, offline: Set<number>) {
  const parts = view.byTopic.get(name);
  if (!parts || parts.length === 0) {
    return { errorCode: Wire.UNKNOWN_TOPIC_OR_PARTITION, name, topicId: ZERO_UUID, isInternal: false, partitions: [], topicAuthorizedOperations: NO_AUTH_OPS };
  }
  return {
    errorCode: Wire.NONE,
    name,
    topicId: topicIdOf(name),
    isInternal: false,
    partitions: parts.filter(Boolean).map((p) => partitionEntry(p, offline)),
    topicAuthorizedOperations: NO_AUTH_OPS,
  };
}

interface MetadataRequest {
  topics: { name: string | null; topicId: string }[] | null;
  allowAutoTopicCreation: boolean;
}

export async function metadata(rc: RequestContext, body: MetadataRequest) {
  const { server } = rc;
  let view = await server.view.get();
  // v10+ may name a topic by id alone (name null).
  let names: string[] | null = body.topics === null ? null : body.topics.map((t) => t.name ?? topicNameIn(t.topicId, view.byTopic.keys()) ?? t.topicId);
  if (rc.apiVersion === 0 && names !== null && names.length === 0) names = null; // v0: empty = all
  if (names && body.allowAutoTopicCreation && server.options.autoCreateTopics) {
    const missing = names.filter((n) => !view.byTopic.has(n));
    for (const name of missing) {
      try {
        await server.backend.admin({ op: 'createTopic', spec: { name, partitions: 1, replicationFactor: 1, config: {} } });
      } catch (err) {
        server.log.warn({ topic: name, ...wireError(err) }, 'listener: auto-create failed');
      }
    }
    if (missing.length > 0) {
      server.view.invalidate();
      view = await server.view.get();
    }
  }
  const offline = new Set(view.spus.filter((s) => s.status !== 'online').map((s) => s.id));
  const brokers = server.brokers();
  const controller = brokers.find((b) => !offline.has(b.nodeId)) ?? brokers[0];
  const topicNames = names ?? [...view.byTopic.keys()].sort();
  return {
    throttleTimeMs: 0,
    brokers: brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, rack: null })),
    clusterId: 'rivulet',
    controllerId: controller?.nodeId ?? -1,
    topics: topicNames.map((n) => topicEntry(n, view, offline)),
    clusterAuthorizedOperations: NO_AUTH_OPS,
  };
}
