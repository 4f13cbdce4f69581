/**
 * SC behaviour through the fake context (messages in, effects out): SPU registration and exact
 * confirmation, heartbeat loss → LeaderOffline → election (highest LEO, then lowest id; epoch
 * bump) → Online on the new leader's report, sticky OutOfSpace rebuilt from (incarnation, seq)
 * ordered reports, and assignment reconciliation against full heartbeats.
 */
import { describe, it, expect } from 'vitest';
import {
  Resolution, replicaActorId, spuActorId, type AdminReply, type IsrChanged, type PartitionInfo, type ReplicaRemove, type ReportRequest, type SpuInfo,
  type SpuRegistered,
} from '../../actors/messages.js';
import { REPORT_SYNC } from '../../actors/sc/report-sync.js';
import { ActorDriver } from './fake-context.js';
import {
  CLIENT, HEARTBEAT_MS, SPU_TIMEOUT_MS, admin, assignsTo, clusterWithTopic, heartbeat, partition, register, report, resolutionOf,
  startSc, transitions,
} from './sc-harness.js';

const spusOf = (d: ActorDriver) => admin(d, { op: 'listSpus' }).result as SpuInfo[];
const registeredTo = (d: ActorDriver) => ActorDriver.ofType<SpuRegistered>(d.take(), 'SpuRegistered').map((s) => s.to);

/** Advance `ms` in heartbeat steps; the SPUs in `alive` heartbeat (not full) at each step. */
function keepAlive(d: ActorDriver, alive: number[], ms: number): void {
  for (let t = 0; t < ms; t += HEARTBEAT_MS) {
    d.advance(HEARTBEAT_MS);
    for (const id of alive) d.deliver(heartbeat(id, [], false));
  }
}

describe('SC: SPU registration and exact confirmation', () => {
  it('confirms exactly the configured SPU ids and refuses others', () => {
    const d = startSc([1, 2, 3]);
    for (const id of [1, 7, 2, 3]) d.deliver(register(id));
    expect(registeredTo(d)).toEqual([spuActorId(1), spuActorId(2), spuActorId(3)]);
    expect(spusOf(d).map((s) => [s.id, s.status])).toEqual([[1, 'online'], [2, 'online'], [3, 'online']]);
    expect(d.warnings()).toContain('refusing SPU that is not in the configured set');
  });

  it('an SPU that is not configured is never confirmed and never counts (home once run with 3, started with 1)', () => {
    const d = startSc([1]);
    d.deliver(register(2)).deliver(register(3)).deliver(heartbeat(3));
    expect(registeredTo(d)).toEqual([]);
    expect(spusOf(d)).toEqual([{ id: 1, status: 'offline', address: 'local', replicas: 0 }]);
    d.deliver(register(1));
    expect(registeredTo(d)).toEqual([spuActorId(1)]);
    // Only SPU 1 counts: a replication factor of 2 does not fit.
    const rf2 = admin(d, { op: 'createTopic', spec: { name: 't', partitions: 1, replicationFactor: 2, config: {} } });
    expect(rf2.error?.code).toBe('INVALID_REPLICATION');
    expect(admin(d, { op: 'createTopic', spec: { name: 't', partitions: 1, replicationFactor: 1, config: {} } }).error).toBeUndefined();
  });

  it('a re-registering SPU is confirmed again and gets its assignments again', () => {
    const d = clusterWithTopic([1, 2], 't', 2, 2);
    d.deliver(register(2));
    const sent = d.take();
    expect(ActorDriver.ofType<SpuRegistered>(sent, 'SpuRegistered').map((s) => s.to)).toEqual([spuActorId(2)]);
    expect(assignsTo(sent, 2).map((a) => a.partition).sort()).toEqual([0, 1]);
  });

  it('answers a duplicated admin request with its first answer', () => {
    const d = startSc([1]);
    d.deliver(register(1));
    const req = { type: 'AdminRequest', reqId: 99, replyTo: CLIENT, op: 'createTopic', spec: { name: 'dup', partitions: 1, replicationFactor: 1, config: {} } } as const;
    d.take();
    d.deliver(req).deliver(req);
    const replies = d.take(CLIENT).map((s) => s.msg);
    expect(replies).toHaveLength(2);
    expect(replies[1]).toEqual(replies[0]);
    expect(replies[0]).not.toHaveProperty('error');
  });
});

