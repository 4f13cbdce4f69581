/**
 * The thread host's TailReader (src/threads/tail-reader.ts) over real tail rings, in one thread:
 * bounded by HW or LEO, never a lapped or overwritten frame, following a replaced ring, finishing a
 * grown ring before continuing in its successor (bounds from the newest ring), 'miss' for what the
 * ring cannot serve (or while a successor is still in flight) and 'closed' for a removed log.
 */
import { describe, it, expect } from 'vitest';
import { BatchBuilder, GrowingRingWriter, RingCounter, RingWriter, batchBaseOffset, createRing } from '../../src/storage/index.js';
import { RingTailReader, TailRings } from '../../src/threads/tail-reader.js';
import { replicaActorId } from '../../src/runtime/actor-ids.js';

const REPLICA = replicaActorId('t', 0, 1);

function batch(base: number, count: number, valueBytes = 10): Uint8Array {
  const b = new BatchBuilder();
  for (let i = 0; i < count; i++) b.add(null, new Uint8Array(valueBytes).fill(base + i), 0);
  return b.finish({ baseOffset: base });
}

function tail(ringBytes = 1 << 16): { rings: TailRings; w: RingWriter; sab: SharedArrayBuffer } {
  const rings = new TailRings();
  const sab = createRing(ringBytes);
  rings.set(REPLICA, sab);
  return { rings, w: new RingWriter(sab, { mode: 'overwrite' }), sab };
}

function publish(w: RingWriter | GrowingRingWriter, o: { base?: number; hw: number; leo: number }): void {
  w.setCounter(RingCounter.base, o.base ?? 0);
  w.setCounter(RingCounter.leo, o.leo);
  w.setCounter(RingCounter.hw, o.hw);
}

