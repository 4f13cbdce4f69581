/**
 * Bounded mailbox (grows on demand, never past capacity) and the timer queue (pops by (due, seq)), checked
 * against simple models with fast-check.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Mailbox } from '../../src/runtime/mailbox.js';
import { TimerQueue } from '../../src/runtime/timer-queue.js';

describe('Mailbox', () => {
  it('behaves like a bounded FIFO model', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.array(fc.oneof(fc.integer(), fc.integer(), fc.constant(null)), { maxLength: 300 }), (cap, ops) => {
        const mb = new Mailbox<number>(cap);
        const model: number[] = [];
        for (const op of ops) {
          if (op === null) expect(mb.shift()).toBe(model.shift());
          else {
            const ok = mb.push(op);
            expect(ok).toBe(model.length < cap);
            if (ok) model.push(op);
          }
          expect(mb.size).toBe(model.length);
          expect(mb.size).toBeLessThanOrEqual(cap);
        }
      }),
      { seed: 1, numRuns: 200 },
    );
  });
});

describe('TimerQueue', () => {
  it('pops in (due, insertion) order and skips cancelled entries', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.boolean()), { maxLength: 100 }), (entries) => {
        const q = new TimerQueue<number>();
        const model: { due: number; seq: number }[] = [];
        entries.forEach(([due, cancel], seq) => {
          const id = q.add(due, seq);
          if (cancel) q.cancel(id);
          else model.push({ due, seq });
        });
        model.sort((a, b) => a.due - b.due || a.seq - b.seq);
        const out: number[] = [];
        for (let e = q.pop(); e; e = q.pop()) out.push(e.payload);
        expect(out).toEqual(model.map((m) => m.seq));
      }),
      { seed: 2, numRuns: 200 },
    );
  });

  it('popDue only returns entries that are due', () => {
    const q = new TimerQueue<string>();
    q.add(10, 'a');
    q.add(5, 'b');
    expect(q.popDue(4)).toBeUndefined();
    expect(q.popDue(5)?.payload).toBe('b');
    expect(q.popDue(9)).toBeUndefined();
    expect(q.popDue(10)?.payload).toBe('a');
  });
});
