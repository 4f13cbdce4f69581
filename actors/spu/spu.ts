/**
 * SPU behaviour: registers with the SC (retrying until confirmed), heartbeats every heartbeatMs
 * with its replicas' storage reports, starts/stops replica actors on the SC's assignments, and
 * forwards replica status changes to the SC (coalesced: at most one forward per turn burst).
 *
 * Invariant: a replica actor exists here iff the SC assigned it and did not remove it since.
 */
import type { Actor, Context, Message } from '../../src/runtime/actor.js';
import {
  SC_ID, replicaActorId, spuActorId, type ReplicaAssign, type ReplicaRemove, type ReplicaReport, type ReplicaStatus,
} from '../messages.js';
import type { ReplicaArgs } from '../replica/replica.js';

export interface SpuArgs {
  spuId: number;
  heartbeatMs: number;
}

export function createSpu(rawArgs: unknown): Actor {
  const { spuId, heartbeatMs } = rawArgs as SpuArgs;
  const reports = new Map<string, ReplicaReport>();
  const dirty = new Set<string>();
  const replicas = new Set<string>();
  let registered = false;
  let flushScheduled = false;

  const key = (topic: string, partition: number) => `${topic}/${partition}`;

  function register(ctx: Context): void {
    ctx.send(SC_ID, { type: 'SpuRegister', spuId, reports: [...reports.values()] } as Message);
  }

  function heartbeat(ctx: Context, only?: Set<string>): void {
    const list = only ? [...only].map((k) => reports.get(k)).filter((r): r is ReplicaReport => !!r) : [...reports.values()];
    ctx.send(SC_ID, { type: 'SpuHeartbeat', spuId, reports: list, storageFull: ctx.storage.budget(spuId).full, full: only === undefined } as Message);
  }

  return {
    onStart(ctx) {
      register(ctx);
      ctx.schedule(heartbeatMs, { type: 'Tick' });
    },
    receive(msg, ctx) {
      switch (msg.type) {
        case 'SpuRegistered':
          registered = true;
          return;
        case 'Tick':
          if (registered) heartbeat(ctx);
          else register(ctx);
          ctx.schedule(heartbeatMs, { type: 'Tick' });
          return;
        case 'ReplicaAssign': {
          const a = msg as ReplicaAssign;
          const id = replicaActorId(a.topic, a.partition, spuId);
          if (replicas.has(id)) {
            ctx.send(id, a); // leader or epoch change: the replica adapts
            return;
          }
          replicas.add(id);
          const args: ReplicaArgs = {
            spuId, topic: a.topic, partition: a.partition, leader: a.leader, replicas: a.replicas,
            epoch: a.epoch, config: a.config, statusSpu: spuActorId(spuId),
          };
          ctx.spawn({ id, behavior: 'replica', args, spuId });
          return;
        }
        case 'ReplicaRemove': {
          const r = msg as ReplicaRemove;
          const id = replicaActorId(r.topic, r.partition, spuId);
          if (replicas.delete(id)) ctx.stop(id);
          ctx.storage.removeLog(spuId, r.topic, r.partition);
          reports.delete(key(r.topic, r.partition));
          dirty.delete(key(r.topic, r.partition));
          return;
        }
        case 'ReplicaStatus': {
          const { report } = msg as ReplicaStatus;
          const k = key(report.topic, report.partition);
          if (!replicas.has(replicaActorId(report.topic, report.partition, spuId))) return;
          reports.set(k, report);
          dirty.add(k);
          if (!flushScheduled && registered) {
            flushScheduled = true;
            ctx.schedule(0, { type: 'FlushStatus' });
          }
          return;
        }
        case 'FlushStatus':
          flushScheduled = false;
          if (dirty.size > 0 && registered) {
            heartbeat(ctx, dirty);
            dirty.clear();
          }
          return;
        default:
          ctx.log.warn({ type: msg.type }, 'SPU: unexpected message');
      }
    },
  };
}
