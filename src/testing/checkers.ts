/**
 * Invariant checkers for simulation runs (DESIGN §9), pure functions over what a run observed.
 * Each returns its violations (empty = holds): the checker's name, a line of text, and where it
 * happened (partition and offset) when that is one record. The runner classes them as correctness failures and prints a few per
 * checker (`[checker] …`).
 *
 * Each checker is shown to bite by a planted bug (plants.ts; test/sim/plants.test.ts).
 */
import { isAllowedTransition } from '../../actors/sc/partition-status.js';
import type { PartitionStatusEvent } from '../../actors/messages.js';
import type { AckedRecord, CommitRecord, ConsumedRecord } from './workload.js';

/** A record of the final log (read back after healing). */
export interface LogRecord { topic: string; partition: number; offset: number; value: string }

/** One broken promise; `tp`/`offset` name the record when it is about one. */
export interface Violation { checker: string; text: string; tp?: string; offset?: number }

const MAX_LINES = 5;
const at = (r: { topic: string; partition: number; offset: number }) => `${r.topic}/${r.partition}@${r.offset}`;
const where = (r: { topic: string; partition: number; offset: number }) => ({ tp: `${r.topic}/${r.partition}`, offset: r.offset });

/** Lines for a report: at most a few per checker, then a count of the rest. */
export function formatViolations(vs: Violation[]): string[] {
  const out: string[] = [];
  const seen = new Map<string, number>();
  for (const v of vs) {
    const n = (seen.get(v.checker) ?? 0) + 1;
    seen.set(v.checker, n);
    if (n <= MAX_LINES) out.push(`[${v.checker}] ${v.text}`);
  }
  for (const [c, n] of seen) if (n > MAX_LINES) out.push(`[${c}] … and ${n - MAX_LINES} more`);
  return out;
}

/** Every acks=all record is readable at its acknowledged offset with identical bytes. */
export function checkAckedReadable(acked: AckedRecord[], log: LogRecord[]): Violation[] {
  const byOffset = new Map(log.map((r) => [at(r), r.value]));
  const out: Violation[] = [];
  const v = (a: AckedRecord, text: string) => out.push({ checker: 'acked-readable', text, ...where(a) });
  for (const a of acked) {
    const got = byOffset.get(at(a));
    if (got === undefined) v(a, `acknowledged record ${at(a)} (${a.value.slice(0, 32)}) is not in the log`);
    else if (got !== a.value) v(a, `acknowledged record ${at(a)} reads back different bytes`);
  }
  return out;
}

/**
 * Exactly once: an idempotent producer's values are each in the log at most once (retries never
 * duplicate), and each acknowledged one exactly once. An at-least-once producer's values may be
 * duplicated (tolerated: it promises no more) but an acknowledged one is never missing.
 */
export function checkExactlyOnce(acked: AckedRecord[], log: LogRecord[], sent: Set<string>[], idempotent: boolean[]): Violation[] {
  const count = new Map<string, number>();
  for (const r of log) count.set(r.value, (count.get(r.value) ?? 0) + 1);
  const out: Violation[] = [];
  for (const a of acked) {
    if ((count.get(a.value) ?? 0) === 0) out.push({ checker: 'exactly-once', text: `acknowledged value ${a.value.slice(0, 40)} is missing from the log`, ...where(a) });
  }
  sent.forEach((values, p) => {
    if (!idempotent[p]) return;
    for (const v of values) {
      const n = count.get(v) ?? 0;
      if (n > 1) out.push({ checker: 'exactly-once', text: `idempotent producer ${p}'s value ${v.slice(0, 40)} is in the log ${n} times` });
    }
  });
  return out;
}

/**
 * What a read_committed consumer saw was committed, so it stays: every consumed record is in the
 * final log at its offset with the same bytes, and each consumer's offsets strictly increase.
 */
export function checkConsumed(consumed: ConsumedRecord[], log: LogRecord[]): Violation[] {
  const byOffset = new Map(log.map((r) => [at(r), r.value]));
  const last = new Map<number, number>();
  const out: Violation[] = [];
  const v = (c: ConsumedRecord, text: string) => out.push({ checker: 'consumed-committed', text, ...where(c) });
  for (const c of consumed) {
    const got = byOffset.get(at(c));
    if (got === undefined) v(c, `consumer ${c.consumer} read ${at(c)} (${c.value.slice(0, 32)}), which is no longer in the log`);
    else if (got !== c.value) v(c, `consumer ${c.consumer} read ${at(c)} with other bytes than the log holds now`);
    const prev = last.get(c.consumer);
    if (prev !== undefined && c.offset <= prev) out.push({ checker: 'consumed-committed', text: `consumer ${c.consumer} read offset ${c.offset} after ${prev}` });
    last.set(c.consumer, c.offset);
  }
  return out;
}

