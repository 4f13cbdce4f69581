/**
 * SAB ring against a plain-array model (single thread, many readers): random frame sizes on small
 * rings (many wrap-arounds), fast and slow readers, both writer modes, starts near 2^32 and 2^52.
 * Checks: every frame a reader gets equals the model's frame at that position; a lapped reader was
 * really behind the oldest intact frame; stillValid() ⇒ the bytes are still the frame's bytes;
 * backpressure writes are refused exactly when the documented fit rule says the ring is full.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RecordTooLargeError } from '../../src/runtime/errors.js';
import { RingCounter, RingReader, RingWriter, createRing } from '../../src/storage/ring.js';
import { frameBytes, tailSlackBytes } from '../../src/storage/ring-layout.js';

type Mode = 'overwrite' | 'backpressure';
type Op =
  | { kind: 'write'; size: number; zeroCopy: boolean }
  | { kind: 'read'; reader: number; count: number }
  | { kind: 'release' }
  | { kind: 'check' };

interface ModelFrame {
  pos: number;
  bytes: Uint8Array;
}

function payloadFor(seq: number, size: number): Uint8Array {
  const b = new Uint8Array(size);
  let x = (seq * 2654435761 + 12345) >>> 0;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface ModelReader {
  reader: RingReader;
  last: { view: Uint8Array; frame: ModelFrame } | null;
  lappedCount: number;
}

/** Runs one op sequence; throws (via expect) on any disagreement with the model. */
function runScenario(mode: Mode, capacityBytes: number, maxFrameBytes: number, initialPosition: number, ops: Op[]) {
  const sab = createRing(capacityBytes, { maxFrameBytes, initialPosition });
  const writer = new RingWriter(sab, { mode });
  // reader 0 is the consumer in backpressure mode; readers 0 and 1 are fast (drain on every read op)
  const readers: ModelReader[] = [0, 1, 2, 3].map(() => ({ reader: new RingReader(sab), last: null, lappedCount: 0 }));
  const frames: ModelFrame[] = [];
  let head = initialPosition;
  let released = initialPosition; // model: the consumer's released position
  let seq = 0;

  /** Index of the first model frame at position >= pos (padding frames are not in the model). */
  const frameAtOrAfter = (pos: number): number => {
    let lo = 0;
    let hi = frames.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (frames[mid]!.pos < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  const fits = (size: number): boolean => {
    const frame = frameBytes(size);
    const offset = head % capacityBytes;
    const pad = offset + frame > capacityBytes ? capacityBytes - offset : 0;
    return head + pad + frame + 8 <= released + capacityBytes;
  };

  const readOne = (r: ModelReader, index: number): boolean => {
    const before = r.reader.position;
    const view = r.reader.next();
    if (view === null) {
      if (r.reader.lapped) {
        expect(before).toBeLessThan(writer.oldest);
        expect(before).toBeLessThan(head + 8 - capacityBytes + tailSlackBytes(capacityBytes) + 2 * frameBytes(maxFrameBytes));
        if (mode === 'backpressure') expect(index).not.toBe(0); // the consumer is never lapped
        r.lappedCount++;
        r.reader.seek(r.reader.oldest);
        expect(r.reader.lapped).toBe(false);
      } else {
        expect(before).toBe(head); // nothing published beyond
      }
      return false;
    }
    const i = frameAtOrAfter(before);
    const frame = frames[i];
    expect(frame).toBeDefined();
    expect(sameBytes(view, frame!.bytes)).toBe(true);
    expect(r.reader.position).toBe(frame!.pos + frameBytes(frame!.bytes.length));
    expect(r.reader.stillValid()).toBe(true);
    r.last = { view, frame: frame! };
    return true;
  };

  const check = () => {
    expect(writer.head).toBe(head);
    const oldest = writer.oldest;
    expect(oldest).toBeLessThanOrEqual(head);
    // nothing intact was overwritten: the writer touched bytes only below head + 8
    expect(oldest).toBeGreaterThanOrEqual(Math.min(head, head + 8 - capacityBytes));
    if (mode === 'backpressure') expect(oldest).toBeLessThanOrEqual(released);
    for (const r of readers) {
      expect(r.reader.head).toBe(head);
      expect(r.reader.oldest).toBe(oldest);
      if (r.last === null) continue;
      if (r.reader.stillValid()) expect(sameBytes(r.last.view, r.last.frame.bytes)).toBe(true);
      else expect(r.last.frame.pos).toBeLessThan(oldest);
    }
  };

  for (const op of ops) {
    if (op.kind === 'write') {
      const bytes = payloadFor(seq, op.size);
      const expectFit = mode === 'overwrite' || fits(op.size);
      let pos: number;
      if (op.zeroCopy) {
        const view = writer.reserve(op.size);
        if (view === null) pos = -1;
        else {
          expect(view.length).toBe(op.size);
          view.set(bytes);
          pos = writer.commit();
        }
      } else {
        pos = writer.write(bytes);
      }
      if (!expectFit) {
        expect(pos).toBe(-1);
        expect(writer.head).toBe(head);
        continue;
      }
      expect(pos).toBeGreaterThanOrEqual(head);
      expect(pos - head).toBeLessThan(frameBytes(op.size)); // at most a padding frame before it
      frames.push({ pos, bytes });
      head = pos + frameBytes(op.size);
      seq++;
    } else if (op.kind === 'read') {
      const r = readers[op.reader]!;
      const fast = op.reader < 2;
      const limit = fast ? 1_000_000 : op.count;
      for (let k = 0; k < limit; k++) if (!readOne(r, op.reader)) break;
    } else if (op.kind === 'release') {
      const consumer = readers[0]!.reader;
      consumer.release();
      if (mode === 'backpressure') released = Math.max(released, consumer.position);
    } else {
      check();
    }
  }
  check();
  return { frames: frames.length, lapped: readers.reduce((n, r) => n + r.lappedCount, 0), head };
}

function opsArb(maxFrameBytes: number) {
  return fc.array(
    fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('write' as const), size: fc.integer({ min: 0, max: maxFrameBytes }), zeroCopy: fc.boolean() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('write' as const), size: fc.constant(maxFrameBytes), zeroCopy: fc.boolean() }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('read' as const), reader: fc.integer({ min: 0, max: 3 }), count: fc.integer({ min: 1, max: 4 }) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('release' as const) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('check' as const) }) },
    ),
    { minLength: 1, maxLength: 400, size: 'max' },
  );
}

