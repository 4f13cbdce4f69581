/**
 * Where a consumer starts (Fluvio/Kafka style). Resolved against the partition's BASE and the
 * isolation's end (HW for read_committed, LEO for read_uncommitted) when the consumer opens.
 */
export type OffsetSpec =
  | { kind: 'beginning' }
  | { kind: 'end' }
  | { kind: 'absolute'; offset: number }
  | { kind: 'fromBeginning'; n: number }
  | { kind: 'fromEnd'; n: number };

export const Offset = {
  beginning: (): OffsetSpec => ({ kind: 'beginning' }),
  end: (): OffsetSpec => ({ kind: 'end' }),
  absolute: (offset: number): OffsetSpec => ({ kind: 'absolute', offset }),
  fromBeginning: (n: number): OffsetSpec => ({ kind: 'fromBeginning', n }),
  fromEnd: (n: number): OffsetSpec => ({ kind: 'fromEnd', n }),
} as const;

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
