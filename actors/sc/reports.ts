/**
 * Replica status reports (DESIGN §6): how a replica's report (via its SPU's heartbeat, or a
 * fresh ReportReply) changes the SC's view of a partition.
 *
 * Invariants:
 * - Reports are ordered by (incarnation, seq); an older or repeated one (reordered or duplicated
 *   on the way) is ignored entirely.
 * - Only the current leader's report (leader flag, its SPU, the current epoch) moves the
 *   resolution: to Online when it serves, to OutOfSpace when it says it is out of space — never a
 *   fenced leader's (restarted uncleanly, recovery.ts).
 * - OutOfSpace is sticky: the mark is persisted, survives leader loss, reconnects and SC restarts,
 *   and after a reconnect is rebuilt from the reports; only a (newer) report with space clears it,
 *   through the 'space-available' cause, the one partition-status.ts accepts for OutOfSpace → Online.
 */
import type { Context } from '../../src/runtime/actor.js';
import { Resolution, type ReplicaReport } from '../messages.js';
import { isUnclean, sendIsr } from './isr.js';
import { setResolution } from './resolution.js';
import { partitionKey, type PartitionState, type ScModel } from './sc-state.js';

/** Whether `r` is newer than `prev` in (incarnation, seq) order. */
export function isNewerReport(r: ReplicaReport, prev: ReplicaReport | undefined): boolean {
  if (!prev) return true;
  return r.incarnation > prev.incarnation || (r.incarnation === prev.incarnation && r.seq > prev.seq);
}

/**
 * Fold one report in. Returns true when persisted state changed: the caller persists once per
 * message (a heartbeat carries many reports — one save each made creating N partitions O(N²)).
 * Safe to defer within the message: what a report changes (resolution, the sticky out-of-space
 * mark) is rebuilt from the reports after an SC restart.
 */
export function applyReport(ctx: Context, m: ScModel, r: ReplicaReport): boolean {
  const p = m.partitions.get(partitionKey(r.topic, r.partition));
  if (!p || !p.replicas.includes(r.spuId)) return false;
  if (!isNewerReport(r, p.reports[r.spuId])) return false; // stale: reordered or duplicated
  p.reports[r.spuId] = r;
  // A fenced leader (recovery.ts) may still send a leader report, made before it learned it is
  // fenced (an assignment from before its restart reached the new process): it moves nothing.
  if (!(r.leader && r.spuId === p.leader && r.epoch === p.epoch) || isUnclean(p, p.leader)) return false;
  p.leaderHw = r.hw;
  if (r.isrVersion !== undefined && r.isrVersion !== (p.isrVersion ?? 0)) sendIsr(ctx, m, p); // a leader behind on its in-sync set
  return applyLeaderReport(ctx, m, p, r.outOfSpace);
}

/** The current leader reported; returns true when the persisted state changed. */
function applyLeaderReport(ctx: Context, m: ScModel, p: PartitionState, outOfSpace: boolean): boolean {
  if (outOfSpace) {
    const changed = !p.outOfSpace;
    p.outOfSpace = true;
    if (p.resolution !== Resolution.Online && p.resolution !== Resolution.OutOfSpace) setResolution(ctx, m, p, Resolution.Online, 'leader-report');
    setResolution(ctx, m, p, Resolution.OutOfSpace, 'leader-report');
    return changed;
  }
  if (p.outOfSpace) {
    // The leader reports space available: the only way out of OutOfSpace.
    const cause = p.resolution === Resolution.OutOfSpace ? 'space-available' : 'leader-report';
    if (!setResolution(ctx, m, p, Resolution.Online, cause)) return false;
    p.outOfSpace = false;
    return true;
  }
  if (p.resolution !== Resolution.Online) return setResolution(ctx, m, p, Resolution.Online, 'leader-report');
  return false;
}