const START_POSITIONS = [0, 2 ** 32 - 1024, 2 ** 32 - 8, 3 * 2 ** 32 - 4096, 2 ** 52 - 2 ** 32 - 2048];

const scenarioArb = fc
  .record({
    capacityBytes: fc.constantFrom(1024, 2048, 4096),
    frameShare: fc.constantFrom(4, 8, 16, 2), // maxFrameBytes = capacity / share (2 ⇒ the maximum)
    initialPosition: fc.constantFrom(...START_POSITIONS),
  })
  .chain((s) => {
    const maxFrameBytes = s.frameShare === 2 ? s.capacityBytes / 2 - 8 : s.capacityBytes / s.frameShare;
    return fc.record({ s: fc.constant({ ...s, maxFrameBytes }), ops: opsArb(maxFrameBytes) });
  });

describe('ring model (fast-check)', () => {
  for (const mode of ['overwrite', 'backpressure'] as const) {
    it(`${mode}: readers see exactly the model's frames; lapping and refusals match the model`, () => {
      let totalFrames = 0;
      let totalLapped = 0;
      let crossed2pow32 = 0;
      fc.assert(
        fc.property(scenarioArb, ({ s, ops }) => {
          const r = runScenario(mode, s.capacityBytes, s.maxFrameBytes, s.initialPosition, ops);
          totalFrames += r.frames;
          totalLapped += r.lapped;
          if (Math.floor(r.head / 2 ** 32) !== Math.floor(s.initialPosition / 2 ** 32)) crossed2pow32++;
        }),
        { numRuns: 300 },
      );
      expect(totalFrames).toBeGreaterThan(1000);
      expect(crossed2pow32).toBeGreaterThan(0);
      if (mode === 'overwrite') expect(totalLapped).toBeGreaterThan(0);
    });
  }

  it('long runs wrap the ring many times', () => {
    for (const mode of ['overwrite', 'backpressure'] as const) {
      const ops: Op[] = [];
      for (let i = 0; i < 20_000; i++) {
        ops.push({ kind: 'write', size: (i * 37) % 257, zeroCopy: i % 3 === 0 });
        if (i % 5 === 0) ops.push({ kind: 'read', reader: i % 4, count: 3 });
        if (i % 7 === 0) ops.push({ kind: 'release' });
        if (i % 11 === 0) ops.push({ kind: 'read', reader: 0, count: 1 });
      }
      const r = runScenario(mode, 1024, 256, 2 ** 32 - 100_000, ops);
      expect(r.head).toBeGreaterThan(2 ** 32);
      expect(r.frames).toBeGreaterThan(mode === 'overwrite' ? 19_000 : 1000);
    }
  });
});

