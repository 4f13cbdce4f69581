/**
 * The sim host: virtual time only moves through events, same seed ⇒ same trace, and the network
 * fault hook sees every message (a model that drops everything starves the cluster; a model that
 * duplicates and delays keeps results identical for idempotent reads).
 */
import { describe, it, expect } from 'vitest';
import { SimHost } from '../../src/sim/sim-host.js';
import { BEHAVIORS } from '../../actors/behaviors.js';
import type { Message } from '../../src/runtime/actor.js';

function boot(seed: number, network?: ConstructorParameters<typeof SimHost>[0]['network']) {
  const sim = new SimHost({ seed, behaviors: BEHAVIORS, ...(network ? { network } : {}) });
  sim.spawn({ id: 'sc', behavior: 'sc', args: { spuIds: [1, 2], heartbeatMs: 100, spuTimeoutMs: 1000 }, spuId: 0 });
  for (const id of [1, 2]) sim.spawn({ id: `spu-${id}`, behavior: 'spu', args: { spuId: id, heartbeatMs: 100 }, spuId: id });
  const replies: Message[] = [];
  sim.registerClient('client:t', (m) => replies.push(m));
  return { sim, replies };
}

describe('SimHost', () => {
  it('replays a seed exactly and advances only virtual time', () => {
    const a = boot(123);
    const b = boot(123);
    const wall = Date.now();
    a.sim.runFor(5_000);
    b.sim.runFor(5_000);
    expect(a.sim.now()).toBe(5_000);
    expect(Date.now() - wall).toBeLessThan(5_000);
    expect(a.sim.trace.hex()).toBe(b.sim.trace.hex());
    expect(a.sim.trace.events).toBeGreaterThan(100);
    const c = boot(124);
    c.sim.runFor(5_000);
    expect(c.sim.trace.hex()).not.toBe(a.sim.trace.hex());
  });

  it('routes every message through the fault model', () => {
    const seen = new Set<string>();
    const { sim, replies } = boot(1, (from, to, msg) => {
      seen.add(`${from}>${to}:${msg.type}`);
      return { drop: to === 'sc' };
    });
    sim.inject('client:t', 'sc', { type: 'AdminRequest', reqId: 1, replyTo: 'client:t', op: 'listSpus' } as Message);
    sim.runFor(2_000);
    expect(replies).toEqual([]); // the SC never heard anything
    expect(sim.dropped).toBeGreaterThan(10);
    expect([...seen]).toContain('spu-1>sc:SpuRegister');
  });

  it('delivers duplicates and delayed messages without changing admin answers', () => {
    const { sim, replies } = boot(2, (_f, _t, _m, prng) => ({ duplicate: prng.chance(0.3), extraDelayMs: prng.int(0, 20) }));
    sim.runFor(1_000);
    sim.inject('client:t', 'sc', { type: 'AdminRequest', reqId: 9, replyTo: 'client:t', op: 'listSpus' } as Message);
    sim.runFor(1_000);
    const answer = replies.find((m) => (m as { reqId?: number }).reqId === 9) as { result: { id: number; status: string }[] };
    expect(answer.result.map((s) => [s.id, s.status])).toEqual([[1, 'online'], [2, 'online']]);
  });
});
