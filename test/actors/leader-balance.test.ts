/**
 * Leader balance in the SC (actors/sc/leader-balance.ts), on the fake context: after a failover
 * the SC considers partitions whose preferred replica is back in the (SC-owned) in-sync set, asks
 * the current leader for a fresh report and moves leadership back only when that report lists the
 * preferred replica as caught up (so acks=1 records above the HW are not cut either); the move bumps the epoch, puts the preferred
 * replica first, keeps the partition Online and is persisted; rebalanceLeaders answers the moves.
 */
import { describe, it, expect } from 'vitest';
import { replicaActorId, type AdminReply, type LeaderMove, type ReportRequest } from '../../actors/messages.js';
import { ActorDriver } from './fake-context.js';
import { CLIENT, HEARTBEAT_MS, assignsTo, clusterWithTopic, heartbeat, partition, register, report, startSc } from './sc-harness.js';

/** Topic 't' on SPUs 1,2 (RF 2), preferred leader 1, failed over to 2 at epoch 1 and Online there. */
function failedOver() {
  const d = clusterWithTopic([1, 2], 't', 1, 2);
  expect(partition(d, 't').leader).toBe(1);
  d.deliver(heartbeat(1, [report({ topic: 't', partition: 0, spuId: 1, leader: true, inSync: [1, 2] })], false));
  d.deliver({ type: 'SpuLost', spuId: 1 }); // SPU 1 crashes: election, 1 leaves the in-sync set
  expect(partition(d, 't')).toMatchObject({ leader: 2, epoch: 1, inSync: [2] });
  const leader2 = (caughtUp: number[], seq: number) => report({ topic: 't', partition: 0, spuId: 2, leader: true, epoch: 1, inSync: [1, 2], isrVersion: 2, caughtUp, seq });
  d.deliver(heartbeat(2, [leader2([], 1)], false));
  expect(partition(d, 't')).toMatchObject({ leader: 2, epoch: 1, resolution: 'Online' });
  d.deliver(register(1, [report({ topic: 't', partition: 0, spuId: 1, epoch: 1, leo: 0 })])); // back, following
  d.advance(HEARTBEAT_MS);
  expect(ActorDriver.ofType<ReportRequest>(d.take(), 'ReportRequest')).toEqual([]); // not in sync yet: not asked
  d.deliver({ type: 'AlterIsr', topic: 't', partition: 0, spuId: 2, epoch: 1, isrVersion: 1, isr: [1, 2] }); // caught up
  expect(partition(d, 't').inSync).toEqual([1, 2]);
  d.take();
  return { d, leader2 };
}

function answerReportRequests(d: ActorDriver, r: ReturnType<typeof report>): number {
  const reqs = ActorDriver.ofType<ReportRequest>(d.take(), 'ReportRequest').filter((s) => s.to === replicaActorId('t', 0, 2));
  for (const q of reqs) d.deliver({ type: 'ReportReply', token: q.msg.token, report: r });
  return reqs.length;
}

describe('SC leader balance', () => {
  it('moves leadership back only when the fresh leader report says the preferred replica is caught up', () => {
    const { d, leader2 } = failedOver();
    d.advance(HEARTBEAT_MS);
    expect(answerReportRequests(d, leader2([], 2))).toBe(1); // asked, but 1 is only in sync
    expect(partition(d, 't').leader).toBe(2);
    d.deliver(heartbeat(1, [report({ topic: 't', partition: 0, spuId: 1, epoch: 1 })], false));
    d.advance(HEARTBEAT_MS);
    expect(answerReportRequests(d, leader2([1], 3))).toBe(1);
    const p = partition(d, 't');
    expect(p).toMatchObject({ leader: 1, epoch: 2, resolution: 'Online', replicas: [2] });
    const sent = d.take();
    expect(assignsTo(sent, 1).at(-1)).toMatchObject({ leader: 1, epoch: 2, replicas: [1, 2] });
    expect(assignsTo(sent, 2).at(-1)).toMatchObject({ leader: 1, epoch: 2 });
    // Persisted: a restarted SC keeps the new leader and the preferred one.
    expect(partition(startSc([1, 2], d.ctx.storage), 't')).toMatchObject({ leader: 1, epoch: 2 });
  });

  it('rebalanceLeaders answers with the moves after the fresh reports', () => {
    const { d, leader2 } = failedOver();
    d.deliver({ type: 'AdminRequest', reqId: 9001, replyTo: CLIENT, op: 'rebalanceLeaders' });
    answerReportRequests(d, leader2([1], 2));
    const replies = ActorDriver.ofType<AdminReply>(d.ctx.sent, 'AdminReply').filter((s) => s.msg.reqId === 9001);
    expect(replies.map((r) => r.msg.result as LeaderMove[])).toEqual([[{ topic: 't', partition: 0, from: 2, to: 1, epoch: 2 }]]);
  });

  it('never moves a partition whose preferred SPU is offline, or that is already balanced', () => {
    const d = clusterWithTopic([1, 2], 't', 1, 2);
    d.deliver(heartbeat(1, [report({ topic: 't', partition: 0, spuId: 1, leader: true, inSync: [1, 2], caughtUp: [2] })], false));
    d.advance(HEARTBEAT_MS * 3);
    expect(ActorDriver.ofType<ReportRequest>(d.take(), 'ReportRequest')).toEqual([]);
    expect(partition(d, 't')).toMatchObject({ leader: 1, epoch: 0 });
  });
});