describe('ring unit behaviour', () => {
  it('validates createRing arguments', () => {
    expect(() => createRing(1000)).toThrow(/power of two/);
    expect(() => createRing(512)).toThrow(/power of two/);
    expect(() => createRing(2 ** 31)).toThrow(/power of two/);
    expect(() => createRing(1024, { maxFrameBytes: 1024 })).toThrow(/maxFrameBytes/);
    expect(() => createRing(1024, { initialPosition: 12 })).toThrow(/initialPosition/);
    const sab = createRing(1 << 20);
    expect(new RingWriter(sab, { mode: 'overwrite' }).maxFrameBytes).toBe(1 << 18);
    expect(new RingReader(createRing(1 << 30 >>> 6)).maxFrameBytes).toBe(1 << 22);
  });

  it('rejects frames above maxFrameBytes with RecordTooLargeError and keeps going', () => {
    const sab = createRing(1024, { maxFrameBytes: 100 });
    const w = new RingWriter(sab, { mode: 'overwrite' });
    expect(() => w.write(new Uint8Array(101))).toThrow(RecordTooLargeError);
    expect(() => w.reserve(101)).toThrow(RecordTooLargeError);
    expect(w.write(new Uint8Array(100))).toBe(0);
    const r = new RingReader(sab);
    expect(r.next()?.length).toBe(100);
  });

  it('asserts reserve/commit misuse and writes after close', () => {
    const w = new RingWriter(createRing(1024), { mode: 'overwrite' });
    expect(() => w.commit()).toThrow(/without reserve/);
    w.reserve(4);
    expect(() => w.reserve(4)).toThrow(/pending/);
    expect(() => w.write(new Uint8Array(1))).toThrow(/pending/);
    w.commit();
    w.close();
    expect(() => w.write(new Uint8Array(1))).toThrow(/after close/);
  });

  it('publishes counters up to 2^53 and the closed flag after draining', () => {
    const sab = createRing(4096, { initialPosition: 2 ** 32 - 32 });
    const w = new RingWriter(sab, { mode: 'backpressure' });
    const r = new RingReader(sab, { from: 'head' });
    w.setCounter(RingCounter.hw, 2 ** 53 - 1);
    w.setCounter(RingCounter.base, -1);
    w.setCounter(RingCounter.leo, 2 ** 40 + 3);
    expect(r.counter(RingCounter.hw)).toBe(2 ** 53 - 1);
    expect(r.counter(RingCounter.base)).toBe(-1);
    expect(r.counter(RingCounter.leo)).toBe(2 ** 40 + 3);
    expect(r.counter(RingCounter.read)).toBe(0);
    expect(() => w.setCounter(4, 1)).toThrow();
    expect(() => w.setCounter(0, 2 ** 53)).toThrow();
    expect(w.write(new Uint8Array([1, 2, 3]))).toBe(2 ** 32 - 32);
    expect(w.write(new Uint8Array([4]))).toBe(2 ** 32 - 16);
    w.close();
    expect(r.closed).toBe(false);
    expect(r.waitForData(0)).toBe(true);
    expect([...r.next()!]).toEqual([1, 2, 3]);
    expect([...r.next()!]).toEqual([4]);
    expect(r.next()).toBeNull();
    expect(r.closed).toBe(true);
    expect(r.head).toBe(2 ** 32);
    expect(r.waitForData(1000)).toBe(true); // closed: returns at once
  });

  it('waits for data synchronously and asynchronously', async () => {
    const sab = createRing(1024);
    const w = new RingWriter(sab, { mode: 'overwrite' });
    const r = new RingReader(sab);
    expect(r.waitForData(0)).toBe(false);
    expect(await r.waitForDataAsync(0)).toBe(false);
    const pending = r.waitForDataAsync(60_000);
    setImmediate(() => w.write(new Uint8Array([9])));
    expect(await pending).toBe(true);
    expect(r.waitForData(0)).toBe(true);
    expect([...r.next()!]).toEqual([9]);
    expect(await r.waitForDataAsync(5)).toBe(false); // times out
    const afterClose = r.waitForDataAsync(60_000);
    setImmediate(() => w.close());
    expect(await afterClose).toBe(true);
    expect(r.closed).toBe(true);
  });

  it('a backpressure writer waits for room until the consumer releases', async () => {
    const sab = createRing(1024, { maxFrameBytes: 200 });
    const w = new RingWriter(sab, { mode: 'backpressure' });
    const r = new RingReader(sab);
    let written = 0;
    while (w.write(new Uint8Array(200)) >= 0) written++;
    expect(written).toBe(4); // 4 × 208 + 8 <= 1024; a fifth frame would need 1048
    expect(w.fits(200)).toBe(false);
    expect(w.fits(176)).toBe(true); // 832 + 184 + 8 = 1024: exactly fits
    expect(w.fits(177)).toBe(false);
    expect(w.waitForSpace(200, 0)).toBe(false);
    expect(await w.waitForSpaceAsync(200, 5)).toBe(false);
    r.next();
    r.next(); // the next 200-byte frame needs padding to the end (192) + 208 + 8: two frames' room
    expect(w.fits(200)).toBe(false); // read but not released
    const pending = w.waitForSpaceAsync(200, 20_000);
    setImmediate(() => r.release());
    expect(await pending).toBe(true);
    expect(w.waitForSpace(200, 0)).toBe(true);
    expect(w.write(new Uint8Array(200))).toBeGreaterThan(0);
    expect(() => w.waitForSpace(1, -1)).toThrow(/timeout/);
    expect(new RingWriter(createRing(1024), { mode: 'overwrite' }).fits(256)).toBe(true);
  });

  it('readers start at oldest, head or a position; seek is checked', () => {
    const sab = createRing(1024, { initialPosition: 2 ** 32 - 16 });
    const w = new RingWriter(sab, { mode: 'overwrite' });
    const p0 = w.write(new Uint8Array([1]));
    const p1 = w.write(new Uint8Array([2]));
    expect(p1).toBe(2 ** 32);
    expect(new RingReader(sab).next()?.[0]).toBe(1);
    expect(new RingReader(sab, { from: 'head' }).next()).toBeNull();
    expect(new RingReader(sab, { from: p1 }).next()?.[0]).toBe(2);
    const r = new RingReader(sab, { from: p0 });
    expect(() => r.seek(p1 + 64)).toThrow(/beyond the head/);
    expect(() => r.seek(p1 + 4)).toThrow(/multiple of 8/);
    expect(r.stillValid()).toBe(false); // nothing returned yet
  });

  it('a restarted writer continues at the published head', () => {
    const sab = createRing(1024, { initialPosition: 2 ** 32 - 512 });
    const r = new RingReader(sab);
    let w = new RingWriter(sab, { mode: 'backpressure' });
    const seen: number[] = [];
    for (let i = 0; i < 200; i++) {
      if (i % 50 === 0) w = new RingWriter(sab, { mode: 'backpressure' });
      while (w.write(new Uint8Array([i, i, i])) < 0) {
        for (let f = r.next(); f !== null; f = r.next()) seen.push(f[0]!);
        r.release();
      }
    }
    for (let f = r.next(); f !== null; f = r.next()) seen.push(f[0]!);
    expect(seen).toEqual([...Array(200).keys()]);
    expect(() => new RingWriter(sab, { mode: 'overwrite' })).toThrow(/other mode/);
  });
});
