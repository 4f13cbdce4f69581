/**
 * fast-check arbitraries generated from a message schema at one version: every field present,
 * fields absent at the version at their default (exactly what decode yields), small arrays and
 * strings so the property suites stay fast.
 */
import fc from 'fast-check';
import { compileStruct, defaultOf, type CField, type CStruct } from '../../src/protocol/schema-compile.js';
import { isFlexible } from '../../src/protocol/schema.js';
import type { MessageSchema } from '../../src/protocol/schema-types.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const uuidArb = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => {
  const h = hex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
});

function scalarArb(kind: CField['kind']): fc.Arbitrary<unknown> {
  switch (kind) {
    case 'int8':
      return fc.integer({ min: -0x80, max: 0x7f });
    case 'int16':
      return fc.integer({ min: -0x8000, max: 0x7fff });
    case 'int32':
      return fc.integer({ min: -0x80000000, max: 0x7fffffff });
    case 'int64':
      return fc.bigInt({ min: INT64_MIN, max: INT64_MAX });
    case 'float64':
      return fc.double({ noNaN: true });
    case 'bool':
      return fc.boolean();
    case 'uuid':
      return uuidArb;
    case 'string':
      return fc.string({ unit: 'binary', maxLength: 6 });
    case 'bytes':
    case 'records':
      return fc.uint8Array({ maxLength: 12 });
    default:
      throw new Error(`no arbitrary for ${kind}`);
  }
}

function fieldArb(f: CField): fc.Arbitrary<unknown> {
  const one = f.kind === 'struct' ? structArb(f.struct!) : scalarArb(f.kind);
  const value = f.array ? fc.array(one, { maxLength: 3 }) : one;
  return f.nullable ? fc.option(value, { nil: null, freq: 4 }) : value;
}

export function structArb(c: CStruct): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of c.order) model[f.name] = f.mode === 'absent' ? fc.constant(null).map(() => defaultOf(f.spec)) : fieldArb(f);
  return fc.record(model);
}

export function bodyArb(schema: MessageSchema, version: number): fc.Arbitrary<Record<string, unknown>> {
  return structArb(compileStruct(schema.fields, version, isFlexible(schema, version)));
}
