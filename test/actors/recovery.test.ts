/**
 * The SC's unclean-restart rules (actors/sc/recovery.ts) and eligible leaders (actors/sc/isr.ts):
 * the sim's former bug unclean-leader-return (seed 4) in unit form. A leader that restarts (a new SPU
 * incarnation) with fsync 'never' may have lost acknowledged records: it must not lead on its
 * own word while a replica that holds them can come back; when every replica restarted, the
 * newest log leads.
 */
import { describe, expect, it } from 'vitest';
import { Resolution, type TopicConfig } from '../../actors/messages.js';
import {
  admin, assignsTo, heartbeat, partition, register, report, startSc, transitions,
} from './sc-harness.js';
import type { ActorDriver } from './fake-context.js';

/** t/0 on SPUs 1 (leader) and 2, Online, both in sync with LEO `leo`. */
function twoReplicas(config: TopicConfig, leo = 10): ActorDriver {
  const d = startSc([1, 2]);
  d.deliver(register(1, [], 100));
  d.deliver(register(2, [], 200));
  const created = admin(d, { op: 'createTopic', spec: { name: 't', partitions: 1, replicationFactor: 2, config } });
  if (created.error) throw new Error(created.error.message);
  admin(d, { op: 'subscribe' });
  d.deliver(heartbeat(1, [report({ topic: 't', partition: 0, spuId: 1, leader: true, leo, hw: leo, inSync: [1, 2], incarnation: 1 })], false));
  d.deliver(heartbeat(2, [report({ topic: 't', partition: 0, spuId: 2, leo, hw: leo, incarnation: 1 })], false));
  expect(partition(d, 't').resolution).toBe(Resolution.Online);
  d.take();
  return d;
}

