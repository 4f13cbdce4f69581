/**
 * CRC-32C (Castagnoli): known vectors, incremental = one-shot, and the slicing-by-8 path checked
 * against a plain bit-by-bit reference over random inputs, lengths and sub-ranges.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc32c, crc32cUpdate } from '../../src/storage/crc32c.js';

/** Reference: one bit at a time, reflected polynomial 0x82F63B78. */
function crc32cBitwise(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) {
    c ^= bytes[i]!;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return ~c >>> 0;
}

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('crc32c', () => {
  it('matches known vectors', () => {
    expect(crc32c(ascii('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43); // RFC 3720 B.4
    const inc = Uint8Array.from({ length: 32 }, (_, i) => i);
    expect(crc32c(inc)).toBe(0x46dd794e); // RFC 3720 B.4
    expect(crc32c(ascii('The quick brown fox jumps over the lazy dog'))).toBe(0x22620404);
  });

  it('honours start/end', () => {
    const b = ascii('xx123456789yyy');
    expect(crc32c(b, 2, 11)).toBe(0xe3069283);
    expect(crc32c(b, 5, 5)).toBe(0);
  });

  it('incremental update equals one-shot', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 40 }), (a, b, d) => {
        const all = new Uint8Array(a.length + b.length + d.length);
        all.set(a, 0);
        all.set(b, a.length);
        all.set(d, a.length + b.length);
        const inc = crc32cUpdate(crc32cUpdate(crc32cUpdate(0, a), b), d);
        expect(inc).toBe(crc32c(all));
        // same, through start/end on one array
        const split = crc32cUpdate(crc32cUpdate(0, all, 0, a.length), all, a.length, all.length);
        expect(split).toBe(crc32c(all));
      }),
      { numRuns: 300 },
    );
  });

  it('slicing-by-8 path equals the bitwise reference on random lengths and offsets', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 1100 }),
        fc.nat(),
        fc.nat(),
        (bytes, s, e) => {
          const start = bytes.length === 0 ? 0 : s % (bytes.length + 1);
          const end = start + (e % (bytes.length - start + 1));
          expect(crc32c(bytes, start, end)).toBe(crc32cBitwise(bytes, start, end));
          expect(crc32c(bytes)).toBe(crc32cBitwise(bytes));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('every length 0..64 agrees with the reference (all tail sizes of the 8-byte loop)', () => {
    const bytes = Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff);
    for (let n = 0; n <= 64; n++) expect(crc32c(bytes, 0, n)).toBe(crc32cBitwise(bytes, 0, n));
  });
});

describe('native and portable CRC-32C agree', () => {
  it('on random spans of every size around the native threshold', async () => {
    const { crc32cUpdate, crc32cPortable, crc32cImplementation } = await import('../../src/storage/crc32c.js');
    const fcMod = (await import('fast-check')).default;
    expect(['native', 'portable']).toContain(crc32cImplementation);
    fcMod.assert(
      fcMod.property(fcMod.uint8Array({ minLength: 0, maxLength: 4096 }), fcMod.nat(1000), fcMod.integer(), (bytes, cut, seed) => {
        const start = Math.min(cut, bytes.length);
        const crc = seed >>> 0;
        expect(crc32cUpdate(crc, bytes, start)).toBe(crc32cPortable(crc, bytes, start));
      }),
      { seed: 11, numRuns: 300 },
    );
    // A view into shared memory, as the rings hand out.
    const sab = new SharedArrayBuffer(8192);
    const u = new Uint8Array(sab);
    for (let i = 0; i < u.length; i++) u[i] = (i * 31) & 0xff;
    expect(crc32cUpdate(0, u.subarray(100, 5000))).toBe(crc32cPortable(0, u.subarray(100, 5000)));
  });
});