describe('SC: messages it does not know', () => {
  it('logs them and changes nothing', () => {
    const d = startSc([1]);
    d.deliverRaw({ type: 'FlushStatus' }).deliverRaw({ type: 'Nonsense' });
    expect(d.take()).toEqual([]);
    expect(d.warnings()).toEqual(['SC: unexpected message', 'SC: unexpected message']);
  });
});

describe('SC: fresh listings ask the running replicas first', () => {
  it('sends ReportRequest to each replica that reported on an online SPU, answers after all replied', () => {
    const d = clusterWithTopic([1, 2], 't', 1, 2);
    d.deliver(heartbeat(1, [report({ topic: 't', partition: 0, spuId: 1, leader: true, leo: 1 })], false));
    d.deliver(heartbeat(2, [report({ topic: 't', partition: 0, spuId: 2, leo: 1 })], false));
    d.take();
    d.deliver({ type: 'AdminRequest', reqId: 500, replyTo: CLIENT, op: 'listPartitions' });
    const asked = d.take();
    expect(asked.map((s) => [s.to, s.msg.type])).toEqual([
      [replicaActorId('t', 0, 1), 'ReportRequest'], [replicaActorId('t', 0, 2), 'ReportRequest'],
    ]);
    const token = ActorDriver.ofType<ReportRequest>(asked, 'ReportRequest')[0]!.msg.token;
    d.deliver({ type: 'ReportReply', token, report: report({ topic: 't', partition: 0, spuId: 1, leader: true, leo: 9, hw: 9, seq: 2 }) });
    expect(d.take(CLIENT)).toEqual([]);
    d.deliver({ type: 'ReportReply', token, report: report({ topic: 't', partition: 0, spuId: 2, leo: 9, seq: 2 }) });
    const [answer] = ActorDriver.ofType<AdminReply>(d.take(CLIENT), 'AdminReply');
    expect((answer!.msg.result as PartitionInfo[])[0]).toMatchObject({ leo: 9, hw: 9 });
  });

  it('answers from the last reports when a replica does not reply within the sync timeout', () => {
    const d = clusterWithTopic([1], 't', 1, 1);
    d.deliver(heartbeat(1, [report({ topic: 't', partition: 0, spuId: 1, leader: true, leo: 3 })], false));
    d.take();
    d.deliver({ type: 'AdminRequest', reqId: 501, replyTo: CLIENT, op: 'listPartitions' });
    d.advance(REPORT_SYNC.syncTimeoutMs - 1);
    expect(ActorDriver.ofType<AdminReply>(d.take(CLIENT), 'AdminReply')).toEqual([]);
    d.advance(1);
    const [answer] = ActorDriver.ofType<AdminReply>(d.take(CLIENT), 'AdminReply');
    expect((answer!.msg.result as PartitionInfo[])[0]).toMatchObject({ leo: 3 });
  });
});

