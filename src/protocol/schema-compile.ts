/**
 * Compiles a schema's field list for one version into a flat plan the interpreter
 * (schema.ts) walks without re-parsing version strings.
 *
 * Invariants:
 * - A plan is built once per (field list, version, flexible) and cached; plans are immutable.
 * - `order` lists every declared field in declaration order with how it appears at this
 *   version: positional (on the wire in order), tagged (in the trailing tagged section; only in
 *   flexible versions) or absent (decoded as its default, ignored when encoding).
 * - Positional fields keep declaration order (Kafka's wire order); tagged fields are sorted by
 *   tag, tags are unique within a struct.
 * - `minSize` is the fewest bytes one encoded struct can take; it bounds array counts.
 * - Schema mistakes (a tagged field without a tag, a duplicate tag, a nullable struct) throw a
 *   plain Error at compile time: they are programming errors, not wire errors.
 */
import type { DefaultValue, FieldSpec, ScalarType } from './schema-types.js';
import { inRange } from './versions.js';

export const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

export type FieldMode = 'positional' | 'tagged' | 'absent';

export interface CField {
  readonly name: string;
  /** Element kind for arrays, the kind itself otherwise. */
  readonly kind: ScalarType | 'struct';
  readonly array: boolean;
  readonly nullable: boolean;
  readonly mode: FieldMode;
  readonly tag: number;
  readonly struct: CStruct | undefined;
  readonly spec: FieldSpec;
}

export interface CStruct {
  readonly flexible: boolean;
  readonly order: readonly CField[];
  readonly positional: readonly CField[];
  readonly tagged: readonly CField[];
  readonly byTag: ReadonlyMap<number, CField>;
  readonly minSize: number;
}

const FIXED: Partial<Record<ScalarType, number>> = { int8: 1, int16: 2, int32: 4, int64: 8, float64: 8, bool: 1, uuid: 16 };

export function minSizeOf(kind: ScalarType | 'struct', array: boolean, flexible: boolean, struct?: CStruct): number {
  if (array) return flexible ? 1 : 4;
  const fixed = FIXED[kind as ScalarType];
  if (fixed !== undefined) return fixed;
  if (kind === 'struct') return struct!.minSize;
  if (kind === 'string') return flexible ? 1 : 2;
  return flexible ? 1 : 4; // bytes, records
}

const cache = new WeakMap<readonly FieldSpec[], Map<string, CStruct>>();

export function compileStruct(fields: readonly FieldSpec[], version: number, flexible: boolean): CStruct {
  let perVersion = cache.get(fields);
  if (!perVersion) cache.set(fields, (perVersion = new Map()));
  const key = `${version}:${flexible ? 1 : 0}`;
  const hit = perVersion.get(key);
  if (hit) return hit;

  const order: CField[] = [];
  const byTag = new Map<number, CField>();
  let minSize = flexible ? 1 : 0;
  for (const spec of fields) {
    const array = spec.type.startsWith('[]');
    const kind = (array ? spec.type.slice(2) : spec.type) as ScalarType | 'struct';
    const present = inRange(version, spec.versions);
    const tagged = present && inRange(version, spec.taggedVersions);
    if (tagged && !flexible) throw new Error(`${spec.name}: tagged in a non-flexible version ${version}`);
    if (tagged && (spec.tag === undefined || byTag.has(spec.tag))) throw new Error(`${spec.name}: missing or duplicate tag`);
    const nullable = present && (inRange(version, spec.nullableVersions) || (kind === 'records' && !array));
    if (kind === 'struct' && !array && nullable) throw new Error(`${spec.name}: nullable structs are not supported`);
    const struct = kind === 'struct' ? compileStruct(spec.fields ?? [], version, flexible) : undefined;
    const f: CField = {
      name: spec.name,
      kind,
      array,
      nullable,
      mode: !present ? 'absent' : tagged ? 'tagged' : 'positional',
      tag: tagged ? spec.tag! : -1,
      struct,
      spec,
    };
    order.push(f);
    if (f.mode === 'tagged') byTag.set(f.tag, f);
    if (f.mode === 'positional') minSize += minSizeOf(kind, array, flexible, struct);
  }
  const compiled: CStruct = {
    flexible,
    order,
    positional: order.filter((f) => f.mode === 'positional'),
    tagged: order.filter((f) => f.mode === 'tagged').sort((a, b) => a.tag - b.tag),
    byTag,
    minSize,
  };
  perVersion.set(key, compiled);
  return compiled;
}

/** A fresh default value for a field (never shared between calls: arrays/bytes are mutable). */
export function defaultOf(spec: FieldSpec): unknown {
  const d: DefaultValue | undefined = spec.default;
  if (spec.type.startsWith('[]')) return d === null ? null : [];
  if (spec.type === 'int64') return d === undefined ? 0n : typeof d === 'bigint' ? d : BigInt(d as number);
  if (d !== undefined) return d;
  switch (spec.type) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'float64':
      return 0;
    case 'bool':
      return false;
    case 'string':
      return '';
    case 'uuid':
      return ZERO_UUID;
    case 'bytes':
      return new Uint8Array(0);
    case 'records':
      return null;
    case 'struct': {
      const o: Record<string, unknown> = {};
      for (const c of spec.fields ?? []) o[c.name] = defaultOf(c);
      return o;
    }
  }
  return undefined;
}

/** Structural equality for decoded values (numbers, bigints, strings, null, bytes, arrays, objects). */
export function valueEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!(Array.isArray(a) && Array.isArray(b)) || a.length !== b.length) return false;
    return a.every((x, i) => valueEquals(x, b[i]));
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => valueEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
