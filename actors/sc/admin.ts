/**
 * Admin requests to the SC: create/delete/list topics, listPartitions (fresh or from the last
 * reports), listSpus, subscribe to status events, producer ids (producer-ids.ts), rebalanceLeaders
 * (leader-balance.ts; answered after the leaders' fresh reports, like a fresh listing).
 *
 * Invariants:
 * - A request delivered twice (a duplicating network, a client retry) with the same
 *   (replyTo, reqId) gets the first answer again, not a second execution: createTopic must not
 *   answer TOPIC_EXISTS to its own duplicate. The SC remembers the last MAX_REMEMBERED_ANSWERS.
 * - A fresh listPartitions first asks every running replica for its report (report-sync.ts) and
 *   answers after they replied or the sync timed out; it is read-only, so it is not remembered.
 * - An operating error (RivuletError) becomes an AdminReply with `error`; anything else is a bug
 *   and propagates (the supervisor restarts the SC).
 * - New topics are placed on the SPUs online now (placement.ts) and start Offline at epoch 0.
 */
import type { Context } from '../../src/runtime/actor.js';
import { RivuletError, ErrorCode, toPlainError } from '../../src/runtime/errors.js';
import {
  Resolution, replicaActorId, type AdminReply, type AdminRequest, type PartitionInfo, type ReportReply, type SpuInfo, type TopicSpec,
} from '../messages.js';
import { validateMinInSync, validateTopicConfig, validateTopicName, validateTopicShape } from '../names.js';
import { toClient } from '../send.js';
import { assign, removeReplica } from './assignments.js';
import { persist } from './persistence.js';
import { placeReplicas } from './placement.js';
import { allocateProducerId } from './producer-ids.js';
import { balanceLeaders } from './leader-balance.js';
import { isrOf, isUnclean } from './isr.js';
import { applyReport } from './reports.js';
import { MAX_REMEMBERED_ANSWERS, isSpuOnline, partitionKey, type PartitionState, type ScModel } from './sc-state.js';

export function onAdminRequest(ctx: Context, m: ScModel, req: AdminRequest): void {
  if (req.op === 'listPartitions' && req.fresh !== false) {
    // Fresh numbers: ask the running replicas first (see report-sync.ts).
    m.sync.start(ctx, runningReplicas(m), () => toClient(ctx, req.replyTo, { type: 'AdminReply', reqId: req.reqId, result: execute(ctx, m, req) }));
    return;
  }
  if (req.op === 'rebalanceLeaders') {
    balanceLeaders(ctx, m, (moves) => toClient(ctx, req.replyTo, { type: 'AdminReply', reqId: req.reqId, result: moves }));
    return;
  }
  const key = `${req.replyTo}#${req.reqId}`;
  const earlier = m.answered.get(key);
  if (earlier) {
    toClient(ctx, req.replyTo, earlier);
    return;
  }
  let reply: AdminReply;
  try {
    reply = { type: 'AdminReply', reqId: req.reqId, result: execute(ctx, m, req) };
  } catch (err) {
    if (!(err instanceof RivuletError)) throw err;
    reply = { type: 'AdminReply', reqId: req.reqId, error: toPlainError(err) };
  }
  m.answered.set(key, reply);
  if (m.answered.size > MAX_REMEMBERED_ANSWERS) m.answered.delete(m.answered.keys().next().value!);
  toClient(ctx, req.replyTo, reply);
}

/** A replica answered a fresh-listing request: fold its report in, maybe answer the listing. */
export function onReportReply(ctx: Context, m: ScModel, r: ReportReply): void {
  const from = replicaActorId(r.report.topic, r.report.partition, r.report.spuId);
  m.sync.onReply(r.token, from, r.report, (rep) => {
    if (applyReport(ctx, m, rep)) persist(ctx, m);
  });
}

/** Replicas that have reported and whose SPU is online. */
function runningReplicas(m: ScModel): string[] {
  const running: string[] = [];
  for (const p of m.partitions.values()) {
    for (const spu of p.replicas) if (p.reports[spu] && isSpuOnline(m, spu)) running.push(replicaActorId(p.topic, p.partition, spu));
  }
  return running;
}

