/**
 * The group coordinator through the fake context: the member-id round trip, parked joins and the
 * initial delay, generations and the leader's view, sync (parked followers, empty assignments),
 * heartbeat errors, leave and session expiry rebalances, rebalance and sync deadlines, protocol
 * votes, and determinism of minted ids.
 */
import { describe, it, expect } from 'vitest';
import { EMPTY_CONSUMER_ASSIGNMENT } from '../../actors/groups/group-state.js';
import { GroupHarness, enc } from './harness.js';

const G = 'g1';

/** Three members joined and synced into generation 1; returns their ids (leader first). */
function stableGroupOfThree(h: GroupHarness): { ids: string[]; gen: number } {
  const a = h.newMember(G);
  const b = h.newMember(G);
  const c = h.newMember(G);
  h.advance(100);
  expect(h.joinReply(a.req)).toBeUndefined(); // parked: the initial delay is extended once (b and c arrived)
  h.advance(100);
  const replies = [a, b, c].map((m) => h.joinReply(m.req)!);
  expect(replies.map((r) => r.errorCode)).toEqual([0, 0, 0]);
  const gen = replies[0]!.generationId;
  const syncs = [b, c].map((m) => h.sync(G, m.id, gen));
  expect(syncs.map((s) => h.syncReply(s))).toEqual([undefined, undefined]);
  h.sync(G, a.id, gen, [a, b, c].map((m) => ({ memberId: m.id, assignment: enc(`asg-${m.id}`) })));
  expect(syncs.map((s) => h.syncReply(s)!.errorCode)).toEqual([0, 0]);
  return { ids: [a.id, b.id, c.id], gen };
}

describe('group coordinator: join', () => {
  it('answers a new v4+ member with MEMBER_ID_REQUIRED and a minted id, then parks its join until the initial delay ends', () => {
    const h = new GroupHarness();
    const first = h.joinReply(h.join(G, '', { clientId: 'app' }))!;
    expect(first.errorCode).toBe(79);
    expect(first.memberId).toMatch(/^app-[0-9a-f-]{36}$/);
    const req = h.join(G, first.memberId);
    h.advance(99);
    expect(h.joinReply(req)).toBeUndefined();
    h.advance(1);
    const r = h.joinReply(req)!;
    expect(r).toMatchObject({ errorCode: 0, generationId: 1, protocolName: 'range', protocolType: 'consumer', leader: first.memberId, memberId: first.memberId });
    expect(r.members.map((m) => [m.memberId, new TextDecoder().decode(m.metadata)])).toEqual([[first.memberId, `meta-${first.memberId}`]]);
  });

  it('lets a pre-v4 member (no round trip) join at once with a minted id', () => {
    const h = new GroupHarness();
    const req = h.join(G, '', { requireKnownMemberId: false });
    h.advance(100);
    expect(h.joinReply(req)).toMatchObject({ errorCode: 0, generationId: 1 });
  });

  it('puts members that join during the initial delay into one generation; only the leader gets the member list', () => {
    const h = new GroupHarness();
    const a = h.newMember(G);
    h.advance(60);
    const b = h.newMember(G);
    h.advance(60); // the delay is extended once because b arrived
    expect(h.joinReply(a.req)).toBeUndefined();
    h.advance(80);
    const [ra, rb] = [h.joinReply(a.req)!, h.joinReply(b.req)!];
    expect(ra.generationId).toBe(1);
    expect(rb.generationId).toBe(1);
    expect(ra.leader).toBe(a.id);
    expect(ra.members.map((m) => m.memberId)).toEqual([a.id, b.id]);
    expect(rb.members).toEqual([]);
  });

  it('refuses out-of-range session timeouts, unknown member ids and protocols the group does not share', () => {
    const h = new GroupHarness({ minSessionTimeoutMs: 500 });
    expect(h.joinReply(h.join(G, '', { sessionTimeoutMs: 10 }))!.errorCode).toBe(26);
    expect(h.joinReply(h.join(G, 'nobody'))!.errorCode).toBe(25);
    const a = h.newMember(G);
    h.advance(100);
    expect(h.joinReply(a.req)!.errorCode).toBe(0);
    expect(h.joinReply(h.join(G, '', { protocols: [{ name: 'RoundRobinAssigner', metadata: enc('x') }] }))!.errorCode).toBe(23);
    expect(h.joinReply(h.join(G, '', { protocolType: 'connect' }))!.errorCode).toBe(23);
  });

  it('picks the protocol all members support by vote', () => {
    const h = new GroupHarness();
    const p = (...names: string[]) => ({ protocols: names.map((name) => ({ name, metadata: enc(name) })) });
    const a = h.newMember(G, p('range', 'roundrobin'));
    const b = h.newMember(G, p('roundrobin', 'range'));
    const c = h.newMember(G, p('roundrobin', 'sticky', 'range'));
    h.advance(200);
    for (const m of [a, b, c]) expect(h.joinReply(m.req)!.protocolName).toBe('roundrobin');
    expect(h.joinReply(a.req)!.members.map((m) => new TextDecoder().decode(m.metadata))).toEqual(['roundrobin', 'roundrobin', 'roundrobin']);
  });

  it('answers a follower that rejoins a stable group with unchanged metadata without a rebalance', () => {
    const h = new GroupHarness();
    const { ids, gen } = stableGroupOfThree(h);
    const r = h.joinReply(h.join(G, ids[1]!))!;
    expect(r).toMatchObject({ errorCode: 0, generationId: gen, members: [] });
    expect(h.heartbeat(G, ids[0]!, gen)).toBe(0);
  });

  it('mints the same member ids for the same seed (deterministic)', () => {
    const ids = [1, 2].map(() => {
      const h = new GroupHarness();
      return [h.newMember(G).id, h.newMember(G).id];
    });
    expect(ids[0]).toEqual(ids[1]);
    expect(new Set(ids[0]).size).toBe(2);
  });
});

