/**
 * SPU behaviour: registers with the SC (retrying every heartbeatMs until confirmed), heartbeats
 * every heartbeatMs with its replicas' storage reports, starts/stops replica actors on the SC's
 * assignments, and forwards replica status changes to the SC (coalesced: at most one forward per
 * turn burst, as a heartbeat that is not `full`). Only changes the SC acts on are forwarded at
 * once — a new incarnation, leadership, epoch, space, the in-sync set, who is caught up; a report
 * that only moves HW/LEO/size waits for the next full heartbeat (a produce round trip costs no
 * message to the SC; a fresh listing asks the replicas anyway).
 *
 * Invariants:
 * - A replica actor exists here iff the SC assigned it and did not remove it since; a repeated
 *   ReplicaAssign is passed to the running replica (leader/epoch change), never a second spawn; a
 *   repeated ReplicaRemove stops nothing twice.
 * - A heartbeat is `full` iff it carries the report of every replica this SPU hosts (the SC
 *   reconciles assignments against it); a status forward carries only the changed ones.
 * - Reports of replicas not (or no longer) hosted here are dropped.
 */
import type { Actor, Context, Message } from '../../src/runtime/actor.js';
import {
  replicaActorId, spuActorId, type ReplicaAssign, type ReplicaRemove, type ReplicaReport, type SpuMessage,
} from '../messages.js';
import type { ReplicaArgs } from '../replica/replica.js';
import { messageGuard, scheduleSpu, toReplica, toSc, unexpected } from '../send.js';

export interface SpuArgs {
  spuId: number;
  heartbeatMs: number;
}

const isSpuMessage = messageGuard<SpuMessage>({
  SpuRegistered: true, ReplicaAssign: true, ReplicaRemove: true, ReplicaStatus: true, Tick: true, FlushStatus: true,
});

const key = (topic: string, partition: number) => `${topic}/${partition}`;

class Spu {
  private readonly reports = new Map<string, ReplicaReport>();
  private readonly dirty = new Set<string>();
  private readonly replicas = new Set<string>();
  private registered = false;
  /** When this SPU process started: the SC tells a restart (a new incarnation) from a retried register. */
  private incarnation = 0;
  private flushScheduled = false;

  constructor(private readonly spuId: number, private readonly heartbeatMs: number) {}

  start(ctx: Context): void {
    this.incarnation = ctx.now();
    this.register(ctx);
    scheduleSpu(ctx, this.heartbeatMs, { type: 'Tick' });
  }

  receive(ctx: Context, msg: SpuMessage): void {
    switch (msg.type) {
      case 'SpuRegistered':
        this.registered = true;
        return;
      case 'Tick':
        if (this.registered) this.heartbeat(ctx);
        else this.register(ctx);
        scheduleSpu(ctx, this.heartbeatMs, { type: 'Tick' });
        return;
      case 'ReplicaAssign':
        return this.onAssign(ctx, msg);
      case 'ReplicaRemove':
        return this.onRemove(ctx, msg);
      case 'ReplicaStatus':
        return this.onStatus(ctx, msg.report);
      case 'FlushStatus':
        this.flushScheduled = false;
        if (this.dirty.size > 0 && this.registered) {
          this.heartbeat(ctx, this.dirty);
          this.dirty.clear();
        }
        return;
    }
  }

  private register(ctx: Context): void {
    toSc(ctx, { type: 'SpuRegister', spuId: this.spuId, incarnation: this.incarnation, reports: [...this.reports.values()] });
  }

  /** A full heartbeat, or (with `only`) a forward of the changed reports. */
  private heartbeat(ctx: Context, only?: Set<string>): void {
    const list = only ? [...only].map((k) => this.reports.get(k)).filter((r): r is ReplicaReport => !!r) : [...this.reports.values()];
    const storageFull = ctx.storage.budget(this.spuId).full;
    toSc(ctx, { type: 'SpuHeartbeat', spuId: this.spuId, reports: list, storageFull, full: only === undefined });
  }

  private onAssign(ctx: Context, a: ReplicaAssign): void {
    const id = replicaActorId(a.topic, a.partition, this.spuId);
    if (this.replicas.has(id)) {
      toReplica(ctx, id, a); // leader or epoch change: the replica adapts
      return;
    }
    this.replicas.add(id);
    const args: ReplicaArgs = {
      spuId: this.spuId, topic: a.topic, partition: a.partition, leader: a.leader, replicas: a.replicas,
      epoch: a.epoch, config: a.config, statusSpu: spuActorId(this.spuId),
    };
    ctx.spawn({ id, behavior: 'replica', args, spuId: this.spuId });
  }

  private onRemove(ctx: Context, r: ReplicaRemove): void {
    const id = replicaActorId(r.topic, r.partition, this.spuId);
    if (this.replicas.delete(id)) ctx.stop(id);
    ctx.storage.removeLog(this.spuId, r.topic, r.partition);
    this.reports.delete(key(r.topic, r.partition));
    this.dirty.delete(key(r.topic, r.partition));
  }

  private onStatus(ctx: Context, report: ReplicaReport): void {
    const k = key(report.topic, report.partition);
    if (!this.replicas.has(replicaActorId(report.topic, report.partition, this.spuId))) return;
    const prev = this.reports.get(k);
    this.reports.set(k, report);
    if (!urgent(prev, report)) return; // goes with the next full heartbeat
    this.dirty.add(k);
    if (!this.flushScheduled && this.registered) {
      this.flushScheduled = true;
      scheduleSpu(ctx, 0, { type: 'FlushStatus' });
    }
  }
}

/** Whether `r` changes what the SC acts on, compared with the replica's previous report. */
function urgent(prev: ReplicaReport | undefined, r: ReplicaReport): boolean {
  return prev === undefined || prev.incarnation !== r.incarnation || prev.leader !== r.leader || prev.epoch !== r.epoch
    || prev.outOfSpace !== r.outOfSpace || prev.isrVersion !== r.isrVersion || prev.lastEpoch !== r.lastEpoch
    || String(prev.inSync) !== String(r.inSync) || String(prev.caughtUp) !== String(r.caughtUp);
}

export function createSpu(rawArgs: unknown): Actor {
  const { spuId, heartbeatMs } = rawArgs as SpuArgs;
  const spu = new Spu(spuId, heartbeatMs);
  return {
    onStart: (ctx: Context) => spu.start(ctx),
    receive(msg: Message, ctx: Context) {
      if (isSpuMessage(msg)) spu.receive(ctx, msg);
      else unexpected(ctx, 'SPU', msg);
    },
  };
}
