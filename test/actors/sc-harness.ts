/**
 * Builders for SC unit tests on the fake context: an SC driver, the SPU and client messages it
 * receives, and readers for what it sent (typed by actors/messages.ts).
 */
import { createSc, type ScArgs } from '../../actors/sc/sc.js';
import {
  SC_ID, spuActorId, type AdminOp, type AdminReply, type PartitionInfo, type ReplicaAssign, type ReplicaReport,
  type Resolution, type SpuHeartbeat, type SpuRegister, type StatusEvent,
} from '../../actors/messages.js';
import { ActorDriver, type FakeStorage, type Sent } from './fake-context.js';

export const HEARTBEAT_MS = 250;
export const SPU_TIMEOUT_MS = 2_000;
export const CLIENT = 'client:test';

let reqSeq = 1;

export function startSc(spuIds: number[], storage?: FakeStorage): ActorDriver {
  const args: ScArgs = { spuIds, heartbeatMs: HEARTBEAT_MS, spuTimeoutMs: SPU_TIMEOUT_MS };
  return new ActorDriver(createSc(args), SC_ID, storage ? { storage } : {}).start();
}

/** A replica report with defaults: follower, epoch 0, empty log, space available. */
export function report(r: Pick<ReplicaReport, 'topic' | 'partition' | 'spuId'> & Partial<ReplicaReport>): ReplicaReport {
  return {
    leader: false, epoch: 0, hw: 0, leo: 0, base: 0, sizeBytes: 0, outOfSpace: false, incarnation: 1, seq: 1, ...r,
  };
}

export const register = (spuId: number, reports: ReplicaReport[] = [], incarnation = 0): SpuRegister => ({ type: 'SpuRegister', spuId, incarnation, reports });

export const heartbeat = (spuId: number, reports: ReplicaReport[] = [], full = true): SpuHeartbeat =>
  ({ type: 'SpuHeartbeat', spuId, reports, storageFull: false, full });

/** Send an admin request and return the SC's reply to it (the outbox is left for `take`). */
export function admin(d: ActorDriver, op: AdminOp): AdminReply {
  const reqId = reqSeq++;
  const before = d.ctx.sent.length;
  d.deliver({ type: 'AdminRequest', reqId, replyTo: CLIENT, ...op });
  const replies = ActorDriver.ofType<AdminReply>(d.ctx.sent.slice(before), 'AdminReply').filter((s) => s.msg.reqId === reqId);
  if (replies.length !== 1) throw new Error(`expected one AdminReply to ${reqId}, got ${replies.length}`);
  return replies[0]!.msg;
}

/** The SC's last known partitions (fresh: false — no replica round trip). */
export function partitions(d: ActorDriver): PartitionInfo[] {
  return admin(d, { op: 'listPartitions', fresh: false }).result as PartitionInfo[];
}

export function partition(d: ActorDriver, topic: string, p = 0): PartitionInfo {
  const found = partitions(d).find((x) => x.topic === topic && x.partition === p);
  if (!found) throw new Error(`no partition ${topic}/${p}`);
  return found;
}

export const resolutionOf = (d: ActorDriver, topic: string, p = 0): Resolution => partition(d, topic, p).resolution;

/** Status events among `sent`, as "from→to" strings. */
export function transitions(sent: readonly Sent[]): string[] {
  return ActorDriver.ofType<StatusEvent>(sent, 'StatusEvent').map((s) => `${s.msg.event.from}→${s.msg.event.to}`);
}

export function assignsTo(sent: readonly Sent[], spuId: number): ReplicaAssign[] {
  return ActorDriver.ofType<ReplicaAssign>(sent, 'ReplicaAssign').filter((s) => s.to === spuActorId(spuId)).map((s) => s.msg);
}

/** Create `topic` with every configured SPU registered, subscribe CLIENT, clear the outbox. */
export function clusterWithTopic(spuIds: number[], topic: string, partitionsN: number, rf: number): ActorDriver {
  const d = startSc(spuIds);
  for (const id of spuIds) d.deliver(register(id));
  const created = admin(d, { op: 'createTopic', spec: { name: topic, partitions: partitionsN, replicationFactor: rf, config: {} } });
  if (created.error) throw new Error(created.error.message);
  admin(d, { op: 'subscribe' });
  d.take();
  return d;
}
