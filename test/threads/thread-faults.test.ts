/**
 * ThreadFaults (src/threads/thread-faults.ts) on scripted workers: a fault's promise resolves only
 * once every worker it concerns acknowledged it (or exited); the main thread's cuts change at once;
 * a worker launched for a full SPU is told before anything else; killWorker waits for the exit;
 * the fill outlives workers and, with a home, the process (marker file).
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { LinkCuts } from '../../src/runtime/link-cuts.js';
import type { Envelope } from '../../src/threads/envelope.js';
import { ThreadFaults } from '../../src/threads/thread-faults.js';
import type { WorkerPool } from '../../src/threads/worker-pool.js';
import type { WorkerSlot } from '../../src/threads/worker-slot.js';
import { tempDir } from '../helpers.js';

class FakeWorker extends EventEmitter {
  readonly posted: Envelope[] = [];
  postMessage(env: Envelope): void {
    this.posted.push(env);
  }
}

function slot(index: number, spuId: number): WorkerSlot & { worker: FakeWorker } {
  return { index, spuId, worker: new FakeWorker(), exited: false, actors: new Set() } as unknown as WorkerSlot & { worker: FakeWorker };
}

function setup(home?: string) {
  const slots = [slot(1, 1), slot(2, 1), slot(3, 2)];
  const pool = {
    live: () => slots.filter((s) => !s.exited),
    ofSpu: (id: number) => slots.filter((s) => !s.exited && s.spuId === id),
  } as unknown as WorkerPool;
  const cuts = new LinkCuts();
  return { slots, cuts, faults: new ThreadFaults(pool, cuts, home, [1, 2]) };
}

const settled = async (p: Promise<unknown>) => {
  let done = false;
  void p.then(() => (done = true));
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  return done;
};
const ackOf = (env: Envelope | undefined) => (env && 'ack' in env ? env.ack! : -1);

describe('ThreadFaults', () => {
  it('fillStorage resolves only after every worker of the SPU acknowledged it', async () => {
    const { slots, faults } = setup();
    const p = faults.storage(1, 'fillStorage');
    expect(slots[0]!.worker.posted.at(-1)).toMatchObject({ k: 'fault', op: 'fillStorage', spuId: 1 });
    expect(slots[2]!.worker.posted).toEqual([]); // another SPU's worker is not concerned
    expect(await settled(p)).toBe(false);
    faults.onAck(ackOf(slots[0]!.worker.posted.at(-1)));
    expect(await settled(p)).toBe(false);
    slots[1]!.exited = true; // a worker that died holds nothing to change
    faults.onExit(slots[1]!);
    expect(await settled(p)).toBe(true);
  });

  it('disconnect cuts the main thread at once and resolves after every worker applied the cuts', async () => {
    const { slots, cuts, faults } = setup();
    const p = faults.disconnect(2, true);
    expect(cuts.spus).toEqual([2]);
    expect(await settled(p)).toBe(false);
    for (const s of slots) faults.onAck(ackOf(s.worker.posted.at(-1)));
    expect(await settled(p)).toBe(true);
  });

  it('a worker launched for a full SPU is told first; freeStorage undoes it', async () => {
    const { slots, faults } = setup();
    const p = faults.storage(2, 'fillStorage');
    faults.onAck(ackOf(slots[2]!.worker.posted.at(-1)));
    await p;
    const fresh = slot(4, 2);
    faults.prime(fresh);
    expect(fresh.worker.posted).toEqual([{ k: 'fault', op: 'fillStorage', spuId: 2 }]);
    const q = faults.storage(2, 'freeStorage');
    faults.onAck(ackOf(slots[2]!.worker.posted.at(-1)));
    await q;
    const later = slot(5, 2);
    faults.prime(later);
    expect(later.worker.posted).toEqual([]);
  });

  it('killWorker resolves once the worker exited', async () => {
    const { slots, faults } = setup();
    const p = faults.killWorker(slots[0]!);
    expect(slots[0]!.worker.posted.at(-1)).toMatchObject({ k: 'fault', op: 'crash' });
    expect(await settled(p)).toBe(false);
    slots[0]!.worker.emit('exit', 1);
    expect(await settled(p)).toBe(true);
  });

  it('with a home, the fill is a marker file that a new host reads back', async () => {
    const home = tempDir();
    try {
      const a = setup(home);
      const p = a.faults.storage(1, 'fillStorage');
      for (const s of a.slots) a.faults.onAck(ackOf(s.worker.posted.at(-1)));
      await p;
      expect(fs.existsSync(path.join(home, 'spu-1', 'storage-filled'))).toBe(true);
      const b = setup(home);
      const fresh = slot(9, 1);
      b.faults.prime(fresh);
      expect(fresh.worker.posted).toEqual([{ k: 'fault', op: 'fillStorage', spuId: 1 }]);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
