/**
 * The API registry: every served API key, its request/response schemas, served version range
 * and first flexible version — the single source of truth for api.ts and the server's
 * ApiVersions answer.
 *
 * Invariants:
 * - A key is served iff it is in MESSAGES; its served range is its schemas' validVersions
 *   (request and response declare the same range and flexibility — checked at load).
 * - rivulet's private keys (RivuletApiKey, 32000+) sit above every Apache Kafka key.
 */
import type { BodyOf, MessageInput, MessageSchema } from './schema-types.js';
import { parseVersions } from './versions.js';
import { ApiVersionsRequest, ApiVersionsResponse } from './messages/api-versions.js';
import { CreatePartitionsRequest, CreatePartitionsResponse } from './messages/create-partitions.js';
import { CreateTopicsRequest, CreateTopicsResponse } from './messages/create-topics.js';
import { DeleteTopicsRequest, DeleteTopicsResponse } from './messages/delete-topics.js';
import { DescribeConfigsRequest, DescribeConfigsResponse } from './messages/describe-configs.js';
import { DescribeGroupsRequest, DescribeGroupsResponse } from './messages/describe-groups.js';
import { FetchRequest, FetchResponse } from './messages/fetch.js';
import { FindCoordinatorRequest, FindCoordinatorResponse } from './messages/find-coordinator.js';
import { HeartbeatRequest, HeartbeatResponse } from './messages/heartbeat.js';
import { InitProducerIdRequest, InitProducerIdResponse } from './messages/init-producer-id.js';
import { JoinGroupRequest, JoinGroupResponse } from './messages/join-group.js';
import { LeaveGroupRequest, LeaveGroupResponse } from './messages/leave-group.js';
import { ListGroupsRequest, ListGroupsResponse } from './messages/list-groups.js';
import { ListOffsetsRequest, ListOffsetsResponse } from './messages/list-offsets.js';
import { MetadataRequest, MetadataResponse } from './messages/metadata.js';
import { OffsetCommitRequest, OffsetCommitResponse } from './messages/offset-commit.js';
import { OffsetFetchRequest, OffsetFetchResponse } from './messages/offset-fetch.js';
import { ProduceRequest, ProduceResponse } from './messages/produce.js';
import {
  RivuletAdmin, RivuletApiKey, RivuletClusterShutdown, RivuletFault, RivuletGroup, RivuletPartitionList, RivuletSpuList,
} from './messages/rivulet.js';
import { SaslAuthenticateRequest, SaslAuthenticateResponse } from './messages/sasl-authenticate.js';
import { SaslHandshakeRequest, SaslHandshakeResponse } from './messages/sasl-handshake.js';
import { SyncGroupRequest, SyncGroupResponse } from './messages/sync-group.js';

export { RivuletApiKey };

/** Apache Kafka API keys served by rivulet. */
export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  SaslHandshake: 17,
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  InitProducerId: 22,
  DescribeConfigs: 32,
  SaslAuthenticate: 36,
  CreatePartitions: 37,
} as const;
export type ApiKey = (typeof ApiKey)[keyof typeof ApiKey];

export const MESSAGES = {
  [ApiKey.Produce]: { request: ProduceRequest, response: ProduceResponse },
  [ApiKey.Fetch]: { request: FetchRequest, response: FetchResponse },
  [ApiKey.ListOffsets]: { request: ListOffsetsRequest, response: ListOffsetsResponse },
  [ApiKey.Metadata]: { request: MetadataRequest, response: MetadataResponse },
  [ApiKey.OffsetCommit]: { request: OffsetCommitRequest, response: OffsetCommitResponse },
  [ApiKey.OffsetFetch]: { request: OffsetFetchRequest, response: OffsetFetchResponse },
  [ApiKey.FindCoordinator]: { request: FindCoordinatorRequest, response: FindCoordinatorResponse },
  [ApiKey.JoinGroup]: { request: JoinGroupRequest, response: JoinGroupResponse },
  [ApiKey.Heartbeat]: { request: HeartbeatRequest, response: HeartbeatResponse },
  [ApiKey.LeaveGroup]: { request: LeaveGroupRequest, response: LeaveGroupResponse },
  [ApiKey.SyncGroup]: { request: SyncGroupRequest, response: SyncGroupResponse },
  [ApiKey.DescribeGroups]: { request: DescribeGroupsRequest, response: DescribeGroupsResponse },
  [ApiKey.ListGroups]: { request: ListGroupsRequest, response: ListGroupsResponse },
  [ApiKey.SaslHandshake]: { request: SaslHandshakeRequest, response: SaslHandshakeResponse },
  [ApiKey.ApiVersions]: { request: ApiVersionsRequest, response: ApiVersionsResponse },
  [ApiKey.CreateTopics]: { request: CreateTopicsRequest, response: CreateTopicsResponse },
  [ApiKey.DeleteTopics]: { request: DeleteTopicsRequest, response: DeleteTopicsResponse },
  [ApiKey.InitProducerId]: { request: InitProducerIdRequest, response: InitProducerIdResponse },
  [ApiKey.DescribeConfigs]: { request: DescribeConfigsRequest, response: DescribeConfigsResponse },
  [ApiKey.SaslAuthenticate]: { request: SaslAuthenticateRequest, response: SaslAuthenticateResponse },
  [ApiKey.CreatePartitions]: { request: CreatePartitionsRequest, response: CreatePartitionsResponse },
  [RivuletApiKey.PartitionList]: RivuletPartitionList,
  [RivuletApiKey.SpuList]: RivuletSpuList,
  [RivuletApiKey.ClusterShutdown]: RivuletClusterShutdown,
  [RivuletApiKey.Fault]: RivuletFault,
  [RivuletApiKey.Admin]: RivuletAdmin,
  [RivuletApiKey.Group]: RivuletGroup,
} as const satisfies Record<number, { request: MessageSchema; response: MessageSchema }>;

