/**
 * Property tests over every served API × version × direction, bodies generated from the schema:
 * - decode(encode(x)) = x;
 * - every proper prefix of a valid encoding throws ProtocolError (decoders consume exactly the
 *   bytes given, so a truncated message can never decode to something else);
 * - a length prefix (string, bytes, records, array count, tagged-field size) that claims more
 *   bytes than remain throws ProtocolError;
 * - random bytes and byte-flipped valid encodings throw nothing but ProtocolError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MESSAGES, SERVED_APIS } from '../../src/protocol/registry.js';
import { ProtocolError } from '../../src/protocol/errors.js';
import { Reader } from '../../src/protocol/reader.js';
import { decodeMessage, encodeMessage, type LengthMark } from '../../src/protocol/schema.js';
import type { MessageSchema } from '../../src/protocol/schema-types.js';
import { Writer } from '../../src/protocol/writer.js';
import { bodyArb } from './arbitrary.js';

const targets: { schema: MessageSchema; version: number }[] = SERVED_APIS.flatMap((api) =>
  (['request', 'response'] as const).flatMap((dir) => {
    const schema = MESSAGES[api.apiKey][dir] as MessageSchema;
    return Array.from({ length: api.maxVersion - api.minVersion + 1 }, (_, i) => ({ schema, version: api.minVersion + i }));
  }),
);

function onlyProtocolErrors(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
  }
}

function throwsProtocolError(f: () => unknown): boolean {
  try {
    f();
    return false;
  } catch (e) {
    if (e instanceof ProtocolError) return true;
    throw e;
  }
}

/** The encoding with the length prefix at `m` replaced by one claiming remaining + 1 bytes. */
function lie(bytes: Uint8Array, m: LengthMark): Uint8Array | undefined {
  if (m.width === 'uvarint') {
    const r = new Reader(bytes, m.at);
    r.uvarint();
    const remaining = bytes.length - r.pos;
    const w = new Writer(16).uvarint(remaining + 2).finish();
    const out = new Uint8Array(m.at + w.length + remaining);
    out.set(bytes.subarray(0, m.at));
    out.set(w, m.at);
    out.set(bytes.subarray(r.pos), m.at + w.length);
    return out;
  }
  const size = m.width === 'int16' ? 2 : 4;
  const claim = bytes.length - (m.at + size) + 1;
  if (m.width === 'int16' && claim > 0x7fff) return undefined;
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  if (m.width === 'int16') view.setInt16(m.at, claim);
  else view.setInt32(m.at, claim);
  return out;
}

describe.each(targets.map((t) => [`${t.schema.name} v${t.version}`, t] as const))('%s', (_name, { schema, version }) => {
  const arb = bodyArb(schema, version);

  it('round-trips', () => {
    fc.assert(
      fc.property(arb, (x) => {
        expect(decodeMessage(schema, version, encodeMessage(schema, version, x as never))).toEqual(x);
      }),
      { numRuns: 25 },
    );
  });

  it('refuses every truncation and every lying length', () => {
    fc.assert(
      fc.property(arb, (x) => {
        const trace: LengthMark[] = [];
        const bytes = encodeMessage(schema, version, x as never, { trace });
        for (let k = 0; k < bytes.length; k++) {
          expect(throwsProtocolError(() => decodeMessage(schema, version, bytes.subarray(0, k)))).toBe(true);
        }
        for (const m of trace) {
          const lying = lie(bytes, m);
          if (lying) expect(throwsProtocolError(() => decodeMessage(schema, version, lying))).toBe(true);
        }
      }),
      { numRuns: 4 },
    );
  });

  it('throws only ProtocolError on random and corrupted bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 48 }), (b) => onlyProtocolErrors(() => decodeMessage(schema, version, b))),
      { numRuns: 30 },
    );
    fc.assert(
      fc.property(arb, fc.nat(), fc.integer({ min: 1, max: 255 }), (x, i, flip) => {
        const bytes = encodeMessage(schema, version, x as never).slice();
        if (bytes.length === 0) return;
        bytes[i % bytes.length]! ^= flip;
        onlyProtocolErrors(() => decodeMessage(schema, version, bytes));
      }),
      { numRuns: 20 },
    );
  });
});
