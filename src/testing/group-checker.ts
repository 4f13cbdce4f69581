/**
 * The consumer-group checker (DESIGN §9): a group delivers every committed-before record to some
 * member and loses none across rebalances and member crashes. Pure, over what a run observed:
 * - lost: an offset below a partition's final committed offset that no member ever processed
 *   (a commit vouched for a record nobody saw — skipped on a rebalance, or committed unread);
 * - ahead: a committed offset past the partition's high watermark;
 * - stalled (liveness): after healing, the group's committed offset is still short of the HW.
 * Duplicates are allowed (a group promises at least once). Offsets of a partition are dense
 * from 0 (no retention or compaction in these runs).
 */
export interface GroupObservation {
  /** partition → offsets some member processed. */
  delivered: Map<number, Set<number>>;
  /** partition → the group's final committed offset (absent = none). */
  committed: Map<number, number>;
  /** partition → high watermark after healing. */
  hw: Map<number, number>;
}

const MAX_LINES = 5;

function capped(name: string, lines: string[]): string[] {
  const out = lines.slice(0, MAX_LINES).map((l) => `[${name}] ${l}`);
  if (lines.length > MAX_LINES) out.push(`[${name}] … and ${lines.length - MAX_LINES} more`);
  return out;
}

export function checkGroupDelivery(topic: string, o: GroupObservation): string[] {
  const lost: string[] = [];
  const ahead: string[] = [];
  const stalled: string[] = [];
  for (const [partition, hw] of [...o.hw].sort((a, b) => a[0] - b[0])) {
    const committed = o.committed.get(partition) ?? 0;
    const seen = o.delivered.get(partition) ?? new Set<number>();
    const missing: number[] = [];
    for (let offset = 0; offset < Math.min(committed, hw); offset++) if (!seen.has(offset)) missing.push(offset);
    if (missing.length > 0) {
      lost.push(`${topic}/${partition}: offsets ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ` (+${missing.length - 8})` : ''} are below the committed offset ${committed} but no member processed them`);
    }
    if (committed > hw) ahead.push(`${topic}/${partition}: committed offset ${committed} is past the high watermark ${hw}`);
    else if (committed < hw) stalled.push(`${topic}/${partition}: the group committed ${committed} of ${hw} records after healing`);
  }
  return [...capped('group-lost', lost), ...capped('group-ahead', ahead), ...capped('group-stalled', stalled)];
}
