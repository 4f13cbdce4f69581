/**
 * Every version the listener advertises for the group APIs, end to end through the handlers and
 * the codecs: for v = 0..max, a request body is encoded and decoded at min(v, the API's max) (so
 * the handler sees exactly what the listener hands it), the handler answers through the real
 * coordinator, and its answer must encode at that version and decode to the expected codes:
 * FindCoordinator → JoinGroup (MEMBER_ID_REQUIRED from v4) → SyncGroup → Heartbeat →
 * OffsetCommit → OffsetFetch → DescribeGroups → ListGroups → LeaveGroup.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import pino from 'pino';
import { Cluster } from '../../src/index.js';
import { decodeRequestBody, decodeResponseBody, encodeRequestBody, encodeResponseBody } from '../../src/protocol/api.js';
import { ApiKey, type AnyApiKey } from '../../src/protocol/registry.js';
import { backendOf } from '../../src/server/backend.js';
import type { RequestContext, ServerContext } from '../../src/server/context.js';
import { ROUTES } from '../../src/server/dispatch.js';
import { SERVER_LIMITS } from '../../src/server/limits.js';
import { MetadataView } from '../../src/server/metadata-view.js';
import { encodeAssignment, encodeSubscription } from '../../src/cluster/consumer-protocol.js';

const GROUP_KEYS = [ApiKey.FindCoordinator, ApiKey.JoinGroup, ApiKey.SyncGroup, ApiKey.Heartbeat, ApiKey.LeaveGroup, ApiKey.OffsetCommit, ApiKey.OffsetFetch, ApiKey.DescribeGroups, ApiKey.ListGroups];

describe('group APIs at every advertised version', () => {
  let cluster: Cluster;
  let server: ServerContext;
  beforeAll(async () => {
    cluster = await Cluster.start({ spus: 2, simulation: { seed: 3 }, groups: { initialRebalanceDelayMs: 0 } });
    await cluster.admin.createTopic('t', { partitions: 2 });
    const backend = backendOf(cluster);
    server = {
      backend, view: new MetadataView(backend, 1_000), limits: { ...SERVER_LIMITS }, log: pino({ level: 'silent' }),
      options: { autoCreateTopics: false, token: undefined },
      brokers: () => [{ nodeId: 1, host: '127.0.0.1', port: 9092 }, { nodeId: 2, host: '127.0.0.1', port: 9093 }],
      stats: { connections: 0, requests: 0, refusedConnections: 0, badFrames: 0 },
    };
  });
  afterAll(async () => {
    server?.view.close();
    await cluster?.shutdown();
  });

  /** Round-trip the request at `version`, run its handler on node 1, round-trip the answer. */
  async function call(apiKey: AnyApiKey, version: number, input: object): Promise<Record<string, unknown>> {
    const route = ROUTES.get(apiKey)!;
    const v = Math.min(version, route.maxVersion);
    const body = decodeRequestBody(apiKey, v, encodeRequestBody(apiKey, v, input as never));
    const rc: RequestContext = { server, nodeId: 1, apiVersion: v, clientId: 'versions', conn: { authenticated: true, saslMechanism: undefined } };
    const res = await route.handler(rc, body);
    return decodeResponseBody(apiKey, v, encodeResponseBody(apiKey, v, res as never)) as Record<string, unknown>;
  }

  const maxOfAll = Math.max(...GROUP_KEYS.map((k) => ROUTES.get(k)!.maxVersion));
  it.each(Array.from({ length: maxOfAll + 1 }, (_, v) => v))('version %i of each API (capped at its max)', async (v) => {
    const group = `g-v${v}`;
    const found = await call(ApiKey.FindCoordinator, v, { key: group, keyType: 0, coordinatorKeys: [group] });
    const coordinator = v >= 4 ? (found.coordinators as { nodeId: number; errorCode: number }[])[0]! : (found as { nodeId: number; errorCode: number });
    expect(coordinator.errorCode).toBe(0);
    expect([1, 2]).toContain(coordinator.nodeId);

    const join = (memberId: string) => call(ApiKey.JoinGroup, v, {
      groupId: group, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId, groupInstanceId: null,
      protocolType: 'consumer', protocols: [{ name: 'range', metadata: encodeSubscription(['t']) }],
    });
    let j = await join('');
    if (Math.min(v, ROUTES.get(ApiKey.JoinGroup)!.maxVersion) >= 4) {
      expect(j.errorCode).toBe(79);
      j = await join(j.memberId as string);
    }
    expect(j.errorCode).toBe(0);
    const memberId = j.memberId as string;
    const generationId = j.generationId as number;
    expect(j.leader).toBe(memberId);
    expect((j.members as unknown[]).length).toBe(1);

    const assignment = encodeAssignment(new Map([['t', [0, 1]]]));
    const s = await call(ApiKey.SyncGroup, v, { groupId: group, generationId, memberId, protocolType: 'consumer', protocolName: 'range', assignments: [{ memberId, assignment }] });
    expect(s.errorCode).toBe(0);
    expect(Buffer.from(s.assignment as Uint8Array)).toEqual(Buffer.from(assignment));

    expect((await call(ApiKey.Heartbeat, v, { groupId: group, generationId, memberId })).errorCode).toBe(0);
    expect((await call(ApiKey.Heartbeat, v, { groupId: group, generationId: generationId + 1, memberId })).errorCode).toBe(22);

    const commit = await call(ApiKey.OffsetCommit, v, {
      groupId: group, generationIdOrMemberEpoch: generationId, memberId,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 5n, committedMetadata: 'm' }, { partitionIndex: 9, committedOffset: 1n, committedMetadata: null }] }],
    });
    // v0 carries no member: a "simple" commit, refused while the group has members (as Kafka does).
    const committedOk = v > 0;
    expect((commit.topics as { partitions: { errorCode: number }[] }[])[0]!.partitions.map((p) => p.errorCode)).toEqual([committedOk ? 0 : 25, 3]);

    const fetchInput = { groupId: group, topics: [{ name: 't', partitionIndexes: [0, 1] }], groups: [{ groupId: group, topics: [{ name: 't', partitionIndexes: [0, 1] }] }] };
    const fetched = await call(ApiKey.OffsetFetch, v, fetchInput);
    const topics = (v >= 8 ? (fetched.groups as { topics: unknown[] }[])[0]!.topics : fetched.topics) as { partitions: { committedOffset: bigint }[] }[];
    expect(topics[0]!.partitions.map((p) => p.committedOffset)).toEqual([committedOk ? 5n : -1n, -1n]);

    const described = await call(ApiKey.DescribeGroups, v, { groups: [group], includeAuthorizedOperations: false });
    expect((described.groups as { groupState: string; members: unknown[] }[])[0]).toMatchObject({ groupState: 'Stable', members: [expect.anything()] });

    const listed = [1, 2].map(async (nodeId) => {
      const route = ROUTES.get(ApiKey.ListGroups)!;
      const lv = Math.min(v, route.maxVersion);
      const rc: RequestContext = { server, nodeId, apiVersion: lv, clientId: 'versions', conn: { authenticated: true, saslMechanism: undefined } };
      return ((await route.handler(rc, { statesFilter: [], typesFilter: [] })) as { groups: { groupId: string }[] }).groups.map((g) => g.groupId);
    });
    const onEach = await Promise.all(listed);
    expect(onEach.flat().filter((g) => g === group)).toHaveLength(1); // listed by its coordinator only

    const left = await call(ApiKey.LeaveGroup, v, { groupId: group, memberId, members: [{ memberId, groupInstanceId: null }] });
    expect(left.errorCode).toBe(0);
  });
});
