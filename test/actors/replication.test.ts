/**
 * Replication units with real (memory) logs and a recording context: a follower whose log
 * diverged from the new leader's (records the old leader wrote in an older epoch and never
 * replicated) is told where that epoch ended on the leader, truncates there, then copies the
 * leader's batches until both logs are byte-identical. LeaderState: in-sync set and HW rules.
 */
import { describe, it, expect } from 'vitest';
import type { Context, Message } from '../../src/runtime/actor.js';
import { PartitionLog, StorageBudget, encodeBatch } from '../../src/storage/index.js';
import { Follower } from '../../actors/replica/follower.js';
import { FollowerFetches } from '../../actors/replica/replication.js';
import { LeaderState } from '../../actors/replica/leader-state.js';
import type { ReplicaFetch, ReplicaFetchReply } from '../../actors/messages.js';

function recordingCtx(self: string, now = () => 0) {
  const sent: { to: string; msg: Message }[] = [];
  const nop = () => {};
  const ctx = {
    self, send: (to: string, msg: Message) => void sent.push({ to, msg }), schedule: () => 0, cancel: nop, now, random: () => 0,
    log: { debug: nop, info: nop, warn: nop, error: nop }, storage: undefined as never, spawn: nop, stop: nop,
  } as unknown as Context;
  return { ctx, sent };
}

const log = () => PartitionLog.openMemory({}, { now: () => 0, budget: new StorageBudget() });
const batch = (n: number, tag: string) => encodeBatch(Array.from({ length: n }, (_, i) => ({ value: new TextEncoder().encode(`${tag}-${i}`) })), { timestamp: 1 });
const all = (l: PartitionLog) => (l.leo > l.base ? l.read(l.base, { maxOffset: l.leo, maxBytes: 1 << 30 }).batches.map((b) => [...b]) : []);

describe('follower truncation and catch-up', () => {
  it('truncates a diverged tail to where its epoch ended on the leader, then converges', () => {
    const leaderLog = log();
    const followerLog = log();
    for (const l of [leaderLog, followerLog]) {
      l.append(batch(5, 'a'), { leaderEpoch: 0 });
      l.append(batch(5, 'b'), { leaderEpoch: 0 });
    }
    followerLog.append(batch(3, 'lost'), { leaderEpoch: 0 }); // old leader's unreplicated tail: 10..12
    leaderLog.append(batch(5, 'new'), { leaderEpoch: 1 }); // new leader's epoch 1: 10..14
    const state = new LeaderState(2, [2, 1], [2, 1], 10, 0, 10_000);
    const fetches = new FollowerFetches();
    const follower = new Follower('t', 0, 1);
    const { ctx: fctx, sent: toLeader } = recordingCtx('replica:t:0@1');
    const { ctx: lctx, sent: toFollower } = recordingCtx('replica:t:0@2');

    const same = () => JSON.stringify(all(followerLog)) === JSON.stringify(all(leaderLog));
    for (let round = 0; round < 4 && !same(); round++) {
      follower.reset();
      follower.fetch(fctx, followerLog, 2, false);
      const req = toLeader.pop()!.msg as ReplicaFetch;
      expect(req.type).toBe('ReplicaFetch');
      fetches.serve(req, lctx, leaderLog, 1, state);
      const reply = toFollower.pop()!.msg as ReplicaFetchReply;
      if (round === 0) {
        expect(req).toMatchObject({ offset: 13, lastEpoch: 0 });
        expect(reply.truncateTo).toBe(10);
      }
      expect(follower.onReply(reply, followerLog, fctx)).toBe('again');
    }
    expect(followerLog.leo).toBe(15);
    expect(all(followerLog)).toEqual(all(leaderLog));
  });
  it('a follower whose last epoch the leader never held truncates from that epoch\'s start (sim seed 6084)', () => {
    // SPU 2 led epoch 1 and wrote 0..1 there (never committed); SPU 1, which had written 0..1 at
    // epoch 0 and was away meanwhile, leads epoch 2. Same LEO, different records: SPU 2 must go.
    const leaderLog = log();
    const followerLog = log();
    leaderLog.append(batch(2, 'old-leader'), { leaderEpoch: 0 });
    followerLog.append(batch(2, 'epoch-1'), { leaderEpoch: 1 });
    const state = new LeaderState(1, [1, 2], [1, 2], 0, 0, 10_000);
    const fetches = new FollowerFetches();
    const follower = new Follower('t', 0, 2);
    const { ctx: fctx, sent: toLeader } = recordingCtx('replica:t:0@2');
    const { ctx: lctx, sent: toFollower } = recordingCtx('replica:t:0@1');
    follower.fetch(fctx, followerLog, 1, false);
    const req = toLeader.pop()!.msg as ReplicaFetch;
    expect(req).toMatchObject({ offset: 2, lastEpoch: 1, lastEpochStart: 0 });
    fetches.serve(req, lctx, leaderLog, 2, state);
    const reply = toFollower.pop()!.msg as ReplicaFetchReply;
    expect(reply.truncateTo).toBe(0);
    expect(state.hw).toBe(0); // a diverged fetch tells the leader nothing about the follower's progress
    follower.onReply(reply, followerLog, fctx);
    follower.fetch(fctx, followerLog, 1, false);
    fetches.serve(toLeader.pop()!.msg as ReplicaFetch, lctx, leaderLog, 2, state);
    follower.onReply(toFollower.pop()!.msg as ReplicaFetchReply, followerLog, fctx);
    expect(all(followerLog)).toEqual(all(leaderLog));
  });
});