/**
 * Committed offsets are never lost: OffsetFetch returns the last acknowledged commit of each group,
 * or a later commit whose answer was lost (it may have been applied), never an older one.
 */
export function checkCommits(commits: CommitRecord[], fetched: Map<string, number>): Violation[] {
  const out: Violation[] = [];
  const groups = new Map<string, CommitRecord[]>();
  for (const c of commits) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  for (const [group, list] of groups) {
    const got = fetched.get(group) ?? -1;
    const lastAcked = list.map((c, i) => (c.acked ? i : -1)).reduce((a, b) => Math.max(a, b), -1);
    const allowed = new Set(list.slice(Math.max(0, lastAcked)).map((c) => c.offset));
    if (lastAcked < 0) allowed.add(-1);
    if (!allowed.has(got)) {
      const want = lastAcked >= 0 ? list[lastAcked]!.offset : 'nothing';
      out.push({ checker: 'commits', text: `group ${group}: OffsetFetch returns ${got}, the last acknowledged commit was ${want}` });
    }
  }
  return out;
}

/** Every observed status transition is in DESIGN §6's table. */
export function checkTransitions(events: PartitionStatusEvent[]): Violation[] {
  return events
    .filter((e) => !isAllowedTransition(e.from, e.to))
    .map((e) => ({ checker: 'transitions', text: `${e.topic}/${e.partition}: ${e.from} → ${e.to} is not an allowed transition` }));
}

export interface HwSample { topic: string; partition: number; epoch: number; hw: number }

/** HW never goes backwards on a partition's leader within one epoch (samples in time order). */
export function checkHwMonotonic(samples: HwSample[]): Violation[] {
  const last = new Map<string, number>();
  const out: Violation[] = [];
  for (const s of samples) {
    const k = `${s.topic}/${s.partition}@${s.epoch}`;
    const prev = last.get(k);
    if (prev !== undefined && s.hw < prev) {
      out.push({ checker: 'hw-monotonic', text: `${s.topic}/${s.partition} epoch ${s.epoch}: HW went back from ${prev} to ${s.hw}`, tp: `${s.topic}/${s.partition}`, offset: s.hw });
    }
    last.set(k, Math.max(prev ?? 0, s.hw));
  }
  return out;
}

/**
 * Replicas of a partition hold byte-identical logs (and so the same LEO). A violation names the
 * first offset where a replica's log departs from the first one's.
 */
export function checkConverged(name: string, logs: { spu: number; bytes: Uint8Array[] }[]): Violation[] {
  if (logs.length < 2) return [];
  const ref = logs[0]!;
  const same = (a: Uint8Array | undefined, b: Uint8Array | undefined) => a !== undefined && b !== undefined && Buffer.from(a).equals(b);
  const out: Violation[] = [];
  for (const l of logs.slice(1)) {
    const n = Math.max(l.bytes.length, ref.bytes.length);
    let i = 0;
    while (i < n && same(l.bytes[i], ref.bytes[i])) i++;
    if (i === n) continue;
    const at = l.bytes[i] ?? ref.bytes[i]!;
    const offset = Number(new DataView(at.buffer, at.byteOffset, at.byteLength).getBigInt64(0));
    out.push({ checker: 'converged', text: `${name}: replica on SPU ${l.spu} differs from SPU ${ref.spu} from offset ${offset}`, tp: name, offset });
  }
  return out;
}

/** Start-up confirmed exactly the configured SPUs. */
export function checkConfirmedSpus(configured: number[], online: number[]): Violation[] {
  const a = [...configured].sort((x, y) => x - y).join(',');
  const b = [...online].sort((x, y) => x - y).join(',');
  return a === b ? [] : [{ checker: 'confirmed-spus', text: `confirmed SPUs [${b}] differ from the configured [${a}]` }];
}

/**
 * OutOfSpace clears only on a report of space: the leader's storage must have been freed after
 * the fill that made the partition OutOfSpace (reports race later fills, so "full at delivery" is
 * not the test). Fed status events as they happen, with the fault schedule's fill/free times.
 */
export class OutOfSpaceWatch {
  readonly violations: Violation[] = [];
  private readonly causeAt = new Map<string, number>();

  constructor(private readonly filledAt: Map<number, number>, private readonly freedAt: Map<number, number>) {}

  onEvent(e: PartitionStatusEvent, now: number): void {
    const key = `${e.topic}/${e.partition}`;
    if (e.to === 'OutOfSpace') this.causeAt.set(key, this.filledAt.get(e.leader) ?? now);
    if (e.from === 'OutOfSpace' && e.to === 'Online' && !((this.freedAt.get(e.leader) ?? -1) >= (this.causeAt.get(key) ?? 0))) {
      this.violations.push({ checker: 'out-of-space', text: `${key}: OutOfSpace cleared although SPU ${e.leader}'s storage was not freed since` });
    }
  }

  check(): Violation[] {
    return this.violations;
  }
}
