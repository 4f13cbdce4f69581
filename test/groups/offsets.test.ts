/**
 * Committed offsets through the fake context: when commits are accepted (Stable and
 * PreparingRebalance, simple commits in Empty) and refused (27, 25, 22, 12), OffsetFetch (named
 * partitions, null = all, -1 when none), persistence across a coordinator restart on the same
 * state store, and ListGroups/DescribeGroups.
 */
import { describe, it, expect } from 'vitest';
import { GroupHarness } from './harness.js';

const G = 'g1';

function stableOfTwo(h: GroupHarness): { a: string; b: string; gen: number } {
  const a = h.newMember(G);
  const b = h.newMember(G);
  h.advance(200);
  const gen = h.joinReply(a.req)!.generationId;
  h.sync(G, a.id, gen, []);
  h.sync(G, b.id, gen);
  return { a: a.id, b: b.id, gen };
}

describe('group coordinator: offsets', () => {
  it('accepts commits in Stable and PreparingRebalance, refuses them in CompletingRebalance and from strangers', () => {
    const h = new GroupHarness();
    const a = h.newMember(G);
    const b = h.newMember(G);
    h.advance(200);
    const gen = h.joinReply(a.req)!.generationId;
    expect(h.commit(G, a.id, gen, [['t', 0, 5]])).toEqual([27]); // CompletingRebalance
    h.sync(G, a.id, gen, []);
    expect(h.commit(G, b.id, gen, [['t', 0, 5], ['t', 1, 7]])).toEqual([0, 0]); // Stable
    expect(h.commit(G, 'stranger', gen, [['t', 0, 9]])).toEqual([25]);
    expect(h.commit(G, b.id, gen + 1, [['t', 0, 9]])).toEqual([22]);
    expect(h.commit(G, '', -1, [['t', 0, 9]])).toEqual([25]); // a simple commit while the group has members
    h.join(G, a.id); // the leader rejoins: PreparingRebalance
    expect(h.describe(G).groups[0]!.state).toBe('PreparingRebalance');
    expect(h.commit(G, b.id, gen, [['t', 0, 8]])).toEqual([0]); // kafkajs commits before rejoining
    expect(h.fetch(G, [{ topic: 't', partitions: [0, 1, 2] }]).offsets.map((o) => o.offset)).toEqual([8, 7, -1]);
  });

  it('accepts simple commits (generation -1, no member) for a group with no members, and lists that group as Empty', () => {
    const h = new GroupHarness();
    expect(h.commit('tool', '', -1, [['orders', 2, 40]])).toEqual([0]);
    expect(h.commit('other', 'm', 3, [['orders', 2, 40]])).toEqual([22]); // unknown group, a generation: refused
    expect(h.fetch('tool', null).offsets).toEqual([{ topic: 'orders', partition: 2, offset: 40, metadata: null, errorCode: 0 }]);
    expect(h.list().groups).toEqual([{ groupId: 'tool', protocolType: '', state: 'Empty' }]);
  });

  it('answers OffsetFetch with -1 for an unknown group or partition, and every committed offset for null topics', () => {
    const h = new GroupHarness();
    expect(h.fetch('nobody', [{ topic: 't', partitions: [0] }]).offsets).toEqual([{ topic: 't', partition: 0, offset: -1, metadata: '', errorCode: 0 }]);
    expect(h.fetch('nobody', null).offsets).toEqual([]);
    const { a, gen } = stableOfTwo(h);
    h.commit(G, a, gen, [['b-topic', 1, 3], ['a-topic', 0, 1], ['b-topic', 0, 2]]);
    expect(h.fetch(G, null).offsets.map((o) => [o.topic, o.partition, o.offset])).toEqual([['a-topic', 0, 1], ['b-topic', 0, 2], ['b-topic', 1, 3]]);
  });

  it('refuses metadata over offsetMetadataMaxBytes for that partition only', () => {
    const h = new GroupHarness({ offsetMetadataMaxBytes: 8 });
    const { a, gen } = stableOfTwo(h);
    const reply = h.reply<import('../../actors/groups/messages.js').OffsetCommitReply>(h.send({
      type: 'OffsetCommit', groupId: G, memberId: a, generationId: gen,
      offsets: [{ topic: 't', partition: 0, offset: 1, metadata: 'short' }, { topic: 't', partition: 1, offset: 1, metadata: 'much too long' }],
    }))!;
    expect(reply.results.map((r) => r.errorCode)).toEqual([0, 12]);
  });

  it('keeps committed offsets across a restart on the same state store; members must rejoin', () => {
    const h = new GroupHarness();
    const { a, gen } = stableOfTwo(h);
    h.commit(G, a, gen, [['t', 0, 11], ['t', 1, 22]]);
    const restarted = new GroupHarness({}, h.storage);
    expect(restarted.fetch(G, null).offsets.map((o) => o.offset)).toEqual([11, 22]);
    expect(restarted.list().groups).toEqual([{ groupId: G, protocolType: 'consumer', state: 'Empty' }]);
    expect(restarted.heartbeat(G, a, gen)).toBe(25);
    const j = restarted.newMember(G);
    restarted.advance(100);
    expect(restarted.joinReply(j.req)!.generationId).toBe(1);
  });

  it('describes groups with members, the chosen protocol and assignments; unknown groups are Dead', () => {
    const h = new GroupHarness();
    const { a, b, gen } = stableOfTwo(h);
    const d = h.describe(G, 'missing').groups;
    expect(d[0]).toMatchObject({ groupId: G, state: 'Stable', protocolType: 'consumer', protocol: 'range', generationId: gen, leader: a });
    expect(d[0]!.members.map((m) => m.memberId)).toEqual([a, b]);
    expect(new TextDecoder().decode(d[0]!.members[0]!.metadata)).toBe(`meta-${a}`);
    expect(d[1]).toMatchObject({ groupId: 'missing', state: 'Dead', errorCode: 0, members: [] });
    expect(h.list().groups).toEqual([{ groupId: G, protocolType: 'consumer', state: 'Stable' }]);
  });
});