describe('group coordinator: sync and heartbeat', () => {
  it('parks followers until the leader syncs, then gives each its assignment (an empty consumer assignment when left out)', () => {
    const h = new GroupHarness();
    const a = h.newMember(G);
    const b = h.newMember(G);
    h.advance(200);
    const gen = h.joinReply(a.req)!.generationId;
    const sb = h.sync(G, b.id, gen);
    expect(h.syncReply(sb)).toBeUndefined();
    const sa = h.sync(G, a.id, gen, [{ memberId: a.id, assignment: enc('mine') }]);
    expect(new TextDecoder().decode(h.syncReply(sa)!.assignment)).toBe('mine');
    expect(h.syncReply(sb)).toMatchObject({ errorCode: 0, protocolName: 'range', assignment: EMPTY_CONSUMER_ASSIGNMENT });
    // Stable: a late sync gets the current assignment at once.
    expect(h.syncReply(h.sync(G, b.id, gen))!.errorCode).toBe(0);
    expect(h.describe(G).groups[0]).toMatchObject({ state: 'Stable', protocol: 'range', generationId: gen, leader: a.id });
  });

  it('answers heartbeats: 0 when stable, 25 unknown member, 22 wrong generation, 27 during a rebalance', () => {
    const h = new GroupHarness();
    const { ids, gen } = stableGroupOfThree(h);
    expect(h.heartbeat(G, ids[1]!, gen)).toBe(0);
    expect(h.heartbeat(G, 'stranger', gen)).toBe(25);
    expect(h.heartbeat('other-group', ids[1]!, gen)).toBe(25);
    expect(h.heartbeat(G, ids[1]!, gen + 7)).toBe(22);
    expect(h.syncReply(h.sync(G, ids[1]!, gen + 7))!.errorCode).toBe(22);
    h.leave(G, ids[2]!);
    expect(h.heartbeat(G, ids[1]!, gen)).toBe(27);
    expect(h.syncReply(h.sync(G, ids[1]!, gen))!.errorCode).toBe(27);
  });
});