/** Run one admin operation; throws RivuletError for operating errors. */
function execute(ctx: Context, m: ScModel, req: AdminRequest): unknown {
  switch (req.op) {
    case 'createTopic':
      return createTopic(ctx, m, req.spec);
    case 'deleteTopic':
      return deleteTopic(ctx, m, req.name);
    case 'listTopics':
      return [...m.topics.values()].sort((a, b) => a.name.localeCompare(b.name));
    case 'listPartitions':
      return [...m.partitions.values()]
        .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition)
        .map(partitionInfo);
    case 'listSpus':
      return listSpus(m);
    case 'subscribe':
      m.subscribers.add(req.replyTo);
      return { subscribed: true };
    case 'initProducerId':
      return allocateProducerId(ctx, m);
    case 'rebalanceLeaders':
      return []; // answered by onAdminRequest after the leaders' fresh reports
  }
}

function createTopic(ctx: Context, m: ScModel, spec: TopicSpec): unknown {
  validateTopicName(spec.name);
  if (m.topics.has(spec.name)) throw new RivuletError(ErrorCode.TOPIC_EXISTS, `topic '${spec.name}' already exists`, { topic: spec.name });
  const online = [...m.spus.values()].filter((s) => s.online).map((s) => s.id);
  validateTopicShape(spec.partitions, spec.replicationFactor, online.length);
  validateTopicConfig(spec.config);
  validateMinInSync(spec.config, spec.replicationFactor);
  m.topics.set(spec.name, spec);
  placeReplicas(online, spec.partitions, spec.replicationFactor).forEach((replicas, partition) => {
    const p: PartitionState = {
      topic: spec.name, partition, replicas, leader: replicas[0]!, epoch: 0,
      resolution: Resolution.Offline, outOfSpace: false, reports: {}, preferred: replicas[0]!, isr: [...replicas].sort((a, b) => a - b), isrVersion: 0,
    };
    m.partitions.set(partitionKey(spec.name, partition), p);
    assign(ctx, m, p, spec);
  });
  persist(ctx, m);
  return { name: spec.name, partitions: spec.partitions, replicationFactor: spec.replicationFactor };
}

function deleteTopic(ctx: Context, m: ScModel, name: string): unknown {
  if (!m.topics.has(name)) throw new RivuletError(ErrorCode.UNKNOWN_TOPIC, `unknown topic '${name}'`, { topic: name });
  m.topics.delete(name);
  for (const [key, p] of m.partitions) {
    if (p.topic !== name) continue;
    m.partitions.delete(key);
    for (const spu of p.replicas) removeReplica(ctx, spu, p.topic, p.partition);
  }
  persist(ctx, m);
  return { name };
}

function listSpus(m: ScModel): SpuInfo[] {
  return [...m.spus.values()].map((s): SpuInfo => ({
    id: s.id, status: s.online ? 'online' : 'offline', address: m.args.address ?? 'local',
    replicas: [...m.partitions.values()].filter((p) => p.replicas.includes(s.id)).length,
  }));
}

export function partitionInfo(p: PartitionState): PartitionInfo {
  const lr = p.reports[p.leader];
  const replicaStatus = p.replicas.map((spu) => ({ spu, hw: p.reports[spu]?.hw ?? 0, leo: p.reports[spu]?.leo ?? 0 }));
  return {
    topic: p.topic, partition: p.partition, leader: p.leader,
    replicas: p.replicas.filter((id) => id !== p.leader),
    resolution: p.resolution, sizeBytes: lr?.sizeBytes ?? 0, base: lr?.base ?? 0, leo: lr?.leo ?? 0,
    // A fenced leader (restarted uncleanly, recovery.ts) serves nothing: the HW is the last one served.
    hw: isUnclean(p, p.leader) ? (p.leaderHw ?? lr?.hw ?? 0) : (lr?.hw ?? 0),
    replicaStatus, inSync: isrOf(p), epoch: p.epoch,
  };
}
