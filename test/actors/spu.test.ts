/**
 * SPU behaviour through the fake context: registration retried until confirmed, heartbeats
 * every heartbeatMs with its replicas' reports (`full`), replica actors spawned/stopped on
 * ReplicaAssign/ReplicaRemove (repeats idempotent), status forwards coalesced into one heartbeat
 * that is not `full`, and the storage-full flag.
 */
import { describe, it, expect } from 'vitest';
import { createSpu, type SpuArgs } from '../../actors/spu/spu.js';
import {
  SC_ID, replicaActorId, spuActorId, type ReplicaAssign, type ReplicaReport, type SpuHeartbeat, type SpuRegister,
} from '../../actors/messages.js';
import type { ReplicaArgs } from '../../actors/replica/replica.js';
import { ActorDriver } from './fake-context.js';
import { report } from './sc-harness.js';

const SPU = 4;
const HB = 250;

function startSpu(): ActorDriver {
  const args: SpuArgs = { spuId: SPU, heartbeatMs: HB };
  return new ActorDriver(createSpu(args), spuActorId(SPU)).start();
}

function registeredSpu(): ActorDriver {
  const d = startSpu();
  d.deliver({ type: 'SpuRegistered', spuId: SPU });
  d.take();
  return d;
}

const assignment = (topic: string, partition: number, epoch = 0, leader = SPU): ReplicaAssign => ({
  type: 'ReplicaAssign', topic, partition, leader, replicas: [leader, ...[1, 2, SPU].filter((x) => x !== leader)], epoch, config: {},
});
const heartbeats = (d: ActorDriver) => ActorDriver.ofType<SpuHeartbeat>(d.take(SC_ID), 'SpuHeartbeat').map((s) => s.msg);
const registers = (d: ActorDriver) => ActorDriver.ofType<SpuRegister>(d.take(SC_ID), 'SpuRegister').map((s) => s.msg);
const status = (r: ReplicaReport) => ({ type: 'ReplicaStatus', report: r }) as const;
const mine = (topic: string, partition: number, extra: Partial<ReplicaReport> = {}) => report({ topic, partition, spuId: SPU, ...extra });

describe('SPU: registration and heartbeats', () => {
  it('registers on start and again every heartbeatMs until the SC confirms it', () => {
    const d = startSpu();
    expect(registers(d)).toEqual([{ type: 'SpuRegister', spuId: SPU, incarnation: 0, reports: [] }]);
    d.advance(HB);
    expect(registers(d)).toHaveLength(1);
    d.advance(HB);
    expect(registers(d)).toHaveLength(1);
    d.deliver({ type: 'SpuRegistered', spuId: SPU });
    d.advance(HB);
    const sent = d.take(SC_ID);
    expect(sent.map((s) => s.msg.type)).toEqual(['SpuHeartbeat']);
  });

  it('heartbeats every heartbeatMs with every hosted replica\'s last report, marked full', () => {
    const d = registeredSpu();
    d.deliver(assignment('a', 0)).deliver(assignment('b', 1));
    d.deliver(status(mine('a', 0, { leo: 3 }))).deliver(status(mine('b', 1, { leo: 8 })));
    d.advance(0); // the coalesced forward
    d.take();
    d.advance(HB);
    const [hb] = heartbeats(d);
    expect(hb).toMatchObject({ spuId: SPU, full: true, storageFull: false });
    expect(hb!.reports.map((r) => `${r.topic}/${r.partition}@${r.leo}`).sort()).toEqual(['a/0@3', 'b/1@8']);
    d.advance(HB);
    expect(heartbeats(d)).toHaveLength(1);
  });

  it('reports the storage-full flag of its budget', () => {
    const d = registeredSpu();
    d.ctx.storage.budget(SPU).fill();
    d.advance(HB);
    expect(heartbeats(d)[0]).toMatchObject({ storageFull: true, full: true });
  });
});

