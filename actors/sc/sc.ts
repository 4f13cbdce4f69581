/**
 * SC (streaming controller) behaviour: SPU registration and liveness, topic/partition metadata,
 * placement, partition resolution (through partition-status.ts), leader election among live
 * in-sync replicas, admin requests, status events to subscribers.
 *
 * Invariants:
 * - Only the configured SPU ids are confirmed; registrations from others are refused and logged.
 * - Every resolution change goes through `transition()`; rejected ones are logged, never applied.
 * - Out-of-space is sticky (persisted) and clears only on the leader's report of space.
 * - The persisted state is saved through ctx.storage after every metadata change.
 */
import type { Actor, Context, Message } from '../../src/runtime/actor.js';
import { RivuletError, ErrorCode, toPlainError } from '../../src/runtime/errors.js';
import {
  Resolution, spuActorId, replicaActorId, type AdminRequest, type ReportReply, type PartitionInfo, type ReplicaAssign, type ReplicaReport,
  type SpuInfo, type TopicSpec, type PartitionStatusEvent, type SpuLost, type SpuHeartbeat,
} from '../messages.js';
import { validateTopicConfig, validateTopicName, validateTopicShape } from '../names.js';
import { transition, type TransitionCause } from './partition-status.js';
import { placeReplicas } from './placement.js';
import { ReportSync } from './report-sync.js';
import { partitionKey, type PartitionState, type PersistedScState, type SpuState } from './sc-state.js';

export interface ScArgs {
  spuIds: number[];
  heartbeatMs: number;
  spuTimeoutMs: number;
  /** Address shown by listSpus (informational). */
  address?: string;
}

const STATE_NAME = 'sc';
const MAX_REMEMBERED_ANSWERS = 1024;


