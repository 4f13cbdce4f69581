/**
 * BatchBuilder.finishSwap and the producer's pooled batch buffers: the swapped-out batch is
 * byte-identical to what finish() makes, the builder goes on in the buffer it was given, and the
 * pool keeps only buffers of its own size (never a restamped copy of another length).
 */
import { describe, it, expect } from 'vitest';
import { BatchBuilder, decodeBatch } from '../../src/storage/index.js';
import { BatchBuffers } from '../../src/cluster/batch-buffers.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('finishSwap and batch buffers', () => {
  it('gives the same batch as finish() without copying, and continues in the new buffer', () => {
    const a = new BatchBuilder({ initialBytes: 4096 });
    const b = new BatchBuilder({ initialBytes: 4096 });
    for (let i = 0; i < 50; i++) {
      a.add(i % 3 ? bytes(`k${i}`) : null, bytes(`value ${i}`), 1_700_000_000_000 + i);
      b.add(i % 3 ? bytes(`k${i}`) : null, bytes(`value ${i}`), 1_700_000_000_000 + i);
    }
    const stamp = { producerId: 7, producerEpoch: 1, baseSequence: 100 };
    const copied = a.finish(stamp);
    const pool = new BatchBuffers(4096);
    const next = pool.take();
    const swapped = b.finishSwap(stamp, next);
    expect(swapped).toEqual(copied);
    expect(swapped.buffer.byteLength).toBe(4096);
    // The builder now writes into `next`: a second batch lands there, the first stays intact.
    b.add(null, bytes('second'), 5);
    const second = b.finishSwap({}, pool.take());
    expect(second.buffer).toBe(next.buffer);
    expect(decodeBatch(swapped).records.map((r) => new TextDecoder().decode(r.value))).toEqual(Array.from({ length: 50 }, (_, i) => `value ${i}`));
    expect(decodeBatch(second).records.map((r) => new TextDecoder().decode(r.value))).toEqual(['second']);
  });

  it('pools only its own size, up to its bound', () => {
    const pool = new BatchBuffers(1024, 1024, 2);
    const x = pool.take();
    pool.give(x.subarray(0, 100));
    expect(pool.take().buffer).toBe(x.buffer);
    pool.give(new Uint8Array(100)); // a restamped copy: not ours
    expect(pool.take().buffer.byteLength).toBe(1024);
    const kept = [pool.take(), pool.take(), pool.take()];
    for (const k of kept) pool.give(k);
    const again = [pool.take(), pool.take(), pool.take()];
    expect(again.filter((g) => kept.some((k) => k.buffer === g.buffer))).toHaveLength(2);
  });

  it('keeps one free list per power-of-two size class', () => {
    const pool = new BatchBuffers(1024, 4096);
    expect([pool.classOf(1024), pool.classOf(2048), pool.classOf(4096)]).toEqual([0, 1, 2]);
    expect([pool.classOf(512), pool.classOf(3000), pool.classOf(8192)]).toEqual([-1, -1, -1]);
    const small = pool.take(2048);
    const big = pool.take(4096);
    expect([small.length, big.length]).toEqual([2048, 4096]);
    pool.give(small.subarray(0, 10));
    pool.give(big.subarray(5, 9));
    expect(pool.take(4096).buffer).toBe(big.buffer);
    expect(pool.take(2048).buffer).toBe(small.buffer);
    expect(pool.take(1024).length).toBe(1024);
    expect(() => pool.take(3000)).toThrow(RangeError);
    expect(() => new BatchBuffers(1000, 4096)).toThrow(RangeError);
  });
});
