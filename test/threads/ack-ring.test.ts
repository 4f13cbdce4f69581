/**
 * The produce-ack ring (src/threads/ack-ring.ts) on its own: entries arrive in order exactly once
 * across many wraps, a full ring refuses instead of overwriting, a sleeping reader is woken by the
 * writer's wake() (Atomics.waitAsync within one thread), and the doorbell word is taken by the
 * worker side, which sleeps on it and is woken by main's ring. No timing is asserted.
 */
import { describe, it, expect } from 'vitest';
import { ACK_RING, AckRingReader, AckRingWriter, createAckRing, ringDoorbell } from '../../src/threads/ack-ring.js';

interface Got { reqId: number; base: number; last: number }

function sinkOf(got: Got[], waiting = () => true) {
  return { ack: (reqId: number, base: number, last: number) => void got.push({ reqId, base, last }), waiting };
}

describe('ack ring', () => {
  it('delivers every entry once, in order, across many wraps of the ring', () => {
    const sab = createAckRing();
    const w = new AckRingWriter(sab);
    const got: Got[] = [];
    const r = new AckRingReader(sab, sinkOf(got, () => false));
    const total = ACK_RING.capacity * 5 + 17;
    let sent = 0;
    while (sent < total) {
      const burst = Math.min(total - sent, 1 + ((sent * 7919) % ACK_RING.capacity));
      for (let i = 0; i < burst; i++, sent++) expect(w.push(0xffff_fff0 + sent, sent * 1000, sent * 1000 + 9)).toBe(true);
      r.drain();
    }
    expect(got).toHaveLength(total);
    got.forEach((g, i) => expect(g).toEqual({ reqId: (0xffff_fff0 + i) >>> 0, base: i * 1000, last: i * 1000 + 9 }));
  });

  it('refuses a push when the reader has not made room, and loses nothing', () => {
    const sab = createAckRing();
    const w = new AckRingWriter(sab);
    const got: Got[] = [];
    const r = new AckRingReader(sab, sinkOf(got, () => false));
    for (let i = 0; i < ACK_RING.capacity; i++) expect(w.push(i, i, i)).toBe(true);
    expect(w.push(99_999, 1, 1)).toBe(false);
    expect(r.drain()).toBe(ACK_RING.capacity);
    expect(w.push(ACK_RING.capacity, 5, 6)).toBe(true);
    r.drain();
    expect(got.map((g) => g.reqId)).toEqual(Array.from({ length: ACK_RING.capacity + 1 }, (_, i) => i));
  });

  it('wakes a waiting reader once acks are published, and keeps waiting only while acks are expected', async () => {
    const sab = createAckRing();
    const w = new AckRingWriter(sab);
    const got: Got[] = [];
    let expected = 3;
    let arrived: () => void = () => {};
    const all = new Promise<void>((resolve) => (arrived = resolve));
    const r = new AckRingReader(sab, {
      ack: (reqId, base, last) => {
        got.push({ reqId, base, last });
        if (--expected === 0) arrived();
      },
      waiting: () => expected > 0,
    });
    r.expect(); // sleeps: nothing published yet
    w.push(1, 10, 10);
    w.wake();
    await new Promise((resolve) => setImmediate(resolve));
    w.push(2, 11, 11);
    w.push(3, 12, 14);
    w.wake();
    await all;
    expect(got.map((g) => g.reqId)).toEqual([1, 2, 3]);
    expect(got[2]).toEqual({ reqId: 3, base: 12, last: 14 });
    r.close();
  });

  it('the worker clears the doorbell word before it drains', () => {
    const sab = createAckRing();
    const bell = new Int32Array(sab, 0, 1);
    expect(ringDoorbell(bell)).toBe(true); // main: ring once
    expect(ringDoorbell(bell)).toBe(false); // main: the worker has not drained yet, skip
    new AckRingWriter(sab).takeDoorbell();
    expect(ringDoorbell(bell)).toBe(true); // main: ring again
  });

  it('a listening worker is woken by a ring, and answers at once a ring it missed', async () => {
    const sab = createAckRing();
    const bell = new Int32Array(sab, 0, 1);
    const w = new AckRingWriter(sab);
    let rings = 0;
    let rung: () => void = () => {};
    const heard = () => new Promise<void>((resolve) => (rung = resolve));
    const onRing = () => {
      rings++;
      rung();
    };
    let next = heard();
    w.listen(onRing); // sleeps: nothing rung yet
    w.listen(onRing); // one wait at a time: no second listener
    expect(rings).toBe(0);
    ringDoorbell(bell);
    await next;
    expect(rings).toBe(1);
    // Rung while the worker drained (before it listened again): heard at once, synchronously.
    w.takeDoorbell();
    ringDoorbell(bell);
    next = heard();
    w.listen(onRing);
    expect(rings).toBe(2);
    await next;
    // Taken, then listening again: the next ring wakes it.
    w.takeDoorbell();
    next = heard();
    w.listen(onRing);
    ringDoorbell(bell);
    await next;
    expect(rings).toBe(3);
  });
});