export function createSc(rawArgs: unknown): Actor {
  const args = rawArgs as ScArgs;
  const spus = new Map<number, SpuState>();
  for (const id of args.spuIds) spus.set(id, { id, online: false, lastSeenMs: 0, everSeen: false });
  const topics = new Map<string, TopicSpec>();
  const partitions = new Map<string, PartitionState>();
  const subscribers = new Set<string>();
  const sync = new ReportSync();
  /** Recent admin answers by request, oldest first (bounded). */
  const answered = new Map<string, Message>();

  function persist(ctx: Context): void {
    const state: PersistedScState = {
      topics: [...topics.values()],
      partitions: [...partitions.values()].map(({ reports: _r, ...rest }) => rest),
    };
    ctx.storage.saveState(STATE_NAME, state);
  }

  function setResolution(ctx: Context, p: PartitionState, to: Resolution, cause: TransitionCause): boolean {
    const from = p.resolution;
    if (from === to) return true;
    const r = transition(from, to, cause);
    if (!r.ok) {
      ctx.log.warn({ topic: p.topic, partition: p.partition, from, to, cause }, `rejected transition: ${r.reason}`);
      return false;
    }
    p.resolution = to;
    const event: PartitionStatusEvent = { topic: p.topic, partition: p.partition, from, to, leader: p.leader, epoch: p.epoch };
    ctx.log.info({ ...event }, 'partition status');
    for (const s of subscribers) ctx.send(s, { type: 'StatusEvent', event } as Message);
    return true;
  }

  /** Send the partition's assignment to its online replicas' SPUs (or just to `only`). */
  function assign(ctx: Context, p: PartitionState, spec: TopicSpec, only?: number): void {
    const msg: ReplicaAssign = {
      type: 'ReplicaAssign', topic: p.topic, partition: p.partition, leader: p.leader,
      replicas: p.replicas, epoch: p.epoch, config: spec.config,
    };
    for (const spu of p.replicas) if ((only === undefined || spu === only) && spus.get(spu)?.online) ctx.send(spuActorId(spu), msg);
  }

  /**
   * A full heartbeat lists every replica the SPU hosts: re-send assignments it lacks or holds at
   * an older epoch, and removals of replicas it should not host (a lost message must not leave a
   * partition without its replica, or a deleted one behind).
   */
  function reconcile(ctx: Context, spuId: number, reports: ReplicaReport[]): void {
    const hosted = new Map(reports.map((r) => [partitionKey(r.topic, r.partition), r]));
    for (const p of partitions.values()) {
      if (!p.replicas.includes(spuId)) continue;
      const r = hosted.get(partitionKey(p.topic, p.partition));
      const spec = topics.get(p.topic);
      if (spec && (!r || r.epoch < p.epoch)) assign(ctx, p, spec, spuId);
    }
    for (const r of reports) {
      const p = partitions.get(partitionKey(r.topic, r.partition));
      if (!p || !p.replicas.includes(spuId)) ctx.send(spuActorId(spuId), { type: 'ReplicaRemove', topic: r.topic, partition: r.partition } as Message);
    }
  }

  function applyReport(ctx: Context, r: ReplicaReport): void {
    const p = partitions.get(partitionKey(r.topic, r.partition));
    if (!p || !p.replicas.includes(r.spuId)) return;
    const prev = p.reports[r.spuId];
    if (prev && (r.incarnation < prev.incarnation || (r.incarnation === prev.incarnation && r.seq <= prev.seq))) return; // stale: reordered or duplicated
    p.reports[r.spuId] = r;
    if (!(r.leader && r.spuId === p.leader && r.epoch === p.epoch)) return;
    let changed = false;
    if (r.outOfSpace) {
      if (!p.outOfSpace) { p.outOfSpace = true; changed = true; }
      if (p.resolution !== Resolution.Online && p.resolution !== Resolution.OutOfSpace) setResolution(ctx, p, Resolution.Online, 'leader-report');
      setResolution(ctx, p, Resolution.OutOfSpace, 'leader-report');
    } else if (p.outOfSpace) {
      // The leader reports space available: the only way out of OutOfSpace.
      if (p.resolution === Resolution.OutOfSpace) {
        if (setResolution(ctx, p, Resolution.Online, 'space-available')) { p.outOfSpace = false; changed = true; }
      } else if (setResolution(ctx, p, Resolution.Online, 'leader-report')) {
        p.outOfSpace = false; changed = true;
      }
    } else if (p.resolution !== Resolution.Online) {
      changed = setResolution(ctx, p, Resolution.Online, 'leader-report') || changed;
    }
    if (changed) persist(ctx);
  }

  function spuLost(ctx: Context, s: SpuState): void {
    s.online = false;
    ctx.log.warn({ spu: s.id }, 'SPU offline (heartbeat lost)');
    for (const p of partitions.values()) {
      if (p.leader !== s.id) continue;
      if (p.resolution === Resolution.OutOfSpace && candidateFor(p) === undefined) {
        // Sticky: with nobody to fail over to, the partition stays OutOfSpace while its leader is
        // away; the table has no LeaderOffline → OutOfSpace, so leaving would force a false Online
        // on the leader's return. Its SPU's report decides when it comes back.
        ctx.log.warn({ topic: p.topic, partition: p.partition, spu: s.id }, 'leader of an OutOfSpace partition lost; staying OutOfSpace');
        continue;
      }
      setResolution(ctx, p, Resolution.LeaderOffline, 'spu-lost');
      elect(ctx, p);
    }
    persist(ctx);
  }

  /** A live in-sync follower to lead next (highest LEO, then lowest id), if any. */
  function candidateFor(p: PartitionState): number | undefined {
    const leaderReport = p.reports[p.leader];
    const isr = leaderReport?.inSync ?? p.replicas;
    return p.replicas
      .filter((id) => id !== p.leader && spus.get(id)?.online && isr.includes(id))
      .sort((a, b) => (p.reports[b]?.leo ?? 0) - (p.reports[a]?.leo ?? 0) || a - b)[0];
  }

  /** Hand leadership to the candidate, if any, and bump the epoch. */
  function elect(ctx: Context, p: PartitionState): void {
    const next = candidateFor(p);
    if (next === undefined) return; // stays LeaderOffline until a replica returns
    if (!setResolution(ctx, p, Resolution.ElectionLeaderFound, 'election')) return;
    p.leader = next;
    p.epoch += 1;
    p.replicas = [next, ...p.replicas.filter((id) => id !== next)];
    const spec = topics.get(p.topic);
    if (spec) assign(ctx, p, spec);
  }

  function partitionInfo(p: PartitionState): PartitionInfo {
    const lr = p.reports[p.leader];
    const replicaStatus = p.replicas.map((spu) => ({ spu, hw: p.reports[spu]?.hw ?? 0, leo: p.reports[spu]?.leo ?? 0 }));
    return {
      topic: p.topic, partition: p.partition, leader: p.leader,
      replicas: p.replicas.filter((id) => id !== p.leader),
      resolution: p.resolution, sizeBytes: lr?.sizeBytes ?? 0, base: lr?.base ?? 0, hw: lr?.hw ?? 0, leo: lr?.leo ?? 0,
      replicaStatus, inSync: lr?.inSync ?? [p.leader], epoch: p.epoch,
    };
  }

  function admin(ctx: Context, req: AdminRequest): unknown {
    switch (req.op) {
      case 'createTopic': {
        const spec = req.spec;
        validateTopicName(spec.name);
        if (topics.has(spec.name)) throw new RivuletError(ErrorCode.TOPIC_EXISTS, `topic '${spec.name}' already exists`, { topic: spec.name });
        const online = [...spus.values()].filter((s) => s.online).map((s) => s.id);
        validateTopicShape(spec.partitions, spec.replicationFactor, online.length);
        validateTopicConfig(spec.config);
        topics.set(spec.name, spec);
        placeReplicas(online, spec.partitions, spec.replicationFactor).forEach((replicas, partition) => {
          const p: PartitionState = {
            topic: spec.name, partition, replicas, leader: replicas[0]!, epoch: 0,
            resolution: Resolution.Offline, outOfSpace: false, reports: {},
          };
          partitions.set(partitionKey(spec.name, partition), p);
          assign(ctx, p, spec);
        });
        persist(ctx);
        return { name: spec.name, partitions: spec.partitions, replicationFactor: spec.replicationFactor };
      }
      case 'deleteTopic': {
        if (!topics.has(req.name)) throw new RivuletError(ErrorCode.UNKNOWN_TOPIC, `unknown topic '${req.name}'`, { topic: req.name });
        topics.delete(req.name);
        for (const [key, p] of partitions) {
          if (p.topic !== req.name) continue;
          partitions.delete(key);
          for (const spu of p.replicas) ctx.send(spuActorId(spu), { type: 'ReplicaRemove', topic: p.topic, partition: p.partition } as Message);
        }
        persist(ctx);
        return { name: req.name };
      }
      case 'listTopics':
        return [...topics.values()].sort((a, b) => a.name.localeCompare(b.name));
      case 'listPartitions':
        return [...partitions.values()]
          .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition)
          .map(partitionInfo);
      case 'listSpus':
        return [...spus.values()].map((s): SpuInfo => ({
          id: s.id, status: s.online ? 'online' : 'offline', address: args.address ?? 'local',
          replicas: [...partitions.values()].filter((p) => p.replicas.includes(s.id)).length,
        }));
      case 'subscribe':
        subscribers.add(req.replyTo);
        return { subscribed: true };
    }
  }

  return {
    onStart(ctx) {
      const saved = ctx.storage.loadState(STATE_NAME) as PersistedScState | undefined;
      if (saved) {
        for (const t of saved.topics) topics.set(t.name, t);
        for (const p of saved.partitions) {
          const state: PartitionState = { ...p, reports: {} };
          partitions.set(partitionKey(p.topic, p.partition), state);
          // No leader has reported to this SC yet: a partition that was serving is not serving
          // until its leader says so. OutOfSpace stays as it was (sticky; the report decides).
          if (state.resolution === Resolution.Online || state.resolution === Resolution.ElectionLeaderFound) {
            setResolution(ctx, state, Resolution.LeaderOffline, 'spu-lost');
          }
        }
      }
      ctx.schedule(args.heartbeatMs, { type: 'Tick' });
    },
    receive(msg, ctx) {
      switch (msg.type) {
        case 'SpuRegister':
        case 'SpuHeartbeat': {
          const m = msg as { type: string; spuId: number; reports: ReplicaReport[] };
          const s = spus.get(m.spuId);
          if (!s) {
            ctx.log.warn({ spu: m.spuId }, 'refusing SPU that is not in the configured set');
            return;
          }
          s.lastSeenMs = ctx.now();
          const returning = !s.online;
          if (msg.type === 'SpuRegister' || returning) {
            s.online = true;
            s.everSeen = true;
            ctx.log.info({ spu: s.id }, returning ? 'SPU online' : 'SPU re-registered');
            ctx.send(spuActorId(s.id), { type: 'SpuRegistered', spuId: s.id } as Message);
            for (const p of partitions.values()) {
              const spec = topics.get(p.topic);
              if (spec && p.replicas.includes(s.id)) assign(ctx, p, spec);
            }
          }
          for (const r of m.reports) applyReport(ctx, r);
          if ((m as SpuHeartbeat).full) reconcile(ctx, s.id, m.reports);
          for (const p of partitions.values()) {
            const leaderless = p.resolution === Resolution.LeaderOffline || p.resolution === Resolution.Offline;
            if (leaderless && !spus.get(p.leader)?.online) elect(ctx, p);
          }
          return;
        }
        case 'ReportReply': {
          const r = msg as ReportReply;
          sync.onReply(r.token, replicaActorId(r.report.topic, r.report.partition, r.report.spuId), r.report, (rep) => applyReport(ctx, rep));
          return;
        }
        case 'ReportSyncTimeout':
          sync.onTimeout((msg as { type: string; token: number }).token);
          return;
        case 'SpuLost': {
          // The host saw the SPU's thread die: no need to wait for the heartbeat timeout.
          const s = spus.get((msg as SpuLost).spuId);
          if (s?.online) spuLost(ctx, s);
          return;
        }
        case 'Tick': {
          const now = ctx.now();
          for (const s of spus.values()) if (s.online && now - s.lastSeenMs > args.spuTimeoutMs) spuLost(ctx, s);
          ctx.schedule(args.heartbeatMs, { type: 'Tick' });
          return;
        }
        case 'AdminRequest': {
          const req = msg as AdminRequest;
          if (req.op === 'listPartitions' && req.fresh !== false) {
            // Fresh numbers: ask the running replicas first (see report-sync.ts).
            const running: string[] = [];
            for (const p of partitions.values()) {
              for (const spu of p.replicas) if (p.reports[spu] && spus.get(spu)?.online) running.push(replicaActorId(p.topic, p.partition, spu));
            }
            sync.start(ctx, running, () => ctx.send(req.replyTo, { type: 'AdminReply', reqId: req.reqId, result: admin(ctx, req) } as Message));
            return;
          }
          // A request delivered twice (a duplicating network, a client retry) gets the first
          // answer again: createTopic must not answer TOPIC_EXISTS to its own duplicate.
          const key = `${req.replyTo}#${req.reqId}`;
          const earlier = answered.get(key);
          if (earlier) {
            ctx.send(req.replyTo, earlier);
            return;
          }
          let reply: Message;
          try {
            reply = { type: 'AdminReply', reqId: req.reqId, result: admin(ctx, req) } as Message;
          } catch (err) {
            if (!(err instanceof RivuletError)) throw err;
            reply = { type: 'AdminReply', reqId: req.reqId, error: toPlainError(err) } as Message;
          }
          answered.set(key, reply);
          if (answered.size > MAX_REMEMBERED_ANSWERS) answered.delete(answered.keys().next().value!);
          ctx.send(req.replyTo, reply);
          return;
        }
        default:
          ctx.log.warn({ type: msg.type }, 'SC: unexpected message');
      }
    },
  };
}
