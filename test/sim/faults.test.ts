/**
 * The simulator's fault model, one kind at a time on a small SimHost cluster: one-way partitions
 * (A→B dropped, B→A delivered), pauses longer than the SPU timeout (the SC declares the SPU
 * offline; nothing runs meanwhile; a burst on resume), clock skew (each node's ctx.now() offset
 * and drift, timers at the node's rate), and power loss per fsync policy (unsynced writes lost or
 * torn, durable ones kept).
 */
import { describe, it, expect } from 'vitest';
import { SimHost } from '../../src/sim/sim-host.js';
import { NetworkFaults } from '../../src/sim/fault-model.js';
import { NodeFaults } from '../../src/sim/node-faults.js';
import { WriteJournal } from '../../src/sim/power-loss.js';
import { Prng } from '../../src/sim/prng.js';
import { BEHAVIORS } from '../../actors/behaviors.js';
import { encodeBatch, type PartitionLog } from '../../src/storage/index.js';
import type { Actor, Context, Message } from '../../src/runtime/actor.js';

const quiet = { delayChance: 0, maxDelayMs: 1, duplicateChance: 0, reorderChance: 0, lossChance: 0 };
const SPU_TIMEOUT = 1_000;

function cluster(seed: number, net: NetworkFaults) {
  const sim = new SimHost({ seed, behaviors: BEHAVIORS, network: net.model });
  sim.spawn({ id: 'sc', behavior: 'sc', args: { spuIds: [1, 2], heartbeatMs: 100, spuTimeoutMs: SPU_TIMEOUT }, spuId: 0 });
  for (const id of [1, 2]) sim.spawn({ id: `spu-${id}`, behavior: 'spu', args: { spuId: id, heartbeatMs: 100 }, spuId: id });
  const replies: Message[] = [];
  sim.registerClient('client:t', (m) => replies.push(m));
  let req = 0;
  const status = (spu: number): string => {
    const reqId = ++req;
    sim.inject('client:t', 'sc', { type: 'AdminRequest', reqId, replyTo: 'client:t', op: 'listSpus' } as Message);
    sim.runFor(50);
    const r = replies.find((m) => (m as { reqId?: number }).reqId === reqId) as { result: { id: number; status: string }[] };
    return r.result.find((s) => s.id === spu)!.status;
  };
  return { sim, status };
}

describe('one-way partitions', () => {
  it('drop A→B and deliver B→A; the SC loses an SPU that cannot reach it', () => {
    const net = new NetworkFaults(quiet, new NodeFaults());
    const heal = net.cut(1, [0], true);
    const p = new Prng(1);
    expect(net.model('spu-1', 'sc', { type: 'X' }, p, 0)).toEqual({ drop: true });
    expect(net.model('replica:t:0@1', 'sc', { type: 'X' }, p, 0)).toEqual({ drop: true });
    expect(net.model('sc', 'spu-1', { type: 'X' }, p, 0)).toEqual({});
    expect(net.model('spu-1', 'spu-2', { type: 'X' }, p, 0)).toEqual({});
    heal();
    expect(net.model('spu-1', 'sc', { type: 'X' }, p, 0)).toEqual({});

    const net2 = new NetworkFaults(quiet, new NodeFaults());
    const { sim, status } = cluster(3, net2);
    const received: string[] = [];
    sim.nodes.observer = { received: (to, m) => void (to === 'spu-1' && received.push(m.type)) };
    sim.runFor(500);
    expect(status(1)).toBe('online');
    const healCut = net2.cut(1, [0], true);
    sim.runFor(SPU_TIMEOUT * 2);
    expect(status(1)).toBe('offline'); // its heartbeats never arrive
    received.length = 0;
    sim.runFor(500);
    expect(received.length).toBeGreaterThan(0); // …yet it still hears (its own timers, the SC's messages)
    expect(net2.counts.cutOff).toBeGreaterThan(5);
    healCut();
    sim.runFor(500);
    expect(status(1)).toBe('online');
  });
});

describe('pauses', () => {
  it('stop an SPU for longer than the SPU timeout: offline meanwhile, nothing runs, a burst on resume', () => {
    const { sim, status } = cluster(4, new NetworkFaults(quiet, new NodeFaults()));
    const seen: { t: number; type: string }[] = [];
    const sent: number[] = [];
    sim.nodes.observer = {
      received: (to, m, t) => void (to === 'spu-1' && seen.push({ t, type: m.type })),
      sent: (from, _to, _m, t) => void (from === 'spu-1' && sent.push(t)),
    };
    sim.runFor(500);
    sim.nodes.pause(1);
    const pausedAt = sim.now();
    sim.runFor(SPU_TIMEOUT * 3);
    expect(status(1)).toBe('offline');
    expect(seen.filter((s) => s.t > pausedAt)).toEqual([]);
    expect(sent.filter((t) => t > pausedAt)).toEqual([]);
    expect(sim.nodes.held).toBeGreaterThan(0);
    const resumedAt = sim.now();
    sim.nodes.resume(1);
    sim.runFor(1);
    const burst = seen.filter((s) => s.t === resumedAt);
    expect(burst.length).toBeGreaterThan(0);
    expect(burst.map((s) => s.type)).toContain('Tick');
    sim.runFor(500);
    expect(status(1)).toBe('online');
  });

  it('a crash ends a pause and drops what it held', () => {
    const { sim } = cluster(5, new NetworkFaults(quiet, new NodeFaults()));
    sim.runFor(300);
    sim.nodes.pause(2);
    sim.runFor(300);
    sim.crashNow(2);
    expect(sim.nodes.isPaused(2)).toBe(false);
    sim.restartNow(2);
    sim.runFor(500);
    expect(sim.has('spu-2')).toBe(true);
  });
});