/** Every served key: Kafka's and rivulet's own. */
export type AnyApiKey = keyof typeof MESSAGES;
export type RequestSchema<K extends AnyApiKey> = (typeof MESSAGES)[K]['request'];
export type ResponseSchema<K extends AnyApiKey> = (typeof MESSAGES)[K]['response'];
/** Decoded request body of key K (every field present). */
export type RequestBody<K extends AnyApiKey> = BodyOf<RequestSchema<K>>;
/** Decoded response body of key K (every field present). */
export type ResponseBody<K extends AnyApiKey> = BodyOf<ResponseSchema<K>>;
/** What encodeRequest accepts for key K (every field optional; defaults fill in). */
export type RequestInput<K extends AnyApiKey> = MessageInput<RequestSchema<K>>;
/** What encodeResponse accepts for key K. */
export type ResponseInput<K extends AnyApiKey> = MessageInput<ResponseSchema<K>>;

export interface ApiInfo {
  readonly apiKey: AnyApiKey;
  /** Kafka's name without the Request suffix, e.g. 'Produce', 'RivuletPartitionList'. */
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** First flexible (KIP-482) version, or null when no served version is flexible. */
  readonly firstFlexibleVersion: number | null;
}

function infoOf(apiKey: number, m: { request: MessageSchema; response: MessageSchema }): ApiInfo {
  const range = parseVersions(m.request.validVersions);
  const flex = parseVersions(m.request.flexibleVersions);
  if (m.request.validVersions !== m.response.validVersions || m.request.flexibleVersions !== m.response.flexibleVersions) {
    throw new Error(`${m.request.name}: request and response ranges differ`);
  }
  if (m.request.apiKey !== apiKey || m.response.apiKey !== apiKey) throw new Error(`${m.request.name}: wrong apiKey`);
  const first = Math.max(flex.min, range.min);
  const last = Math.min(flex.max, range.max);
  return {
    apiKey: apiKey as AnyApiKey,
    name: m.request.name.replace(/Request$/, ''),
    minVersion: range.min,
    maxVersion: range.max,
    firstFlexibleVersion: first <= last ? first : null,
  };
}

/** Served APIs, ascending by key. */
export const SERVED_APIS: readonly ApiInfo[] = Object.entries(MESSAGES)
  .map(([k, m]) => infoOf(Number(k), m))
  .sort((a, b) => a.apiKey - b.apiKey);

const byKey = new Map<number, ApiInfo>(SERVED_APIS.map((a) => [a.apiKey, a]));

export function apiInfo(apiKey: number): ApiInfo | undefined {
  return byKey.get(apiKey);
}

export function isServedApiKey(apiKey: number): apiKey is AnyApiKey {
  return byKey.has(apiKey);
}

export function isFlexibleVersion(apiKey: number, version: number): boolean {
  const a = byKey.get(apiKey);
  return a !== undefined && a.firstFlexibleVersion !== null && version >= a.firstFlexibleVersion;
}

export function messagesOf<K extends AnyApiKey>(apiKey: K): (typeof MESSAGES)[K] {
  return MESSAGES[apiKey];
}
