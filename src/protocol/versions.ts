/**
 * Version ranges as Kafka's message JSON writes them: '0+', '3-7', '5', 'none'.
 * Invariant: parsing is done once per distinct string (cached); `inRange` is O(1).
 */

export interface VersionRange {
  readonly min: number;
  /** Inclusive; Infinity for 'N+'. */
  readonly max: number;
}

const NONE: VersionRange = { min: 1, max: 0 };
const cache = new Map<string, VersionRange>();

export function parseVersions(s: string): VersionRange {
  let r = cache.get(s);
  if (r) return r;
  const t = s.trim();
  let m: RegExpExecArray | null;
  if (t === 'none' || t === '') r = NONE;
  else if ((m = /^(\d+)\+$/.exec(t))) r = { min: Number(m[1]), max: Infinity };
  else if ((m = /^(\d+)-(\d+)$/.exec(t))) r = { min: Number(m[1]), max: Number(m[2]) };
  else if ((m = /^(\d+)$/.exec(t))) r = { min: Number(m[1]), max: Number(m[1]) };
  else throw new Error(`bad version range '${s}'`);
  cache.set(s, r);
  return r;
}

export function inRange(version: number, s: string | undefined): boolean {
  if (s === undefined) return false;
  const r = parseVersions(s);
  return version >= r.min && version <= r.max;
}