describe('SC: heartbeat loss and election', () => {
  /** t/0 on SPUs 1 (leader), 2, 3, Online; followers report LEOs 2 → leo2, 3 → leo3. */
  function onlineWithFollowers(leo2: number, leo3: number, inSync = [1, 2, 3]) {
    const d = clusterWithTopic([1, 2, 3], 't', 1, 3);
    // The leader asks the SC for its in-sync set (the SC owns it: actors/sc/isr.ts).
    if (inSync.length < 3) d.deliver({ type: 'AlterIsr', topic: 't', partition: 0, spuId: 1, epoch: 0, isrVersion: 0, isr: inSync });
    d.deliver(heartbeat(1, [report({ topic: 't', partition: 0, spuId: 1, leader: true, leo: 10, hw: 10, inSync, isrVersion: inSync.length < 3 ? 1 : 0 })], false));
    d.deliver(heartbeat(2, [report({ topic: 't', partition: 0, spuId: 2, leo: leo2 })], false));
    d.deliver(heartbeat(3, [report({ topic: 't', partition: 0, spuId: 3, leo: leo3 })], false));
    expect(resolutionOf(d, 't')).toBe(Resolution.Online);
    d.take();
    return d;
  }

  it('takes a silent SPU offline after spuTimeoutMs and elects the in-sync follower with the highest LEO', () => {
    const d = onlineWithFollowers(5, 7);
    keepAlive(d, [2, 3], SPU_TIMEOUT_MS - HEARTBEAT_MS);
    expect(spusOf(d).find((s) => s.id === 1)?.status).toBe('online'); // not yet: exactly the timeout
    keepAlive(d, [2, 3], 2 * HEARTBEAT_MS);
    const sent = d.take();
    expect(spusOf(d).find((s) => s.id === 1)?.status).toBe('offline');
    expect(transitions(sent)).toEqual(['Online→LeaderOffline', 'LeaderOffline→ElectionLeaderFound']);
    const p = partition(d, 't');
    expect(p).toMatchObject({ leader: 3, epoch: 1, resolution: Resolution.ElectionLeaderFound });
    // The new assignment goes to the online replicas only, new leader first, epoch bumped.
    expect(assignsTo(sent, 1)).toEqual([]);
    for (const spu of [2, 3]) expect(assignsTo(sent, spu)).toMatchObject([{ leader: 3, epoch: 1, replicas: [3, 1, 2] }]);
    // ElectionLeaderFound → Online only on the new leader's own report at the new epoch.
    d.deliver(heartbeat(2, [report({ topic: 't', partition: 0, spuId: 2, epoch: 1, seq: 2 })], false));
    expect(resolutionOf(d, 't')).toBe(Resolution.ElectionLeaderFound);
    d.deliver(heartbeat(3, [report({ topic: 't', partition: 0, spuId: 3, leader: true, epoch: 1, leo: 7, seq: 2, inSync: [3] })], false));
    expect(transitions(d.take())).toEqual(['ElectionLeaderFound→Online']);
    expect(resolutionOf(d, 't')).toBe(Resolution.Online);
  });

  it('breaks a LEO tie by the lowest SPU id', () => {
    const d = onlineWithFollowers(6, 6);
    d.deliver({ type: 'SpuLost', spuId: 1 });
    expect(partition(d, 't')).toMatchObject({ leader: 2, epoch: 1, resolution: Resolution.ElectionLeaderFound });
  });

  it('never elects a follower outside the in-sync set, nor one on an offline SPU, nor one lost since', () => {
    const d = onlineWithFollowers(5, 9, [1, 2]); // 3 has the highest LEO but is out of sync
    expect(partition(d, 't').inSync).toEqual([1, 2]);
    d.deliver({ type: 'SpuLost', spuId: 2 }); // the only in-sync follower goes first: it leaves the set
    expect(partition(d, 't').inSync).toEqual([1]);
    d.deliver({ type: 'SpuLost', spuId: 1 });
    expect(transitions(d.take())).toEqual(['Online→LeaderOffline']);
    expect(partition(d, 't')).toMatchObject({ leader: 1, epoch: 0, resolution: Resolution.LeaderOffline });
    // 2 returns, but it was lost (it may have lost unsynced records): not elected before it caught up.
    d.deliver(register(2));
    expect(transitions(d.take())).toEqual([]);
    d.deliver(register(1, [report({ topic: 't', partition: 0, spuId: 1, leader: true, leo: 10, hw: 10, incarnation: 2 })]));
    expect(transitions(d.take())).toEqual(['LeaderOffline→Online']);
    expect(partition(d, 't')).toMatchObject({ leader: 1, epoch: 0, resolution: Resolution.Online });
  });

  it('in-sync set changes: the leader asks, the SC confirms at the current version only, and tells it', () => {
    const d = onlineWithFollowers(10, 10);
    const alter = (isr: number[], isrVersion: number, spuId = 1, epoch = 0) => d.deliver({ type: 'AlterIsr', topic: 't', partition: 0, spuId, epoch, isrVersion, isr });
    alter([1, 3], 0);
    expect(partition(d, 't').inSync).toEqual([1, 3]);
    const told = ActorDriver.ofType<IsrChanged>(d.take(), 'IsrChanged');
    expect(told.map((t) => [t.to, t.msg.isrVersion, t.msg.isr])).toEqual([[replicaActorId('t', 0, 1), 1, [1, 3]]]);
    alter([1], 0); // based on a stale version: refused, the current set is sent back
    expect(partition(d, 't').inSync).toEqual([1, 3]);
    expect(ActorDriver.ofType<IsrChanged>(d.take(), 'IsrChanged').map((t) => t.msg.isr)).toEqual([[1, 3]]);
    alter([2, 3], 1); // without the leader: refused
    alter([1, 2], 1, 2); // not from the leader: ignored
    expect(partition(d, 't').inSync).toEqual([1, 3]);
    // A leader reporting an older version is sent the current set.
    d.take();
    d.deliver(heartbeat(1, [report({ topic: 't', partition: 0, spuId: 1, leader: true, leo: 10, hw: 10, isrVersion: 0, seq: 5 })], false));
    expect(ActorDriver.ofType<IsrChanged>(d.take(), 'IsrChanged').map((t) => t.msg.isrVersion)).toEqual([1]);
  });

  it('SpuLost from the host acts at once, without waiting for the timeout', () => {
    const d = onlineWithFollowers(5, 7);
    d.deliver({ type: 'SpuLost', spuId: 1 });
    expect(transitions(d.take())).toEqual(['Online→LeaderOffline', 'LeaderOffline→ElectionLeaderFound']);
    d.deliver({ type: 'SpuLost', spuId: 1 }); // already offline: nothing more
    expect(d.take()).toEqual([]);
  });
});

