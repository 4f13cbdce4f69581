/**
 * Growing tail rings (src/storage/ring-grow.ts): a GrowingRingWriter that starts small and doubles,
 * and readers that follow it with followRing/continueReader.
 * - Model (fast-check, one thread, interleaved): random frame sizes, reads and DELAYED
 *   announcements (as postMessage delivers them). Every frame a reader gets has the right bytes,
 *   sequence numbers strictly increase (never a duplicate), and a gap only ever follows a lap the
 *   reader was told about. While the largest ring never fills, nothing is lost: every frame, in
 *   order, exactly once.
 * - Real threads: the writer runs in a worker and announces each new ring by postMessage; the main
 *   thread follows with Atomics.waitAsync and checks every byte of every frame.
 * - replace() (a truncation) closes the old ring for good: readers restart, never continue it.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { GrowingRingWriter, RingReader, continueReader, followRing } from '../../src/storage/ring.js';
import { RingCounter } from '../../src/storage/ring-layout.js';

/** Frame `seq` of `size` bytes: seq in the first 4 bytes (if they fit), then a seq-derived pattern. */
export function payloadFor(seq: number, size: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (seq * 31 + i * 7) & 0xff;
  if (size >= 4) new DataView(b.buffer).setUint32(0, seq);
  return b;
}

function seqOf(frame: Uint8Array, expectedSize: (seq: number) => number): number {
  const seq = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0);
  expect(frame.byteLength).toBe(expectedSize(seq));
  for (let i = 4; i < frame.byteLength; i++) if (frame[i] !== ((seq * 31 + i * 7) & 0xff)) throw new Error(`frame ${seq}: byte ${i} differs`);
  return seq;
}

/**
 * A byte-stream follower: the RingTailReader rule without batch offsets. It gets every announced
 * ring in order (as postMessage delivers them) and continues a grown ring in its direct successor.
 */
class Follower {
  reader: RingReader | undefined;
  laps = 0;

  /** Next frame (a copy), or null: nothing now. `rings`: every ring delivered so far, in order. */
  next(rings: readonly SharedArrayBuffer[]): Uint8Array | null {
    for (let hop = 0; hop < 4; hop++) {
      if (rings.length === 0) return null;
      const r = this.reader;
      if (r === undefined) this.reader = new RingReader(rings[0]!, { from: 'oldest' });
      else {
        const at = rings.indexOf(r.sab);
        const successor = new RingReader(rings[Math.min(at + 1, rings.length - 1)]!, { from: 'oldest' });
        const step = followRing(r, successor);
        if (step === 'continue') this.reader = continueReader(r, successor);
        else if (step === 'restart') {
          if (r.lapped) this.laps++;
          this.reader = new RingReader(rings[rings.length - 1]!, { from: 'oldest' });
        }
      }
      const cur = this.reader!;
      const frame = cur.next();
      if (frame) {
        const copy = frame.slice();
        if (cur.stillValid()) return copy;
        this.laps++;
        this.reader = new RingReader(rings[rings.length - 1]!, { from: 'oldest' });
        continue;
      }
      if (cur.lapped) continue; // restart on the next hop
      if (!(cur.state === 'continued' && cur.closed)) return null;
    }
    return null;
  }
}

type Op = { kind: 'write'; size: number } | { kind: 'read'; count: number } | { kind: 'deliver'; count: number };

const opArb = (maxFrame: number): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: 4, max: maxFrame }).map((size) => ({ kind: 'write' as const, size })) },
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 8 }).map((count) => ({ kind: 'read' as const, count })) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 3 }).map((count) => ({ kind: 'deliver' as const, count })) },
  );

function runModel(initialBytes: number, maxBytes: number, ops: Op[]): { laps: number; written: number; rings: number } {
  const queue: SharedArrayBuffer[] = []; // announced, not yet delivered
  const delivered: SharedArrayBuffer[] = [];
  const w = new GrowingRingWriter({ initialBytes, maxBytes, announce: (sab) => queue.push(sab) });
  delivered.push(queue.shift()!); // both followers start on the first ring
  const sizes: number[] = [];
  const followers = [new Follower(), new Follower()];
  const last = [-1, -1];
  const lapsAtLast = [0, 0];
  const take = (i: number, count: number) => {
    const f = followers[i]!;
    for (let k = 0; k < count; k++) {
      const frame = f.next(delivered);
      if (!frame) return;
      const seq = seqOf(frame, (s) => sizes[s]!);
      // In order and never twice; a gap only where the follower was told it lapped.
      if (f.laps === lapsAtLast[i]) expect(seq).toBe(last[i]! + 1);
      else expect(seq).toBeGreaterThan(last[i]!);
      last[i] = seq;
      lapsAtLast[i] = f.laps;
    }
  };
  for (const op of ops) {
    if (op.kind === 'write') {
      sizes.push(op.size);
      expect(w.write(payloadFor(sizes.length - 1, op.size))).toBeGreaterThanOrEqual(0);
    } else if (op.kind === 'deliver') {
      for (let k = 0; k < op.count && queue.length > 0; k++) delivered.push(queue.shift()!);
    } else {
      take(0, op.count); // follower 0 reads as told; follower 1 only at the end (slow)
    }
  }
  while (queue.length > 0) delivered.push(queue.shift()!);
  take(0, sizes.length + 1);
  take(1, sizes.length + 1);
  expect(last).toEqual([sizes.length - 1, sizes.length - 1]); // both reach the newest frame
  return { laps: followers[0]!.laps + followers[1]!.laps, written: sizes.length, rings: delivered.length };
}