describe('group coordinator: saved state', () => {
  it('skips malformed saved entries instead of failing to start', () => {
    const h = new GroupHarness();
    h.storage.saveState('groups', { version: 1, groups: [{ id: 'ok', protocolType: 'consumer', offsets: [['t', 0, 3, null], ['t', 'x', 1, null]] }, { nope: true }] });
    const restarted = new GroupHarness({}, h.storage);
    expect(restarted.fetch('ok', null).offsets.map((o) => [o.partition, o.offset])).toEqual([[0, 3]]);
    expect(restarted.d.ctx.lines.some((l) => l.level === 'error')).toBe(true);
    h.storage.saveState('groups', 'garbage');
    expect(new GroupHarness({}, h.storage).list().groups).toEqual([]);
  });
});

describe('group coordinator: commit saves', () => {
  it('answers commits after one save for everything committed in the same turn', () => {
    const h = new GroupHarness();
    const saves: string[] = [];
    const save = h.storage.saveState.bind(h.storage);
    h.storage.saveState = (name, value) => {
      saves.push(name);
      save(name, value);
    };
    for (let i = 0; i < 5; i++) {
      h.d.deliverRaw({ type: 'OffsetCommit', reqId: 100 + i, replyTo: 'client:x', groupId: `s${i}`, memberId: '', generationId: -1, offsets: [{ topic: 't', partition: 0, offset: i, metadata: null }] });
    }
    expect(h.d.take().filter((s) => s.msg.type === 'OffsetCommitReply')).toHaveLength(0); // not saved yet
    h.d.advance(0);
    expect(saves).toEqual(['groups']);
    expect(h.d.take().filter((s) => s.msg.type === 'OffsetCommitReply')).toHaveLength(5);
    expect(JSON.stringify(h.storage.loadState('groups'))).toContain('"s4"');
  });
});