describe('clock skew', () => {
  it("offsets and drifts a node's ctx.now() from the moment it is set, and runs its timers at its rate", () => {
    const log: { node: string; now: number; t: number }[] = [];
    const probe = (_a: unknown, id: string): Actor => ({
      onStart: (ctx: Context) => void ctx.schedule(1_100, { type: 'T' }),
      receive: (_m: Message, ctx: Context) => {
        log.push({ node: id, now: ctx.now(), t: sim.now() });
        ctx.schedule(1_100, { type: 'T' });
      },
    });
    const nodes = new NodeFaults();
    nodes.setClock(1, { offsetMs: 5_000, drift: 0.1 });
    const sim = new SimHost({ seed: 1, behaviors: { probe }, network: Object.assign(() => ({}), { nodeFaults: nodes }) });
    sim.spawn({ id: 'spu-1', behavior: 'probe', args: {}, spuId: 1 });
    sim.spawn({ id: 'spu-2', behavior: 'probe', args: {}, spuId: 2 });
    sim.runFor(3_100);
    const skewed = log.filter((l) => l.node === 'spu-1');
    const plain = log.filter((l) => l.node === 'spu-2');
    expect(skewed.map((l) => l.t)).toEqual([1_000, 2_000, 3_000]); // 1,100 of its ms = 1,000 true ms
    expect(skewed.map((l) => l.now)).toEqual([6_100, 7_200, 8_300]); // 5 s ahead, 10 % fast
    expect(plain.map((l) => [l.t, l.now])).toEqual([[1_100, 1_100], [2_200, 2_200]]);
    expect(() => nodes.setClock(2, { offsetMs: 0, drift: -1 })).toThrow(RangeError);
  });
});

describe('power loss', () => {
  /** A replica-like actor on SPU 1 that appends one batch per 'W' message to its log. */
  function host(fsync: 'always' | 'never', segmentBytes = 1 << 20) {
    const nodes = new NodeFaults();
    const journal = new WriteJournal(() => nodes.trueNow(), { writebackMs: 1_000, tornChance: 0.5 });
    nodes.watcher = journal;
    let log!: PartitionLog;
    const writer = (): Actor => ({
      onStart: (ctx: Context) => void (log = ctx.storage.openLog(1, 't', 0, { fsync, segmentBytes })),
      receive: () => void log.append(encodeBatch([{ value: new Uint8Array(100) }, { value: new Uint8Array(100) }])),
    });
    const sim = new SimHost({ seed: 2, behaviors: { writer }, network: Object.assign(() => ({}), { nodeFaults: nodes }) });
    sim.spawn({ id: 'replica:t:0@1', behavior: 'writer', args: {}, spuId: 1 });
    const write = (n: number, gapMs: number) => {
      for (let i = 0; i < n; i++) {
        sim.inject('client:w', 'replica:t:0@1', { type: 'W' });
        sim.runFor(gapMs);
      }
    };
    return { sim, journal, log: () => log, write };
  }

  it("loses nothing appended under fsync 'always'", () => {
    const h = host('always');
    h.write(10, 100);
    h.sim.crashNow(1);
    expect(h.journal.powerLoss(1, new Prng(1))).toEqual([]);
    expect(h.log().leo).toBe(20);
  });

  it("under fsync 'never' keeps what was written back (older than writebackMs) and cuts the rest at a batch boundary", () => {
    const cuts = new Set<number>();
    let torn = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const h = host('never');
      h.write(10, 200); // batches end at 2, 4, …, 20; written at ~t, t+200, …
      h.sim.crashNow(1);
      const losses = h.journal.powerLoss(1, new Prng(seed));
      const leo = h.log().leo;
      // Writes older than 1 s are durable: the first 5 of 10 (and so offsets below 10) stay.
      expect(leo).toBeGreaterThanOrEqual(10);
      expect(leo % 2).toBe(0);
      expect(h.log().hw).toBeLessThanOrEqual(leo);
      if (losses.length > 0) {
        expect(losses[0]).toMatchObject({ topic: 't', partition: 0, from: 20, to: leo });
        if (losses[0]!.torn) torn++;
      }
      cuts.add(leo);
    }
    expect(Math.min(...cuts)).toBe(10);
    expect(cuts.size).toBeGreaterThan(3);
    expect(torn).toBeGreaterThan(0);
  });

  it('keeps rolled (sealed) segments: they were fsynced when rolled', () => {
    const h = host('never', 500); // two ~300-byte batches per segment at most
    h.write(10, 10); // all within the writeback delay
    const activeBase = h.log().segments().at(-1)!.baseOffset;
    h.sim.crashNow(1);
    h.journal.powerLoss(1, new Prng(7));
    expect(h.log().leo).toBeGreaterThanOrEqual(activeBase);
    expect(activeBase).toBeGreaterThan(0);
  });
});
