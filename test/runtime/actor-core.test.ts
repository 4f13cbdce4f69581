/**
 * ActorCore: run to completion, fair draining, bounded mailboxes, supervision (restart with
 * backoff from the factory, then escalate past the intensity limit), timers — on a manual host
 * whose clock the test moves.
 */
import { describe, it, expect } from 'vitest';
import type { Actor, ActorLogger, Message } from '../../src/runtime/actor.js';
import { ActorCore, type CoreHost } from '../../src/runtime/actor-core.js';
import { StorageBudget } from '../../src/storage/index.js';

const nop: ActorLogger = { debug() {}, info() {}, warn() {}, error() {} };

function manualHost(core: () => ActorCore) {
  const state = { now: 0, escalated: [] as string[], crashed: [] as string[] };
  const host: CoreHost = {
    now: () => state.now,
    random: () => 0.5,
    route: (_from, to, msg) => void core().deliver(to, msg),
    spawn: (spec) => core().spawnLocal(spec),
    stop: (id) => core().stopLocal(id),
    storage: {
      openLog: () => { throw new Error('no logs'); },
      removeLog: () => {},
      budget: () => new StorageBudget(),
      loadState: () => undefined,
      saveState: () => {},
    },
    logger: () => nop,
    wake: () => {},
    escalate: (id) => void state.escalated.push(id),
    crashed: (id) => void state.crashed.push(id),
  };
  return { host, state };
}

describe('ActorCore', () => {
  it('drains fairly: a busy actor cannot starve another', () => {
    const order: string[] = [];
    const behaviors = { rec: (args: unknown): Actor => ({ receive: () => void order.push(args as string) }) };
    let core!: ActorCore;
    const { host } = manualHost(() => core);
    core = new ActorCore(host, behaviors, { perActorBudget: 2 });
    core.spawnLocal({ id: 'busy', behavior: 'rec', args: 'busy', spuId: 1 });
    core.spawnLocal({ id: 'quiet', behavior: 'rec', args: 'quiet', spuId: 1 });
    for (let i = 0; i < 10; i++) core.deliver('busy', { type: 'x' });
    core.deliver('quiet', { type: 'x' });
    core.runTurn();
    expect(order).toEqual(['busy', 'busy', 'quiet']);
    while (core.hasMail) core.runTurn();
    expect(order.filter((o) => o === 'busy')).toHaveLength(10);
  });

  it('bounds mailboxes: overflow is dropped and counted, never grown', () => {
    let core!: ActorCore;
    const { host } = manualHost(() => core);
    core = new ActorCore(host, { a: () => ({ receive() {} }) }, { mailboxCapacity: 3 });
    core.spawnLocal({ id: 'a', behavior: 'a', args: null, spuId: 1 });
    const results = Array.from({ length: 5 }, () => core.deliver('a', { type: 'm' }));
    expect(results).toEqual([true, true, true, false, false]);
    expect(core.dropped).toBe(2);
  });

  it('restarts a crashing actor from its factory after backoff, then escalates', () => {
    let starts = 0;
    const behaviors = {
      crashy: (): Actor => {
        starts++;
        return { receive: (m: Message) => { if (m.type === 'boom') throw new Error('boom'); } };
      },
    };
    let core!: ActorCore;
    const { host, state } = manualHost(() => core);
    core = new ActorCore(host, behaviors, { restartPolicy: { maxRestarts: 2, periodMs: 10_000, backoffBaseMs: 100, backoffMaxMs: 1_000 } });
    core.spawnLocal({ id: 'c', behavior: 'crashy', args: null, spuId: 1 });
    expect(starts).toBe(1);
    core.deliver('c', { type: 'boom' });
    core.runTurn();
    expect(state.crashed).toEqual(['c']);
    state.now = 99;
    core.fireTimers();
    expect(starts).toBe(1); // backoff not over
    state.now = 100;
    core.fireTimers();
    expect(starts).toBe(2);
    core.deliver('c', { type: 'boom' });
    core.runTurn();
    state.now = 400; // second backoff is 200 ms
    core.fireTimers();
    expect(starts).toBe(3);
    core.deliver('c', { type: 'boom' });
    core.runTurn();
    expect(state.escalated).toEqual(['c']);
    expect(core.has('c')).toBe(false);
  });

  it('delivers scheduled messages when due, and not cancelled ones', () => {
    const got: string[] = [];
    const behaviors = {
      t: (): Actor => ({
        onStart(ctx) {
          ctx.schedule(50, { type: 'late' });
          const id = ctx.schedule(10, { type: 'cancelled' });
          ctx.cancel(id);
          ctx.schedule(20, { type: 'early' });
        },
        receive: (m) => void got.push(m.type),
      }),
    };
    let core!: ActorCore;
    const { host, state } = manualHost(() => core);
    core = new ActorCore(host, behaviors);
    core.spawnLocal({ id: 't', behavior: 't', args: null, spuId: 1 });
    state.now = 100;
    core.fireTimers();
    while (core.hasMail) core.runTurn();
    expect(got).toEqual(['early', 'late']);
  });
});
