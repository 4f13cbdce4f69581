/**
 * Invariant checkers for simulation runs (DESIGN §9), pure functions over what a run observed.
 * Each returns a list of violations (empty = holds); the runner classes them as correctness
 * failures.
 */
import { isAllowedTransition } from '../../actors/sc/partition-status.js';
import type { PartitionStatusEvent } from '../../actors/messages.js';

export interface AckedRecord { partition: number; offset: number; value: string }
export interface ReadRecord { partition: number; offset: number; value: string }

/** Every acks=all record is readable at its offset with identical bytes. */
export function checkAckedReadable(acked: AckedRecord[], read: ReadRecord[]): string[] {
  const at = new Map(read.map((r) => [`${r.partition}/${r.offset}`, r.value]));
  const out: string[] = [];
  for (const a of acked) {
    const got = at.get(`${a.partition}/${a.offset}`);
    if (got === undefined) out.push(`acked record ${a.partition}/${a.offset} is not readable`);
    else if (got !== a.value) out.push(`acked record ${a.partition}/${a.offset} reads back different bytes`);
    if (out.length >= 10) break;
  }
  return out;
}

/** Every observed status transition is in DESIGN §6's table. */
export function checkTransitions(events: PartitionStatusEvent[]): string[] {
  return events
    .filter((e) => !isAllowedTransition(e.from, e.to))
    .map((e) => `${e.topic}/${e.partition}: ${e.from} → ${e.to} is not an allowed transition`);
}

/** HW never goes backwards on a partition's leader within one epoch (samples in time order). */
export function checkHwMonotonic(samples: { partition: number; epoch: number; hw: number }[]): string[] {
  const last = new Map<string, number>();
  const out: string[] = [];
  for (const s of samples) {
    const k = `${s.partition}@${s.epoch}`;
    const prev = last.get(k);
    if (prev !== undefined && s.hw < prev) out.push(`partition ${s.partition} epoch ${s.epoch}: HW went back from ${prev} to ${s.hw}`);
    last.set(k, Math.max(prev ?? 0, s.hw));
  }
  return out;
}

/** Replicas of a partition hold byte-identical logs (and so the same LEO). */
export function checkConverged(partition: number, logs: { spu: number; bytes: Uint8Array[] }[]): string[] {
  if (logs.length < 2) return [];
  const key = (bs: Uint8Array[]) => bs.map((b) => Buffer.from(b).toString('base64')).join('|');
  const ref = key(logs[0]!.bytes);
  return logs.slice(1).filter((l) => key(l.bytes) !== ref).map((l) => `partition ${partition}: replica on SPU ${l.spu} differs from SPU ${logs[0]!.spu}`);
}

/** Start-up confirmed exactly the configured SPUs. */
export function checkConfirmedSpus(configured: number[], online: number[]): string[] {
  const a = [...configured].sort((x, y) => x - y).join(',');
  const b = [...online].sort((x, y) => x - y).join(',');
  return a === b ? [] : [`confirmed SPUs [${b}] differ from the configured [${a}]`];
}
