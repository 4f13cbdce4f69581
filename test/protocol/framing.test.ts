/**
 * FrameSplitter: chunked delivery at every split point yields the same frames; declared sizes
 * below 0 or above the maximum are refused from the 4 size bytes alone, before buffering.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameSplitter } from '../../src/protocol/framing.js';
import { ProtocolError } from '../../src/protocol/errors.js';

function stream(frames: Uint8Array[]): Uint8Array {
  const total = frames.reduce((n, f) => n + 4 + f.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const f of frames) {
    view.setInt32(at, f.length);
    out.set(f, at + 4);
    at += 4 + f.length;
  }
  return out;
}

function deliver(s: FrameSplitter, chunks: Uint8Array[]): Uint8Array[] {
  return chunks.flatMap((c) => s.push(c).map((f) => f.slice()));
}

const framesArb = fc.array(fc.uint8Array({ maxLength: 20 }), { maxLength: 5 });

describe('FrameSplitter', () => {
  it('yields the same frames for a split at every point', () => {
    fc.assert(
      fc.property(framesArb, (frames) => {
        const bytes = stream(frames);
        for (let k = 0; k <= bytes.length; k++) {
          const got = deliver(new FrameSplitter(), [bytes.subarray(0, k), bytes.subarray(k)]);
          expect(got).toEqual(frames);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('yields the same frames for byte-by-byte and random chunking', () => {
    fc.assert(
      fc.property(framesArb, fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 12 }), (frames, cuts) => {
        const bytes = stream(frames);
        const single = Array.from(bytes, (b) => Uint8Array.of(b));
        expect(deliver(new FrameSplitter(), single)).toEqual(frames);
        const points = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
        const chunks: Uint8Array[] = [];
        let prev = 0;
        for (const p of [...points, bytes.length]) {
          chunks.push(bytes.subarray(prev, Math.max(prev, p)));
          prev = Math.max(prev, p);
        }
        const s = new FrameSplitter();
        expect(deliver(s, chunks)).toEqual(frames);
        expect(s.pendingBytes).toBe(0);
      }),
      { numRuns: 100 },
    );
  });

  it('returns a frame inside one chunk as a zero-copy view', () => {
    const bytes = stream([Uint8Array.of(1, 2, 3)]);
    const [f] = new FrameSplitter().push(bytes);
    expect(f!.buffer).toBe(bytes.buffer);
    expect([...f!]).toEqual([1, 2, 3]);
  });

  it('accepts a frame of exactly the maximum size and refuses one byte more before buffering it', () => {
    const ok = new FrameSplitter({ maxFrameBytes: 8 });
    expect(ok.push(stream([new Uint8Array(8)]))).toHaveLength(1);
    const s = new FrameSplitter({ maxFrameBytes: 8 });
    expect(s.push(Uint8Array.of(0, 0))).toEqual([]);
    let err: unknown;
    try {
      s.push(Uint8Array.of(0, 9)); // the size prefix is complete: 9 > 8
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).code).toBe('FRAME_TOO_LARGE');
    expect(s.pendingBytes).toBe(0);
    expect(() => s.push(new Uint8Array(9))).toThrow(ProtocolError); // poisoned: the stream cannot resync
  });

  it('refuses a huge declared size without allocating it', () => {
    const s = new FrameSplitter();
    expect(() => s.push(Uint8Array.of(0x7f, 0xff, 0xff, 0xff, 1, 2, 3))).toThrow(/exceeds/);
  });

  it('refuses a negative declared size as MALFORMED', () => {
    for (const prefix of [[0xff, 0xff, 0xff, 0xff], [0x80, 0, 0, 0]]) {
      const s = new FrameSplitter();
      try {
        s.push(Uint8Array.from(prefix));
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ProtocolError);
        expect((e as ProtocolError).code).toBe('MALFORMED');
      }
    }
  });

  it('handles zero-size frames, also at a chunk boundary', () => {
    const bytes = stream([new Uint8Array(0), Uint8Array.of(7), new Uint8Array(0)]);
    for (let k = 0; k <= bytes.length; k++) {
      expect(deliver(new FrameSplitter(), [bytes.subarray(0, k), bytes.subarray(k)])).toEqual([
        new Uint8Array(0), Uint8Array.of(7), new Uint8Array(0),
      ]);
    }
  });

  it('with reusedChunks, copies every frame out of a read buffer that is overwritten after each push', () => {
    fc.assert(
      fc.property(framesArb, fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 12 }), fc.integer({ min: 0, max: 24 }), (frames, sizes, preallocateBytes) => {
        const bytes = stream(frames);
        const s = new FrameSplitter({ reusedChunks: true, preallocateBytes });
        const readBuffer = new Uint8Array(32);
        const got: Uint8Array[] = [];
        for (let at = 0, i = 0; at < bytes.length; i++) {
          const n = Math.min(sizes[i % Math.max(1, sizes.length)] ?? 7, bytes.length - at);
          readBuffer.set(bytes.subarray(at, at + n));
          got.push(...s.push(readBuffer.subarray(0, n)));
          readBuffer.fill(0xee); // the next read overwrites it
          at += n;
        }
        expect(got.map((f) => [...f])).toEqual(frames.map((f) => [...f]));
        for (const f of got) expect(f.buffer).not.toBe(readBuffer.buffer);
        expect(s.pendingBytes).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects a bad maxFrameBytes option', () => {
    expect(() => new FrameSplitter({ maxFrameBytes: -1 })).toThrow(RangeError);
    expect(() => new FrameSplitter({ maxFrameBytes: 2 ** 31 })).toThrow(RangeError);
  });
});
