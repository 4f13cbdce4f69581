/**
 * The listener's API table: for each API key the handler and the versions this listener serves
 * (the codec's range, narrowed where a handler needs it). ApiVersions advertises exactly this
 * table. Consumer-group keys (FindCoordinator, JoinGroup, …) go to the group coordinator
 * (handlers/groups.ts, handlers/groups-offsets.ts).
 *
 * Invariant: a key absent from the table is never answered (the connection closes, as Kafka does
 * for an unknown key); a served key's handler returns the response body, or null for none
 * (Produce with acks=0).
 */
import { ApiKey, RivuletApiKey, apiInfo } from '../protocol/registry.js';
import type { RequestContext } from './context.js';
import { fetch } from './handlers/fetch.js';
import { findCoordinator, heartbeat, joinGroup, leaveGroup, syncGroup } from './handlers/groups.js';
import { describeGroups, listGroups, offsetCommit, offsetFetch } from './handlers/groups-offsets.js';
import { listOffsets } from './handlers/list-offsets.js';
import { metadata } from './handlers/metadata.js';
import { produce } from './handlers/produce.js';
import { adminOp, clusterShutdown, fault, groupOp, partitionList, spuList } from './handlers/rivulet-ops.js';
import { initProducerId, saslAuthenticate, saslHandshake } from './handlers/session.js';
import { createPartitions, createTopics, deleteTopics, describeConfigs } from './handlers/topics.js';

// Bodies come from the schema-driven codecs; each handler declares the fields it reads.
export type Handler = (rc: RequestContext, body: any) => Promise<object | null>;

export interface Route {
  handler: Handler;
  minVersion: number;
  maxVersion: number;
  /** Served before SASL completes. */
  beforeAuth?: boolean;
}

/** Answered by the connection itself (it needs the table). */
const API_VERSIONS: Handler = async () => null;

function route(apiKey: number, handler: Handler, extra: Partial<Route> = {}): [number, Route] {
  const info = apiInfo(apiKey);
  if (!info) throw new Error(`api key ${apiKey} has no codec`);
  return [apiKey, { handler, minVersion: info.minVersion, maxVersion: info.maxVersion, ...extra }];
}

export const ROUTES: ReadonlyMap<number, Route> = new Map([
  route(ApiKey.ApiVersions, API_VERSIONS, { beforeAuth: true }),
  route(ApiKey.SaslHandshake, saslHandshake, { beforeAuth: true }), // v0 advertised: librdkafka needs it to enable PLAIN
  route(ApiKey.SaslAuthenticate, saslAuthenticate, { beforeAuth: true }),
  route(ApiKey.Metadata, metadata),
  route(ApiKey.Produce, produce),
  route(ApiKey.Fetch, fetch),
  route(ApiKey.ListOffsets, listOffsets),
  route(ApiKey.CreateTopics, createTopics),
  route(ApiKey.DeleteTopics, deleteTopics),
  route(ApiKey.CreatePartitions, createPartitions),
  route(ApiKey.DescribeConfigs, describeConfigs),
  route(ApiKey.InitProducerId, initProducerId),
  route(ApiKey.FindCoordinator, findCoordinator),
  route(ApiKey.JoinGroup, joinGroup),
  route(ApiKey.SyncGroup, syncGroup),
  route(ApiKey.Heartbeat, heartbeat),
  route(ApiKey.LeaveGroup, leaveGroup),
  route(ApiKey.OffsetCommit, offsetCommit),
  route(ApiKey.OffsetFetch, offsetFetch),
  route(ApiKey.ListGroups, listGroups),
  route(ApiKey.DescribeGroups, describeGroups),
  route(RivuletApiKey.Admin, adminOp),
  route(RivuletApiKey.Group, groupOp),
  route(RivuletApiKey.PartitionList, partitionList),
  route(RivuletApiKey.SpuList, spuList),
  route(RivuletApiKey.Fault, fault),
  route(RivuletApiKey.ClusterShutdown, clusterShutdown),
]);

/** rivulet's private keys sit above every Apache Kafka key. */
export const isRivuletKey = (apiKey: number): boolean => apiKey >= RivuletApiKey.PartitionList;

/** The route for a key, or undefined when this listener does not serve it. */
export function routeOf(apiKey: number, rivuletKeys: boolean): Route | undefined {
  return !rivuletKeys && isRivuletKey(apiKey) ? undefined : ROUTES.get(apiKey);
}

export function apiVersionsTable(rivuletKeys = true): { apiKey: number; minVersion: number; maxVersion: number }[] {
  return [...ROUTES]
    .filter(([apiKey]) => rivuletKeys || !isRivuletKey(apiKey))
    .map(([apiKey, r]) => ({ apiKey, minVersion: r.minVersion, maxVersion: r.maxVersion }));
}
