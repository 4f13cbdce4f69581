/**
 * Kafka default partitioner: murmur2 must equal Kafka's `Utils.murmur2` bit for bit.
 * Oracles: (1) fixed vectors from Apache Kafka's UtilsTest.testMurmur2 and from kafkajs's
 * Java-generated murmur2.spec.js table; (2) kafkajs's own Java-compatible murmur2
 * (node_modules/kafkajs/src/producer/partitioners/default/murmur2.js) on random bytes.
 */
import { createRequire } from 'node:module';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { murmur2, partitionForKey, RoundRobin, toPositive } from '../../src/cluster/partitioner.js';

const require = createRequire(import.meta.url);
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2.js') as (key: Buffer | string) => number;

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Apache Kafka clients/src/test/.../common/utils/UtilsTest.java, testMurmur2. */
const KAFKA_UTILS_TEST: ReadonlyArray<readonly [Uint8Array, number]> = [
  [utf8('21'), -973932308],
  [utf8('foobar'), -790332482],
  [utf8('a-little-bit-long-string'), -985981536],
  [utf8('a-little-bit-longer-string'), -1486304829],
  [utf8('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'), -58897971],
  [new Uint8Array([0x61, 0x62, 0x63]), 479470107],
];

/** kafkajs src/producer/partitioners/defaultJava/murmur2.spec.js ("Generated with Test.java"). */
const KAFKAJS_JAVA_GENERATED: Readonly<Record<string, number>> = {
  '0': 971027396,
  '1': -1993445489,
  '128': -326012175,
  '2187': -1508407203,
  '16384': -325739742,
  '78125': -1654490814,
  '279936': 1462227128,
  '823543': -2014198330,
  '2097152': 607668903,
  '4782969': -1182699775,
  '10000000': -1830336757,
  '19487171': -1603849305,
  '35831808': -857013643,
  '62748517': -1167431028,
  '105413504': -381294639,
  '170859375': -1658323481,
  '100:48069': 1009543857,
};

describe('murmur2', () => {
  it("matches Apache Kafka's UtilsTest vectors", () => {
    for (const [bytes, expected] of KAFKA_UTILS_TEST) expect(murmur2(bytes)).toBe(expected);
  });

  it("matches kafkajs's Java-generated table", () => {
    for (const [key, expected] of Object.entries(KAFKAJS_JAVA_GENERATED)) expect(murmur2(utf8(key))).toBe(expected);
  });

  it('hashes the empty key like Java does', () => {
    expect(murmur2(new Uint8Array(0))).toBe(kafkajsMurmur2(Buffer.alloc(0)));
  });

  it('equals kafkajs murmur2 on random bytes (every tail length, high bytes included)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 200 }), (bytes) => {
        const ours = murmur2(bytes);
        expect(ours).toBe(kafkajsMurmur2(Buffer.from(bytes)));
        expect(Number.isInteger(ours) && ours >= -(2 ** 31) && ours < 2 ** 31).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('equals kafkajs murmur2 on random unicode string keys', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        expect(murmur2(utf8(s))).toBe(kafkajsMurmur2(Buffer.from(s, 'utf8')));
      }),
      { numRuns: 500 },
    );
  });

  it('reads the bytes of a view, not of its whole buffer', () => {
    const whole = utf8('xxfoobaryy');
    expect(murmur2(whole.subarray(2, 8))).toBe(-790332482);
  });
});

describe('partitionForKey', () => {
  it("matches Kafka's toPositive(murmur2) % n (known partitions)", () => {
    // -790332482 & 0x7fffffff = 1357151166
    expect(toPositive(-790332482)).toBe(1357151166);
    expect(partitionForKey(utf8('foobar'), 3)).toBe(1357151166 % 3);
    expect(partitionForKey(utf8('foobar'), 3)).toBe(0);
    // 479470107 is already positive
    expect(partitionForKey(utf8('abc'), 10)).toBe(7);
    expect(partitionForKey(utf8('21'), 16)).toBe(toPositive(-973932308) % 16);
  });

  it('agrees with the kafkajs DefaultPartitioner for random keys and partition counts', () => {
    const createDefault = require('kafkajs/src/producer/partitioners/default/index.js') as () => (args: {
      topic: string;
      partitionMetadata: Array<{ partitionId: number; leader: number }>;
      message: { key: Buffer; partition?: number };
    }) => number;
    const kafkajsPartitioner = createDefault();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.integer({ min: 1, max: 1000 }), (key, n) => {
        const partitionMetadata = Array.from({ length: n }, (_, partitionId) => ({ partitionId, leader: 0 }));
        const expected = kafkajsPartitioner({ topic: 't', partitionMetadata, message: { key: Buffer.from(key) } });
        const ours = partitionForKey(key, n);
        expect(ours).toBe(expected);
        expect(ours >= 0 && ours < n).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('toPositive clears only the sign bit', () => {
    expect(toPositive(-(2 ** 31))).toBe(0);
    expect(toPositive(-1)).toBe(0x7fffffff);
    expect(toPositive(12345)).toBe(12345);
  });

  it('rejects a bad partition count', () => {
    expect(() => partitionForKey(utf8('k'), 0)).toThrow();
    expect(() => partitionForKey(utf8('k'), 1.5)).toThrow();
    expect(() => partitionForKey(utf8('k'), -3)).toThrow();
  });
});

describe('RoundRobin', () => {
  it('cycles 0..n-1 and spreads evenly', () => {
    const rr = new RoundRobin();
    const counts = [0, 0, 0];
    const seq: number[] = [];
    for (let i = 0; i < 30; i++) {
      const p = rr.next(3);
      seq.push(p);
      counts[p]!++;
    }
    expect(seq.slice(0, 6)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(counts).toEqual([10, 10, 10]);
  });

  it('follows a changing partition count', () => {
    const rr = new RoundRobin(5);
    expect(rr.next(4)).toBe(1);
    expect(rr.next(2)).toBe(0);
    expect(rr.next(10)).toBe(7);
  });

  it('stays in range across the int32 wrap', () => {
    const rr = new RoundRobin(2 ** 31 - 2);
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) seen.push(rr.next(7));
    for (const p of seen) expect(p >= 0 && p < 7).toBe(true);
  });

  it('is deterministic (two instances give the same sequence)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 50 }), (start, ns) => {
        const a = new RoundRobin(start);
        const b = new RoundRobin(start);
        for (const n of ns) expect(a.next(n)).toBe(b.next(n));
      }),
    );
  });
});
