/**
 * Rows of `npm run bench`: what one row is, how N runs become a figure (median, spread), how a
 * figure is judged against its DESIGN §10 target, and how rows print. Pure: no clock, no I/O
 * beyond the string it returns.
 *
 * A row's value is its primary figure (records/s, CPU µs/record, seconds, KiB …). Its ×ring is
 * median records/s ÷ the same run's median bare-ring records/s at the row's record size (equal
 * to the ratio of bytes/s). Its target compares, by ratio of medians, against
 *   ring   the bare ring at the row's record size (records/s)
 *   row    another row's median value (disk vs memory, p64 cost vs p1 cost, kafkajs vs encode)
 *   abs    a fixed figure (seconds, KiB)
 * and prints met / MISSED — a report, never an assertion: nothing here fails the bench.
 */

export type RecordSize = 100 | 1024;
export interface Sample { value: number; recordsPerSec?: number; detail: Record<string, string>; run?: number; caseMs?: number }
export type Target =
  | { base: 'ring'; op: '>=' | '<='; value: number }
  | { base: 'row'; row: string; op: '>=' | '<=' | 'info'; value: number; what: string }
  | { base: 'abs'; op: '>=' | '<=' | '<'; value: number };
export interface RowDef { name: string; section: string; unit: string; ringBytes?: RecordSize; target: Target | null }
export interface RowResult extends RowDef {
  samples: Sample[]; median: number | null; min: number | null; max: number | null;
  recordsPerSec: number | null; ratioToRing: number | null; targetRatio: number | null; verdict: 'met' | 'MISSED' | 'info' | 'n/a';
  detail: Record<string, string>;
}

export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Medians, spreads, ratios and verdicts of every row, given the ring rows' names by size. */
export function judge(rows: RowDef[], samples: Map<string, Sample[]>, ringRow: (size: RecordSize) => string): RowResult[] {
  const med = (name: string): number | null => median((samples.get(name) ?? []).map((s) => s.value));
  const medRate = (name: string): number | null => median((samples.get(name) ?? []).flatMap((s) => (s.recordsPerSec === undefined ? [] : [s.recordsPerSec])));
  return rows.map((row) => {
    const ss = samples.get(row.name) ?? [];
    const values = ss.map((s) => s.value);
    const m = median(values);
    const rate = medRate(row.name);
    const ring = row.ringBytes === undefined ? null : medRate(ringRow(row.ringBytes));
    const ratioToRing = rate !== null && ring ? round3(rate / ring) : null;
    let targetRatio: number | null = null;
    let verdict: RowResult['verdict'] = row.target === null ? 'info' : 'n/a';
    const t = row.target;
    if (t !== null && m !== null) {
      if (t.base === 'ring') targetRatio = ratioToRing;
      else if (t.base === 'row') {
        const b = med(t.row);
        targetRatio = b ? round3(m / b) : null;
      } else targetRatio = m;
      if (t.base === 'row' && t.op === 'info') verdict = 'info';
      else if (targetRatio !== null) {
        const ok = t.op === '>=' ? targetRatio >= t.value : t.op === '<=' ? targetRatio <= t.value : targetRatio < t.value;
        verdict = ok ? 'met' : 'MISSED';
      }
    }
    const mid = ss.length === 0 ? null : [...ss].sort((a, b) => a.value - b.value)[(ss.length - 1) >> 1]!;
    return {
      ...row, samples: ss, median: m, min: values.length ? Math.min(...values) : null, max: values.length ? Math.max(...values) : null,
      recordsPerSec: rate, ratioToRing, targetRatio, verdict, detail: mid?.detail ?? {},
    };
  });
}

/** 1234567 → "1.23 M", 12345 → "12.3 k", 12.345 → "12.3", 0.1234 → "0.123". */
export function fmt(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return 'n/a';
  const a = Math.abs(n);
  if (a >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (a >= 1e4) return `${(n / 1e3).toFixed(1)} k`;
  if (a >= 100) return n.toFixed(0);
  if (a >= 10) return n.toFixed(1);
  if (a >= 1) return n.toFixed(2);
  return n.toFixed(3);
}

function targetText(t: Target | null): string {
  if (t === null) return '';
  if (t.base === 'ring') return `${t.op}${t.value}× ring`;
  if (t.base === 'row') return t.op === 'info' ? `(${t.what})` : `${t.op}${t.value}× ${t.what}`;
  return `${t.op} ${t.value}`;
}

function columns(header: string[], rows: string[][], leftAligned: number): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]): string =>
    cells.map((cell, c) => (c < leftAligned || c === cells.length - 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].map((l) => `  ${l}`).join('\n');
}

/** The printed table of one section's rows. */
export function formatSection(title: string, rows: RowResult[]): string {
  const body = rows.map((r) => {
    const ratio = r.target && r.target.base !== 'ring' && r.targetRatio !== null
      ? (r.target.base === 'abs' ? '' : `${r.targetRatio.toFixed(2)}× → `)
      : '';
    return [
      r.name, fmt(r.median), r.unit, `${fmt(r.min)}–${fmt(r.max)}`, r.ratioToRing === null ? '' : `${r.ratioToRing.toFixed(3)}×`,
      targetText(r.target), `${ratio}${r.verdict}`, Object.entries(r.detail).map(([k, v]) => `${k} ${v}`).join(', '),
    ];
  });
  return `\n${title}\n${columns(['row', 'median', 'unit', 'spread (min–max)', '×ring', 'target', 'verdict', 'detail (median run)'], body, 1)}`;
}