describe('SPU: replica actors follow the assignments', () => {
  it('spawns a replica actor on ReplicaAssign, once; a repeat goes to the running replica', () => {
    const d = registeredSpu();
    const a = assignment('t', 2);
    d.deliver(a);
    const id = replicaActorId('t', 2, SPU);
    expect(d.ctx.spawned).toHaveLength(1);
    const spec = d.ctx.spawned[0]!;
    expect(spec).toMatchObject({ id, behavior: 'replica', spuId: SPU });
    const args = spec.args as ReplicaArgs;
    expect(args).toEqual({ spuId: SPU, topic: 't', partition: 2, leader: SPU, replicas: a.replicas, epoch: 0, config: {}, statusSpu: spuActorId(SPU) });
    const newer = assignment('t', 2, 1, 1);
    d.deliver(a).deliver(newer);
    expect(d.ctx.spawned).toHaveLength(1);
    expect(d.take(id).map((s) => s.msg)).toEqual([a, newer]);
  });

  it('stops the replica and removes its log on ReplicaRemove; a repeat stops nothing', () => {
    const d = registeredSpu();
    d.deliver(assignment('t', 0)).deliver(status(mine('t', 0)));
    d.deliver({ type: 'ReplicaRemove', topic: 't', partition: 0 });
    expect(d.ctx.stopped).toEqual([replicaActorId('t', 0, SPU)]);
    expect(d.ctx.storage.removed).toEqual([{ spuId: SPU, topic: 't', partition: 0 }]);
    d.deliver({ type: 'ReplicaRemove', topic: 't', partition: 0 });
    expect(d.ctx.stopped).toHaveLength(1);
    d.advance(HB);
    expect(heartbeats(d).at(-1)!.reports).toEqual([]); // gone from the full heartbeat too
    d.deliver(assignment('t', 0)); // assigned again later: a fresh replica actor
    expect(d.ctx.spawned).toHaveLength(2);
  });
});

describe('SPU: status forwards', () => {
  it('coalesces status changes into one heartbeat that is not full, carrying only the changed reports', () => {
    const d = registeredSpu();
    d.deliver(assignment('a', 0)).deliver(assignment('b', 0)).deliver(assignment('c', 0));
    d.deliver(status(mine('a', 0, { seq: 1 }))).deliver(status(mine('b', 0, { seq: 1 })));
    d.advance(0);
    d.take();
    d.deliver(status(mine('a', 0, { seq: 2, leader: true }))).deliver(status(mine('a', 0, { seq: 3, leader: true, leo: 2 })));
    expect(d.ctx.pending().map((t) => t.msg.type)).toContain('FlushStatus');
    d.advance(0);
    const hbs = heartbeats(d);
    expect(hbs).toHaveLength(1);
    expect(hbs[0]).toMatchObject({ full: false });
    expect(hbs[0]!.reports.map((r) => [r.topic, r.seq])).toEqual([['a', 3]]);
  });

  it('forwards at once only what the SC acts on; HW/LEO/size alone go with the next full heartbeat', () => {
    const d = registeredSpu();
    d.deliver(assignment('a', 0));
    d.deliver(status(mine('a', 0, { seq: 1 })));
    d.advance(0);
    d.take();
    d.deliver(status(mine('a', 0, { seq: 2, leo: 5, hw: 5, sizeBytes: 500 })));
    d.advance(0);
    expect(heartbeats(d)).toEqual([]); // a produce round trip costs no message to the SC
    d.advance(HB);
    const full = heartbeats(d);
    expect(full).toMatchObject([{ full: true }]);
    expect(full[0]!.reports.map((r) => [r.seq, r.leo])).toEqual([[2, 5]]);
    for (const change of [{ leader: true }, { epoch: 1 }, { outOfSpace: true }, { incarnation: 9 }, { inSync: [1, 2] }]) {
      d.deliver(status(mine('a', 0, { seq: 3, ...change })));
      d.advance(0);
      expect(heartbeats(d), JSON.stringify(change)).toMatchObject([{ full: false }]);
      d.deliver(status(mine('a', 0, { seq: 4 }))); // back: a change again
      d.advance(0);
      d.take();
    }
  });

  it('logs a message it does not know and changes nothing', () => {
    const d = registeredSpu();
    d.deliverRaw({ type: 'AdminRequest' });
    expect(d.take()).toEqual([]);
    expect(d.warnings()).toEqual(['SPU: unexpected message']);
  });

  it('drops reports of replicas it does not host', () => {
    const d = registeredSpu();
    d.deliver(status(mine('ghost', 0)));
    d.advance(HB);
    expect(heartbeats(d)).toEqual([{ type: 'SpuHeartbeat', spuId: SPU, reports: [], storageFull: false, full: true }]);
  });

  it('before confirmation forwards nothing, but registers with the reports it holds', () => {
    const d = startSpu();
    d.take();
    d.deliver(assignment('t', 0)).deliver(status(mine('t', 0, { leo: 4 })));
    d.advance(0);
    expect(d.take(SC_ID)).toEqual([]);
    d.advance(HB);
    expect(registers(d)[0]!.reports.map((r) => r.leo)).toEqual([4]);
  });
});