describe('group coordinator: rebalances', () => {
  it('rebalances when a member leaves; the others rejoin into the next generation at once', () => {
    const h = new GroupHarness();
    const { ids, gen } = stableGroupOfThree(h);
    expect(h.leave(G, ids[0]!).members[0]!.errorCode).toBe(0);
    expect(h.heartbeat(G, ids[1]!, gen)).toBe(27);
    const j1 = h.join(G, ids[1]!);
    expect(h.joinReply(j1)).toBeUndefined(); // waits for ids[2]
    const j2 = h.join(G, ids[2]!);
    const [r1, r2] = [h.joinReply(j1)!, h.joinReply(j2)!];
    expect(r1.generationId).toBe(gen + 1);
    expect(r1.leader).toBe(ids[1]); // the old leader left: the first rejoined member leads
    expect(r1.members.map((m) => m.memberId)).toEqual([ids[1], ids[2]]);
    expect(r2.members).toEqual([]);
  });

  it('drops a member whose session expires and rebalances the rest', () => {
    const h = new GroupHarness();
    const { ids, gen } = stableGroupOfThree(h);
    for (let t = 0; t < 2; t++) {
      h.advance(400);
      expect(h.heartbeat(G, ids[0]!, gen)).toBe(0);
      expect(h.heartbeat(G, ids[1]!, gen)).toBe(0);
    }
    h.advance(300); // ids[2] has been silent for 1100 ms > its 1000 ms session
    expect(h.heartbeat(G, ids[0]!, gen)).toBe(27);
    expect(h.describe(G).groups[0]!.members.map((m) => m.memberId)).toEqual([ids[0], ids[1]]);
  });

  it('completes the join phase at the rebalance timeout without members that did not rejoin', () => {
    const h = new GroupHarness();
    const { ids, gen } = stableGroupOfThree(h);
    const j0 = h.join(G, ids[0]!); // the leader rejoins: rebalance
    for (let t = 0; t < 5; t++) {
      h.advance(450);
      h.heartbeat(G, ids[1]!, gen); // alive but never rejoins (27 each time); ids[2] is silent
    }
    const r = h.joinReply(j0)!;
    expect(r.generationId).toBe(gen + 1);
    expect(r.members.map((m) => m.memberId).sort()).toEqual([ids[0]].sort());
    expect(h.heartbeat(G, ids[1]!, gen)).toBe(25);
  });

  it('removes members that never sync after the join phase, then rebalances', () => {
    const h = new GroupHarness();
    const a = h.newMember(G);
    const b = h.newMember(G);
    h.advance(200);
    const gen = h.joinReply(a.req)!.generationId;
    const sa = h.sync(G, a.id, gen, [{ memberId: a.id, assignment: enc('x') }, { memberId: b.id, assignment: enc('y') }]);
    expect(h.syncReply(sa)!.errorCode).toBe(0);
    for (let t = 0; t < 4; t++) {
      h.advance(450);
      expect(h.heartbeat(G, a.id, gen)).toBe(0);
      expect(h.heartbeat(G, b.id, gen)).toBe(0); // b heartbeats but never syncs
    }
    h.advance(450); // the sync deadline (2000 ms after the join phase) passes
    expect(h.heartbeat(G, a.id, gen)).toBe(27);
    expect(h.heartbeat(G, b.id, gen)).toBe(25);
    const j = h.join(G, a.id);
    expect(h.joinReply(j)).toMatchObject({ errorCode: 0, generationId: gen + 1 });
  });

  it('becomes Empty when the last member leaves, and forgets a group with no offsets', () => {
    const h = new GroupHarness();
    const a = h.newMember(G);
    h.advance(100);
    h.leave(G, a.id);
    expect(h.describe(G).groups[0]!.state).toBe('Dead');
    expect(h.list().groups).toEqual([]);
  });

  it('gives a static member no id round trip and replaces its old incarnation', () => {
    const h = new GroupHarness();
    const r1 = h.join(G, '', { groupInstanceId: 'pod-1' });
    h.advance(100);
    const first = h.joinReply(r1)!;
    expect(first.errorCode).toBe(0);
    const r2 = h.join(G, '', { groupInstanceId: 'pod-1' });
    h.advance(100);
    const second = h.joinReply(r2)!;
    expect(second.errorCode).toBe(0);
    expect(second.memberId).not.toBe(first.memberId);
    expect(h.describe(G).groups[0]!.members.map((m) => m.groupInstanceId)).toEqual(['pod-1']);
  });
});