describe('SC: eligible leaders and unclean restarts', () => {
  it('a follower lost while the set falls below minInSyncReplicas becomes an eligible leader', () => {
    const d = twoReplicas({ fsync: 'never', minInSyncReplicas: 2 });
    d.deliver({ type: 'SpuLost', spuId: 2 });
    expect(partition(d, 't').inSync).toEqual([1]);
    d.deliver({ type: 'SpuLost', spuId: 1 });
    expect(partition(d, 't')).toMatchObject({ leader: 1, resolution: Resolution.LeaderOffline });
    // 1 restarts (power loss: it kept offsets 0..5 of 10): fenced, told there is no leader.
    d.take();
    d.deliver(register(1, [], 101));
    expect(assignsTo(d.take(), 1)).toMatchObject([{ leader: -1, epoch: 0 }]);
    d.deliver(heartbeat(1, [report({ topic: 't', partition: 0, spuId: 1, leo: 6, hw: 6, incarnation: 2, seq: 1 })], false));
    expect(partition(d, 't')).toMatchObject({ leader: 1, resolution: Resolution.LeaderOffline });
    // 2 comes back (it was only cut off): the eligible leader leads at the next epoch.
    d.deliver(heartbeat(2, [report({ topic: 't', partition: 0, spuId: 2, leo: 10, hw: 10, incarnation: 1, seq: 2 })], false));
    const sent = d.take();
    expect(transitions(sent)).toEqual(['LeaderOffline→ElectionLeaderFound']);
    expect(partition(d, 't')).toMatchObject({ leader: 2, epoch: 1 });
    expect(assignsTo(sent, 1).at(-1)).toMatchObject({ leader: 2, epoch: 1 });
  });

  it('without eligible leaders (minInSyncReplicas 1) the restarted leader waits for every replica; the newest log leads', () => {
    const d = twoReplicas({ fsync: 'never' });
    d.deliver({ type: 'SpuLost', spuId: 2 });
    d.deliver({ type: 'SpuLost', spuId: 1 });
    d.deliver(register(1, [], 101));
    d.deliver(heartbeat(1, [report({ topic: 't', partition: 0, spuId: 1, leo: 6, hw: 6, incarnation: 2, seq: 1, lastEpoch: 0 })], false));
    expect(partition(d, 't').resolution).toBe(Resolution.LeaderOffline); // 2 may hold more
    d.deliver(register(2, [], 201));
    d.deliver(heartbeat(2, [report({ topic: 't', partition: 0, spuId: 2, leo: 10, hw: 10, incarnation: 2, seq: 1, lastEpoch: 0 })], false));
    expect(partition(d, 't')).toMatchObject({ leader: 2, epoch: 1, resolution: Resolution.ElectionLeaderFound });
  });

  it('when the restarted leader holds the newest log it leads again, at the next epoch', () => {
    const d = twoReplicas({ fsync: 'never' });
    d.deliver({ type: 'SpuLost', spuId: 2 });
    d.deliver({ type: 'SpuLost', spuId: 1 });
    d.deliver(register(1, [], 101));
    d.deliver(register(2, [], 201));
    d.deliver(heartbeat(2, [report({ topic: 't', partition: 0, spuId: 2, leo: 4, hw: 4, incarnation: 2, seq: 1, lastEpoch: 0 })], false));
    d.take();
    d.deliver(heartbeat(1, [report({ topic: 't', partition: 0, spuId: 1, leo: 9, hw: 9, incarnation: 2, seq: 1, lastEpoch: 0 })], false));
    const sent = d.take();
    expect(assignsTo(sent, 1)).toMatchObject([{ leader: 1, epoch: 1 }]);
    expect(assignsTo(sent, 2)).toMatchObject([{ leader: 1, epoch: 1 }]);
    d.deliver(heartbeat(1, [report({ topic: 't', partition: 0, spuId: 1, leader: true, epoch: 1, leo: 9, hw: 9, incarnation: 2, seq: 2 })], false));
    expect(partition(d, 't')).toMatchObject({ leader: 1, epoch: 1, resolution: Resolution.Online });
  });

  it('a stale report from before the restart does not count as the replica\'s log', () => {
    const d = twoReplicas({ fsync: 'never' });
    d.deliver({ type: 'SpuLost', spuId: 2 });
    d.deliver({ type: 'SpuLost', spuId: 1 });
    d.deliver(register(1, [], 101));
    d.deliver(register(2, [], 201));
    d.deliver(heartbeat(1, [report({ topic: 't', partition: 0, spuId: 1, leo: 10, hw: 10, incarnation: 1, seq: 9 })], false)); // delayed, old incarnation
    d.deliver(heartbeat(2, [report({ topic: 't', partition: 0, spuId: 2, leo: 4, hw: 4, incarnation: 2, seq: 1 })], false));
    expect(partition(d, 't').resolution).toBe(Resolution.LeaderOffline);
  });

  it('fsync always: a restarted leader loses nothing and resumes as before; a retried register is not a restart', () => {
    const d = twoReplicas({ fsync: 'always' });
    d.deliver({ type: 'SpuLost', spuId: 2 });
    d.deliver({ type: 'SpuLost', spuId: 1 });
    d.deliver(register(1, [], 101));
    expect(assignsTo(d.take(), 1)).toMatchObject([{ leader: 1, epoch: 0 }]);
    const n = twoReplicas({ fsync: 'never' });
    n.deliver(register(1, [], 100)); // the same incarnation: its first SpuRegistered was lost
    expect(assignsTo(n.take(), 1)).toMatchObject([{ leader: 1 }]);
  });

  it('refuses to add a follower on an offline SPU to the in-sync set (the leader\'s view of it is stale)', () => {
    const d = twoReplicas({});
    d.deliver({ type: 'SpuLost', spuId: 2 });
    const { inSync } = partition(d, 't');
    expect(inSync).toEqual([1]);
    d.deliver({ type: 'AlterIsr', topic: 't', partition: 0, spuId: 1, epoch: 0, isrVersion: 1, isr: [1, 2] });
    expect(partition(d, 't').inSync).toEqual([1]);
    d.deliver(heartbeat(2, [report({ topic: 't', partition: 0, spuId: 2, leo: 10, hw: 10, incarnation: 1, seq: 3 })], false));
    d.deliver({ type: 'AlterIsr', topic: 't', partition: 0, spuId: 1, epoch: 0, isrVersion: 1, isr: [1, 2] });
    expect(partition(d, 't').inSync).toEqual([1, 2]); // back online (not restarted): it may rejoin
  });

  it('a fenced leader\'s partition lists the HW its leader last served, not its shortened log\'s', () => {
    const d = twoReplicas({ fsync: 'never' });
    d.deliver({ type: 'SpuLost', spuId: 2 });
    d.deliver({ type: 'SpuLost', spuId: 1 });
    d.deliver(register(1, [], 101));
    d.deliver(heartbeat(1, [report({ topic: 't', partition: 0, spuId: 1, leo: 3, hw: 3, incarnation: 2, seq: 1 })], false));
    expect(partition(d, 't')).toMatchObject({ hw: 10, leo: 3, epoch: 0, resolution: Resolution.LeaderOffline });
  });

  it('a leader report from the restarted process, made before it learned it is fenced, moves nothing (sim seed 5193)', () => {
    const d = twoReplicas({ fsync: 'never' });
    d.deliver({ type: 'SpuLost', spuId: 2 });
    d.deliver(register(1, [], 101)); // restarted faster than the SPU timeout
    expect(partition(d, 't').resolution).toBe(Resolution.LeaderOffline);
    // An assignment sent before the SC saw the restart made the new process lead for a moment.
    d.deliver(heartbeat(1, [report({ topic: 't', partition: 0, spuId: 1, leader: true, leo: 6, hw: 6, incarnation: 2, seq: 1 })], false));
    expect(partition(d, 't')).toMatchObject({ leader: 1, epoch: 0, resolution: Resolution.LeaderOffline });
  });

  it('a full partition stays OutOfSpace when its restarted leader leads again, and goes through an election when another does', () => {
    for (const [leo1, leo2, expected] of [[9, 4, []], [3, 10, ['OutOfSpace→LeaderOffline', 'LeaderOffline→ElectionLeaderFound']]] as const) {
      const d = twoReplicas({ fsync: 'never' });
      d.deliver(heartbeat(1, [report({ topic: 't', partition: 0, spuId: 1, leader: true, leo: 10, hw: 10, inSync: [1, 2], incarnation: 1, seq: 5, outOfSpace: true })], false));
      expect(partition(d, 't').resolution).toBe(Resolution.OutOfSpace);
      d.deliver({ type: 'SpuLost', spuId: 2 });
      d.deliver({ type: 'SpuLost', spuId: 1 });
      d.deliver(register(1, [], 101));
      d.deliver(register(2, [], 201));
      d.take();
      d.deliver(heartbeat(1, [report({ topic: 't', partition: 0, spuId: 1, leo: leo1, hw: leo1, incarnation: 2, seq: 1, lastEpoch: 0 })], false));
      d.deliver(heartbeat(2, [report({ topic: 't', partition: 0, spuId: 2, leo: leo2, hw: leo2, incarnation: 2, seq: 1, lastEpoch: 0 })], false));
      expect(transitions(d.take())).toEqual(expected);
      expect(partition(d, 't')).toMatchObject({ leader: leo1 > leo2 ? 1 : 2, epoch: 1 });
    }
  });

  it('minInSyncReplicas above the replication factor is refused', () => {
    const d = startSc([1, 2]);
    d.deliver(register(1));
    d.deliver(register(2));
    const r = admin(d, { op: 'createTopic', spec: { name: 'x', partitions: 1, replicationFactor: 2, config: { minInSyncReplicas: 3 } } });
    expect(r.error).toMatchObject({ code: 'INVALID_CONFIG' });
  });
});
