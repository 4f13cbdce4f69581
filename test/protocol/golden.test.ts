/**
 * Golden bytes from independent implementations (fixtures/*.json, written by make-fixtures.mjs).
 *
 * Request fixtures hold bytes kafkajs 2.2.4 / @platformatic/kafka 1.35.0 produced: we must decode
 * them to the recorded body and re-encode them byte for byte; the library, run again now, must
 * still produce the same bytes. Response fixtures hold our encoding: we must decode and
 * re-encode it identically, and the library's decoder, run now, must read it as the body says.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeRequestBody, decodeResponseBody, encodeRequestBody, encodeResponseBody, type AnyApiKey,
} from '../../src/protocol/index.js';
import { allCases } from './golden/cases.mjs';
import { fromTagged, hex, normalize, subsetMismatches, unhex } from './golden/json.mjs';

interface Fixture {
  id: string;
  apiKey: AnyApiKey;
  version: number;
  kind: 'request' | 'response';
  source: string;
  hex: string;
  body: unknown;
}

const DIR = path.join(import.meta.dirname, 'fixtures');
const fixtures: Fixture[] = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .flatMap((f) => JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as Fixture[]);
const cases = new Map(allCases().map((c: { id: string }) => [c.id, c]));

describe('golden fixtures', () => {
  it('every case has a fixture and every fixture a case', () => {
    expect(fixtures.map((f) => f.id).sort()).toEqual([...cases.keys()].sort());
  });

  for (const f of fixtures) {
    it(f.id, async () => {
      const bytes = unhex(f.hex);
      const body = fromTagged(f.body);
      const c = cases.get(f.id);
      if (f.kind === 'request') {
        const decoded = decodeRequestBody(f.apiKey, f.version, bytes);
        expect(subsetMismatches(normalize(decoded), normalize(body))).toEqual([]);
        expect(hex(encodeRequestBody(f.apiKey, f.version, decoded as never))).toBe(f.hex);
        expect(hex(encodeRequestBody(f.apiKey, f.version, body as never))).toBe(f.hex);
        expect(hex(await c.theirs())).toBe(f.hex);
      } else {
        const decoded = decodeResponseBody(f.apiKey, f.version, bytes);
        expect(subsetMismatches(normalize(decoded), normalize(body))).toEqual([]);
        expect(hex(encodeResponseBody(f.apiKey, f.version, decoded as never))).toBe(f.hex);
        expect(hex(encodeResponseBody(f.apiKey, f.version, body as never))).toBe(f.hex);
        const theirs = await c.decode(bytes);
        expect(subsetMismatches(normalize(body), normalize(c.project(theirs)))).toEqual([]);
        if (c.theirs) expect(subsetMismatches(normalize(theirs), c.theirs)).toEqual([]);
      }
    });
  }
});