describe('RingTailReader', () => {
  it('misses without a ring, idles on an empty one', () => {
    expect(new RingTailReader(new TailRings(), REPLICA).read(0, 'hw')).toBe('miss');
    const { rings } = tail();
    expect(new RingTailReader(rings, REPLICA).read(0, 'hw')).toBe('idle');
  });

  it('returns whole batches (private copies) up to HW, or up to LEO for read_uncommitted', () => {
    const { rings, w } = tail();
    const b0 = batch(0, 3);
    w.write(b0);
    publish(w, { hw: 0, leo: 3 });
    const r = new RingTailReader(rings, REPLICA);
    expect(r.read(0, 'hw')).toBe('pending');
    const got = r.read(0, 'leo');
    expect(got).toEqual(b0);
    expect((got as Uint8Array).buffer).not.toBeInstanceOf(SharedArrayBuffer);
    publish(w, { hw: 3, leo: 3 });
    const committed = new RingTailReader(rings, REPLICA);
    expect(committed.read(1, 'hw')).toEqual(b0); // the batch holding offset 1
    expect(committed.read(3, 'hw')).toBe('idle');
    w.write(batch(3, 2));
    publish(w, { hw: 5, leo: 5 });
    expect(batchBaseOffset(committed.read(3, 'hw') as Uint8Array)).toBe(3);
  });

  it('misses offsets older than the ring (a restarted or wrapped ring)', () => {
    const { rings, w } = tail();
    w.write(batch(10, 5));
    publish(w, { base: 0, hw: 15, leo: 15 });
    const r = new RingTailReader(rings, REPLICA);
    expect(r.read(4, 'hw')).toBe('miss');
    // An offset that is committed but not in the ring at all (the ring is empty): fetch it too.
    const fresh = tail();
    publish(fresh.w, { hw: 7, leo: 7 });
    expect(new RingTailReader(fresh.rings, REPLICA).read(3, 'hw')).toBe('miss');
  });

  it('misses once lapped, then starts over from the oldest frame', () => {
    const { rings, w } = tail(4096);
    w.write(batch(0, 1, 100));
    publish(w, { hw: 1, leo: 1 });
    const r = new RingTailReader(rings, REPLICA);
    expect(batchBaseOffset(r.read(0, 'hw') as Uint8Array)).toBe(0);
    let next = 1;
    for (; next < 100; next++) w.write(batch(next, 1, 100)); // laps the reader many times over
    publish(w, { hw: next, leo: next });
    expect(r.read(1, 'hw')).toBe('miss'); // offset 1 was overwritten: fetch it
    const again = r.read(next - 1, 'hw'); // a fresh reader from the oldest intact frame
    expect(batchBaseOffset(again as Uint8Array)).toBe(next - 1);
  });

  it('follows a replaced ring and reports a closed one', () => {
    const { rings, w } = tail();
    w.write(batch(0, 2));
    publish(w, { hw: 2, leo: 2 });
    const r = new RingTailReader(rings, REPLICA);
    expect(r.read(2, 'hw')).toBe('idle');
    // A follower truncated its log: the worker announces a fresh ring and closes the old one.
    const sab2 = createRing(1 << 16);
    const w2 = new RingWriter(sab2, { mode: 'overwrite' });
    w.close();
    rings.set(REPLICA, sab2);
    w2.write(batch(2, 1));
    publish(w2, { hw: 3, leo: 3 });
    expect(batchBaseOffset(r.read(2, 'hw') as Uint8Array)).toBe(2);
    // The log was removed: the ring is closed.
    w2.close();
    expect(r.read(3, 'hw')).toBe('closed');
    // Its SPU was lost: no ring to read.
    rings.forgetSpu(1);
    expect(r.read(3, 'hw')).toBe('miss');
  });

  it('waits for data without blocking the thread', async () => {
    const { rings, w } = tail();
    publish(w, { hw: 0, leo: 0 });
    const r = new RingTailReader(rings, REPLICA);
    expect(r.read(0, 'hw')).toBe('idle');
    expect(await r.waitForData(10)).toBe(false);
    const woken = r.waitForData(5_000);
    setTimeout(() => {
      w.write(batch(0, 1));
      publish(w, { hw: 1, leo: 1 });
    }, 5);
    expect(await woken).toBe(true);
    expect(batchBaseOffset(r.read(0, 'hw') as Uint8Array)).toBe(0);
  });

  it('finishes a grown ring, then continues in its successor; bounds come from the newest ring', () => {
    const rings = new TailRings();
    const inFlight: SharedArrayBuffer[] = []; // announced by the worker, not yet delivered
    const w = new GrowingRingWriter({ initialBytes: 1024, maxBytes: 1 << 16, announce: (sab) => inFlight.push(sab) });
    const deliver = () => {
      for (const sab of inFlight.splice(0)) rings.set(REPLICA, sab);
    };
    deliver();
    const r = new RingTailReader(rings, REPLICA);
    let leo = 0;
    const append = (n: number) => {
      w.write(batch(leo, n, 60));
      leo += n;
    };
    append(2);
    publish(w, { hw: 0, leo });
    expect(r.read(0, 'hw')).toBe('pending');
    // Enough batches to outgrow the 1 KiB ring twice; HW still 0 in every ring written so far.
    const singles = 30;
    for (let i = 0; i < singles; i++) append(1);
    expect(inFlight.length).toBeGreaterThanOrEqual(2);
    publish(w, { hw: leo, leo }); // only the newest ring (not yet delivered) knows HW now
    deliver();
    // The reader is still on the first ring: it finishes it under the newest ring's HW, then follows.
    const seen: number[] = [];
    for (let next = 0; next < leo; ) {
      const got = r.read(next, 'hw');
      expect(got).toBeInstanceOf(Uint8Array);
      seen.push(batchBaseOffset(got as Uint8Array));
      next = seen[seen.length - 1]! + (seen.length === 1 ? 2 : 1);
    }
    expect(seen).toEqual([0, ...Array.from({ length: singles }, (_, i) => 2 + i)]);
    expect(r.read(leo, 'hw')).toBe('idle');
    // A successor still in flight: the drained grown ring cannot serve, so fetch meanwhile.
    const before = w.capacityBytes;
    let offset = leo - 1; // the newest batch of the delivered ring
    while (w.capacityBytes === before) {
      append(1);
      publish(w, { hw: leo, leo }); // the worker publishes as HW moves; a grown ring keeps its last
    }
    const drained = new RingTailReader(rings, REPLICA);
    let got = drained.read(offset, 'hw');
    expect(got).toBeInstanceOf(Uint8Array);
    while (got instanceof Uint8Array) {
      offset = batchBaseOffset(got) + 1;
      got = drained.read(offset, 'hw');
    }
    expect(got).toBe('miss');
    deliver();
    expect(drained.read(offset, 'hw')).toBeInstanceOf(Uint8Array);
  });

  it('a truncation (replace) is never continued: readers restart on the fresh ring', () => {
    const rings = new TailRings();
    const w = new GrowingRingWriter({ initialBytes: 1024, maxBytes: 1 << 16, announce: (sab) => rings.set(REPLICA, sab) });
    w.write(batch(0, 2));
    publish(w, { hw: 2, leo: 2 });
    const r = new RingTailReader(rings, REPLICA);
    expect(r.read(2, 'hw')).toBe('idle');
    w.replace();
    publish(w, { hw: 1, leo: 1 });
    expect(r.read(0, 'hw')).toBe('miss'); // the fresh ring is empty: fetch offset 0 from the log
    w.write(batch(1, 1));
    publish(w, { hw: 2, leo: 2 });
    expect(batchBaseOffset(r.read(1, 'hw') as Uint8Array)).toBe(1);
  });
});