describe('SC: sticky OutOfSpace rebuilt from reports', () => {
  const full = (incarnation: number, seq: number, outOfSpace: boolean) =>
    report({ topic: 't', partition: 0, spuId: 1, leader: true, incarnation, seq, outOfSpace });

  function outOfSpaceCluster(): ActorDriver {
    const d = clusterWithTopic([1], 't', 1, 1);
    d.deliver(heartbeat(1, [full(100, 1, true)], false));
    expect(transitions(d.take())).toEqual(['Offline→Online', 'Online→OutOfSpace']);
    return d;
  }

  it('survives a re-register whose report still says out of space', () => {
    const d = outOfSpaceCluster();
    d.deliver(register(1, [full(100, 2, true)]));
    expect(resolutionOf(d, 't')).toBe(Resolution.OutOfSpace);
    expect(transitions(d.take())).toEqual([]);
  });

  it('survives leader loss with nobody to fail over to, and a restarted SPU still out of space', () => {
    const d = outOfSpaceCluster();
    d.advance(SPU_TIMEOUT_MS + 2 * HEARTBEAT_MS);
    expect(spusOf(d)[0]!.status).toBe('offline');
    expect(resolutionOf(d, 't')).toBe(Resolution.OutOfSpace);
    d.deliver(register(1, [full(200, 1, true)])); // a new incarnation, still full
    expect(resolutionOf(d, 't')).toBe(Resolution.OutOfSpace);
    expect(transitions(d.take())).toEqual([]);
  });

  it('ignores a stale report (older incarnation or seq) that says space is free; a newer one clears it', () => {
    const d = outOfSpaceCluster();
    d.deliver(register(1, [full(200, 5, true)])); // restarted, still full
    d.deliver(heartbeat(1, [full(100, 9, false)], false)); // older incarnation, reordered
    d.deliver(heartbeat(1, [full(200, 4, false)], false)); // same incarnation, older seq
    d.deliver(heartbeat(1, [full(200, 5, false)], false)); // a duplicate of the last seq
    expect(resolutionOf(d, 't')).toBe(Resolution.OutOfSpace);
    expect(transitions(d.take())).toEqual([]);
    d.deliver(heartbeat(1, [full(200, 6, false)], false));
    expect(transitions(d.take())).toEqual(['OutOfSpace→Online']);
    expect(resolutionOf(d, 't')).toBe(Resolution.Online);
  });

  it('a follower saying it has space does not clear the leader\'s OutOfSpace', () => {
    const d = clusterWithTopic([1, 2], 't', 1, 2);
    d.deliver(heartbeat(1, [full(100, 1, true)], false));
    d.deliver(heartbeat(2, [report({ topic: 't', partition: 0, spuId: 2, incarnation: 100, seq: 7 })], false));
    expect(resolutionOf(d, 't')).toBe(Resolution.OutOfSpace);
  });

  it('is persisted: a restarted SC keeps OutOfSpace and rebuilds it from the first reports', () => {
    const d = outOfSpaceCluster();
    const again = startSc([1], d.ctx.storage);
    expect(resolutionOf(again, 't')).toBe(Resolution.OutOfSpace);
    again.deliver(register(1, [full(300, 1, true)]));
    expect(resolutionOf(again, 't')).toBe(Resolution.OutOfSpace);
    again.deliver(heartbeat(1, [full(300, 2, false)], false));
    expect(resolutionOf(again, 't')).toBe(Resolution.Online);
  });

  it('a restarted SC turns Online partitions LeaderOffline until their leader reports', () => {
    const d = clusterWithTopic([1], 't', 1, 1);
    d.deliver(heartbeat(1, [report({ topic: 't', partition: 0, spuId: 1, leader: true })], false));
    expect(resolutionOf(d, 't')).toBe(Resolution.Online);
    const again = startSc([1], d.ctx.storage);
    expect(resolutionOf(again, 't')).toBe(Resolution.LeaderOffline);
    again.deliver(register(1, [report({ topic: 't', partition: 0, spuId: 1, leader: true, incarnation: 2 })]));
    expect(resolutionOf(again, 't')).toBe(Resolution.Online);
  });
});