describe('GrowingRingWriter with following readers (model)', () => {
  it('lossless while the largest ring never fills: every frame in order exactly once, across growth and delayed announcements', () => {
    fc.assert(
      fc.property(fc.constantFrom(1024, 2048), fc.array(opArb(200), { maxLength: 150 }), (initialBytes, ops) => {
        // ≤ 150 frames of ≤ 208 B: at most 31 KiB ever written, so a 64 KiB ring never fills.
        const r = runModel(initialBytes, 64 * 1024, ops);
        expect(r.laps).toBe(0);
      }),
      { seed: 16, numRuns: 300 },
    );
  });

  it('at the largest size it overwrites; readers see laps, never a wrong or repeated frame', () => {
    let laps = 0;
    let grew = 0;
    fc.assert(
      fc.property(fc.array(opArb(1000), { minLength: 50, maxLength: 300 }), (ops) => {
        const r = runModel(1024, 8 * 1024, ops);
        laps += r.laps;
        if (r.rings > 1) grew++;
      }),
      { seed: 17, numRuns: 200 },
    );
    expect(laps).toBeGreaterThan(0); // the scenario really laps readers
    expect(grew).toBeGreaterThan(0);
  });

  it('grows straight to a size that takes a large frame, up to maxBytes; larger frames are skipped', () => {
    const rings: SharedArrayBuffer[] = [];
    const w = new GrowingRingWriter({ initialBytes: 1024, maxBytes: 64 * 1024, announce: (sab) => rings.push(sab) });
    expect(w.capacityBytes).toBe(1024);
    expect(w.write(payloadFor(0, 5000))).toBe(0);
    expect(w.capacityBytes).toBe(32 * 1024); // 5000 B needs capacity/4 ≥ 5000
    expect(w.write(payloadFor(1, 16 * 1024 + 1))).toBe(-1);
    expect(rings.map((s) => s.byteLength)).toEqual([1024 + 1024, 1024 + 32 * 1024]);
  });

  it('growWhenRead: a full ring nobody read in place overwrites at its size; once a reader marked it, it grows, and the mark carries over', () => {
    const announced: SharedArrayBuffer[] = [];
    const w = new GrowingRingWriter({ initialBytes: 4096, maxBytes: 64 * 1024, announce: (sab) => announced.push(sab), growWhenRead: true });
    const frame = new Uint8Array(500);
    for (let i = 0; i < 40; i++) w.write(frame); // ~20 KB through a 4 KiB ring
    expect([w.capacityBytes, announced.length]).toEqual([4096, 1]);
    new RingReader(announced[0]!, { from: 'oldest' }).markRead();
    for (let i = 0; i < 40; i++) w.write(frame);
    expect(w.capacityBytes).toBeGreaterThan(4096);
    const newest = new RingReader(announced[announced.length - 1]!, { from: 'oldest' });
    expect(newest.counter(RingCounter.read)).toBe(1); // copied into every successor
    expect(w.write(new Uint8Array(3000))).toBeGreaterThanOrEqual(0); // a frame too big for the ring grows it regardless
  });

  it('replace() closes the old ring for good: a reader restarts on the fresh ring instead of continuing', () => {
    const rings: SharedArrayBuffer[] = [];
    const w = new GrowingRingWriter({ initialBytes: 1024, maxBytes: 4096, announce: (sab) => rings.push(sab) });
    w.write(payloadFor(0, 100));
    const old = new RingReader(rings[0]!, { from: 'oldest' });
    w.replace();
    expect(old.state).toBe('closed');
    const fresh = new RingReader(rings[1]!, { from: 'oldest' });
    expect(fresh.generation).toBe(1);
    expect(followRing(old, fresh)).toBe('restart');
  });
});

const started: Worker[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((w) => w.terminate()));
});
beforeAll(() => {
  const built = fileURLToPath(new URL('../../dist/src/storage/ring-grow.js', import.meta.url));
  if (!existsSync(built)) throw new Error(`${built} missing: build first (npx tsc -p tsconfig.json, or npm test)`);
});

describe('growing ring between threads', () => {
  it('a writer worker grows 1 KiB → 256 KiB while the main thread reads every frame exactly once', async () => {
    const frames = 20_000;
    const maxFrame = 24; // ≤ 20,000 × 32 B = 640 KB written: the 1 MiB ring never fills
    const worker = new Worker(new URL('../fixtures/ring-grow-writer.mjs', import.meta.url), {
      workerData: { frames, maxFrame, initialBytes: 1024, maxBytes: 1024 * 1024 },
    });
    started.push(worker);
    const announced: SharedArrayBuffer[] = [];
    const failed = new Promise<never>((_, reject) => worker.once('error', reject));
    worker.on('message', (m: { sab?: SharedArrayBuffer }) => {
      if (m.sab) announced.push(m.sab);
    });
    const f = new Follower();
    let expected = 0;
    const sizeOf = (seq: number) => 4 + ((seq * 7) % (maxFrame - 3));
    while (expected < frames) {
      const frame = f.next(announced);
      if (frame) {
        expect(seqOf(frame, sizeOf)).toBe(expected);
        expected++;
        continue;
      }
      // Nothing now: sleep until the ring has data, or (a finished grown ring) let the next
      // announcement arrive — always yielding to the event loop so 'message' events run.
      const r = f.reader;
      const wait = r && r.state === 'open' ? r.waitForDataAsync(50) : new Promise((res) => setTimeout(res, 1));
      await Promise.race([wait, failed]);
      await new Promise((res) => setImmediate(res));
    }
    expect(f.laps).toBe(0);
    expect(announced.length).toBeGreaterThanOrEqual(9); // 1 KiB … 256 KiB at least
  }, 60_000);
});
