/**
 * Where a consumer starts (Fluvio/Kafka style). Resolved against the partition's BASE and the
 * isolation's end (HW for read_committed, LEO for read_uncommitted) when the consumer opens.
 * A malformed spec (an unknown kind, an offset or count that is not an integer ≥ 0) is an
 * INVALID_ARGUMENT RivuletError — from the `Offset.*` builders at once, from `checkOffsetSpec`
 * for a spec built by hand.
 */
import { RivuletError, ErrorCode } from '../runtime/errors.js';

export type OffsetSpec =
  | { kind: 'beginning' }
  | { kind: 'end' }
  | { kind: 'absolute'; offset: number }
  | { kind: 'fromBeginning'; n: number }
  | { kind: 'fromEnd'; n: number };

function count(what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new RivuletError(ErrorCode.INVALID_ARGUMENT, `${what} must be an integer ≥ 0, got ${typeof v === 'number' ? v : typeof v}`, { [what]: v });
  }
  return v;
}

export const Offset = {
  beginning: (): OffsetSpec => ({ kind: 'beginning' }),
  end: (): OffsetSpec => ({ kind: 'end' }),
  absolute: (offset: number): OffsetSpec => ({ kind: 'absolute', offset: count('offset', offset) }),
  fromBeginning: (n: number): OffsetSpec => ({ kind: 'fromBeginning', n: count('n', n) }),
  fromEnd: (n: number): OffsetSpec => ({ kind: 'fromEnd', n: count('n', n) }),
} as const;

/** The spec itself if well formed; INVALID_ARGUMENT otherwise. */
export function checkOffsetSpec(spec: unknown): OffsetSpec {
  const s = spec as OffsetSpec | null;
  switch (typeof s === 'object' && s !== null ? s.kind : undefined) {
    case 'beginning':
    case 'end':
      return s!;
    case 'absolute':
      return Offset.absolute((s as { offset: number }).offset);
    case 'fromBeginning':
    case 'fromEnd':
      count('n', (s as { n: number }).n);
      return s!;
    default:
      throw new RivuletError(ErrorCode.INVALID_ARGUMENT, `offset must be Offset.beginning(), end(), absolute(n), fromBeginning(n) or fromEnd(n), got ${JSON.stringify(spec) ?? String(spec)}`);
  }
}

export function resolveOffset(spec: OffsetSpec, base: number, end: number): number {
  switch (spec.kind) {
    case 'beginning':
      return base;
    case 'end':
      return end;
    case 'absolute':
      return spec.offset;
    case 'fromBeginning':
      return Math.min(end, base + Math.max(0, spec.n));
    case 'fromEnd':
      return Math.max(base, end - Math.max(0, spec.n));
  }
}