describe('SC: assignment reconciliation against full heartbeats', () => {
  const hosted = (spuId: number, p: PartitionInfo) => report({ topic: p.topic, partition: p.partition, spuId, epoch: p.epoch, leader: p.leader === spuId });

  it('re-sends ReplicaAssign for an assigned replica a full heartbeat lacks, to that SPU only', () => {
    const d = clusterWithTopic([1, 2], 't', 2, 2);
    const p0 = partition(d, 't', 0);
    d.take();
    d.deliver(heartbeat(1, [hosted(1, p0)]));
    const sent = d.take();
    expect(assignsTo(sent, 1).map((a) => a.partition)).toEqual([1]);
    expect(assignsTo(sent, 2)).toEqual([]);
    d.deliver(heartbeat(1, [hosted(1, p0), hosted(1, partition(d, 't', 1))]));
    expect(assignsTo(d.take(), 1)).toEqual([]);
  });

  it('re-sends the assignment to an SPU that holds the replica at an older epoch', () => {
    const d = clusterWithTopic([1, 2, 3], 't', 1, 2);
    d.deliver({ type: 'SpuLost', spuId: 1 }); // leader 1 lost; 2 elected, epoch 1
    const p = partition(d, 't');
    expect(p.epoch).toBe(1);
    d.take();
    d.deliver(heartbeat(2, [report({ topic: 't', partition: 0, spuId: 2, epoch: 0 })]));
    expect(assignsTo(d.take(), 2)).toMatchObject([{ epoch: 1, leader: p.leader }]);
  });

  it('sends ReplicaRemove for a hosted replica that is not assigned to the SPU', () => {
    const d = clusterWithTopic([1, 2], 't', 1, 1); // t/0 on SPU 1 only
    d.deliver(heartbeat(2, [report({ topic: 't', partition: 0, spuId: 2 }), report({ topic: 'gone', partition: 3, spuId: 2 })]));
    const removes = ActorDriver.ofType<ReplicaRemove>(d.take(), 'ReplicaRemove');
    expect(removes.map((r) => [r.to, r.msg.topic, r.msg.partition])).toEqual([[spuActorId(2), 't', 0], [spuActorId(2), 'gone', 3]]);
  });

  it('does not reconcile on a heartbeat that is not full (a status forward)', () => {
    const d = clusterWithTopic([1, 2], 't', 2, 2);
    d.deliver(heartbeat(1, [report({ topic: 'gone', partition: 0, spuId: 1 })], false));
    const sent = d.take();
    expect(assignsTo(sent, 1)).toEqual([]);
    expect(ActorDriver.ofType<ReplicaRemove>(sent, 'ReplicaRemove')).toEqual([]);
  });

  it('deleteTopic removes every replica of the topic', () => {
    const d = clusterWithTopic([1, 2], 't', 2, 2);
    expect(admin(d, { op: 'deleteTopic', name: 't' }).error).toBeUndefined();
    const removes = ActorDriver.ofType<ReplicaRemove>(d.take(), 'ReplicaRemove').map((r) => `${r.to} ${r.msg.partition}`);
    expect(removes.sort()).toEqual([`${spuActorId(1)} 0`, `${spuActorId(1)} 1`, `${spuActorId(2)} 0`, `${spuActorId(2)} 1`]);
  });
});
