/**
 * SPU liveness (DESIGN §6): registration, heartbeats, and loss by heartbeat timeout or by the
 * host's SpuLost (the SPU's thread died).
 *
 * Invariants:
 * - Exact confirmation: only the configured SPU ids (ScModel.spus) are ever confirmed; a
 *   register or heartbeat from any other id is refused and logged, and changes nothing.
 * - A register, or the first heartbeat of an SPU the SC had marked offline, (re)confirms it:
 *   SpuRegistered back, and the assignments of every partition it has a replica of re-sent.
 * - No heartbeat for more than `spuTimeoutMs` → offline; the partitions it led go LeaderOffline
 *   and an election runs (election.ts) — except an OutOfSpace partition with no one to fail over
 *   to, which stays OutOfSpace (sticky) until its leader's report decides.
 * - Every contact ends by electing leaders for leaderless partitions whose leader is offline.
 */
import type { Context } from '../../src/runtime/actor.js';
import { Resolution, type SpuHeartbeat, type SpuRegister } from '../messages.js';
import { scheduleSc, toSpu } from '../send.js';
import { assignPartitionsOf, reconcile } from './assignments.js';
import { candidateFor, elect, electLeaderless } from './election.js';
import { dropFromIsrs } from './isr.js';
import { balanceLeaders } from './leader-balance.js';
import { persist } from './persistence.js';
import { onSpuRestart } from './recovery.js';
import { applyReport } from './reports.js';
import { setResolution } from './resolution.js';
import type { ScModel, SpuState } from './sc-state.js';

/** A register or heartbeat arrived. */
export function onSpuContact(ctx: Context, m: ScModel, msg: SpuRegister | SpuHeartbeat): void {
  const s = m.spus.get(msg.spuId);
  if (!s) {
    ctx.log.warn({ spu: msg.spuId }, 'refusing SPU that is not in the configured set');
    return;
  }
  s.lastSeenMs = ctx.now();
  const returning = !s.online;
  if (msg.type === 'SpuRegister') {
    if (s.everSeen && s.incarnation !== undefined && msg.incarnation !== s.incarnation) onSpuRestart(ctx, m, s.id); // before its assignments go out
    s.incarnation = msg.incarnation;
  }
  if (msg.type === 'SpuRegister' || returning) confirm(ctx, m, s, returning);
  let changed = false;
  for (const r of msg.reports) changed = applyReport(ctx, m, r) || changed;
  if (changed) persist(ctx, m); // once per message, not per report (reports.ts)
  if (msg.type === 'SpuHeartbeat' && msg.full) reconcile(ctx, m, s.id, msg.reports);
  electLeaderless(ctx, m);
}

function confirm(ctx: Context, m: ScModel, s: SpuState, returning: boolean): void {
  s.online = true;
  s.everSeen = true;
  ctx.log.info({ spu: s.id }, returning ? 'SPU online' : 'SPU re-registered');
  toSpu(ctx, s.id, { type: 'SpuRegistered', spuId: s.id });
  assignPartitionsOf(ctx, m, s.id);
}

/** The host saw the SPU's thread die: no need to wait for the heartbeat timeout. */
export function onSpuLost(ctx: Context, m: ScModel, spuId: number): void {
  const s = m.spus.get(spuId);
  if (s?.online) spuLost(ctx, m, s);
}

/** The SC's tick: SPUs silent for longer than spuTimeoutMs are lost; then the next tick. */
export function onTick(ctx: Context, m: ScModel): void {
  const now = ctx.now();
  for (const s of m.spus.values()) if (s.online && now - s.lastSeenMs > m.args.spuTimeoutMs) spuLost(ctx, m, s);
  balanceLeaders(ctx, m); // leadership back to preferred replicas that are caught up
  scheduleSc(ctx, m.args.heartbeatMs, { type: 'Tick' });
}

export function spuLost(ctx: Context, m: ScModel, s: SpuState): void {
  s.online = false;
  ctx.log.warn({ spu: s.id }, 'SPU offline (heartbeat lost)');
  dropFromIsrs(ctx, m, s.id); // it rejoins the in-sync sets once caught up again
  for (const p of m.partitions.values()) {
    if (p.leader !== s.id) continue;
    if (p.resolution === Resolution.OutOfSpace && candidateFor(m, p) === undefined) {
      // Sticky: with nobody to fail over to, the partition stays OutOfSpace while its leader is
      // away; the table has no LeaderOffline → OutOfSpace, so leaving would force a false Online
      // on the leader's return. Its SPU's report decides when it comes back.
      ctx.log.warn({ topic: p.topic, partition: p.partition, spu: s.id }, 'leader of an OutOfSpace partition lost; staying OutOfSpace');
      continue;
    }
    setResolution(ctx, m, p, Resolution.LeaderOffline, 'spu-lost');
    elect(ctx, m, p);
  }
  persist(ctx, m);
}