describe('LeaderState', () => {
  it('a follower that never fetched is not caught up, not proposed in sync, even with an empty leader log (sim seed 6084)', () => {
    const s = new LeaderState(2, [2, 1], [2], 0, 0, 8_000);
    expect(s.proposal(0, 10)).toBeNull(); // leader LEO 0; follower 1 (paused) never fetched
    expect(s.caughtUp(10, 1_000)).toEqual([]);
    s.onFetch(1, 0, 0, 20);
    expect(s.proposal(0, 20)).toEqual([1, 2]); // now it has shown its LEO
  });

  it('HW is the min LEO over the SC-approved in-sync set; changes are proposed, and used once confirmed', () => {
    const s = new LeaderState(1, [1, 2, 3], [1], 0, 0, 1_000);
    expect(s.isr()).toEqual([1]);
    expect(s.tick(10)).toBe(true); // alone: HW = LEO
    expect(s.hw).toBe(10);
    s.onFetch(2, 10, 10, 5); // caught up
    s.onFetch(3, 10, 10, 5);
    expect(s.proposal(10, 5)).toEqual([1, 2, 3]); // additions count at once (more cautious)…
    expect(s.isr()).toEqual([1, 2, 3]);
    expect(s.proposal(10, 6)).toBeNull(); // …and are not proposed twice while outstanding
    s.confirm([1, 2, 3], 10);
    s.tick(20); // leader appended 10 more; followers at 10
    expect(s.hw).toBe(10);
    s.onFetch(2, 20, 20, 20);
    expect(s.hw).toBe(10); // 3 still at 10
    expect(s.proposal(20, 2_000)).toEqual([1, 2]); // 3 lagged for > 1 s: proposed out…
    s.tick(20);
    expect(s.hw).toBe(10); // …but the HW still waits for it until the SC confirms
    expect(s.confirm([1, 2], 20)).toBe(true);
    expect(s.isr()).toEqual([1, 2]);
    expect(s.hw).toBe(20);
    s.onFetch(3, 20, 20, 2_100); // caught up again: proposed back in
    expect(s.proposal(20, 2_100)).toEqual([1, 2, 3]);
    expect(s.proposal(20, 2_100 + 1_001)).toEqual([1, 2, 3]); // unanswered for resendMs: sent again
    s.onFetch(3, 15, 20, 2_200); // never goes backwards
    expect(s.hw).toBe(20);
  });

  it('a restarted leader (no known set) waits for every replica until the SC sends the set', () => {
    const s = new LeaderState(1, [1, 2, 3], [1, 2, 3], 0, 0, 1_000);
    expect(s.tick(10)).toBe(false); // 2 and 3 have not fetched
    expect(s.confirm([1], 10)).toBe(true);
    expect(s.hw).toBe(10);
  });
});
