/**
 * Planted bugs, for tests only: each makes the simulated cluster break one promise on purpose, so
 * a test can prove that the checker guarding that promise bites (finds it within a few seeds and
 * prints seed, config, class and a replay command). They live at the actors' boundary (node-faults
 * `Plant`: what an actor receives or sends, its start args, its storage) — actors/ stays untouched.
 *
 * Switch: `runSeed(seed, { plant })`, or the environment variable RIVULET_SIM_PLANT for the CLI
 * (the replay command of a planted run carries it). Nothing else sets them.
 *
 *   ack-before-replication  leaders answer acks=all as acks=1 (before followers have it)  → acked-readable
 *   skip-dedup              leaders see batches without producer ids (no dedup)            → exactly-once
 *   read-uncommitted        leaders serve read_committed fetches up to LEO                  → read-committed
 *   leader-truncates-to-hw  a replica made leader first drops what lies above its own HW    → consumed-committed
 *   lose-commit             every other OffsetCommit is applied to another group           → commits
 *   stale-transition        the SC publishes a status change with a stale `from`          → transitions
 *   stale-hw                leaders report an older HW now and then                        → hw-monotonic
 *   corrupt-follower        the highest SPU stores one byte differently (CRC redone)        → converged
 *   confirm-extra-spu       the SC confirms an SPU id it was not configured with            → confirmed-spus
 *   space-lie               replicas see free space on a full disk                         → out-of-space
 *   stuck-follower          the highest SPU's followers never get fetch answers           → liveness
 *   sc-misses-timeouts      the SC's tick (its heartbeat-timeout check) is lost            → detection
 */
import type { ActorId, Message } from '../runtime/actor.js';
import { isReplicaId, nodeOf, SC_ID, spuOf } from '../runtime/actor-ids.js';
import type { Plant } from '../sim/node-faults.js';
import { BatchLayout } from '../storage/batch-layout.js';
import { crc32c } from '../storage/crc32c.js';
import type { PartitionLog, StorageBudget } from '../storage/index.js';
import type { Fetch, Produce, ReplicaAssign, ReplicaFetchReply, ReplicaReport, SpuRegister, StatusEvent } from '../../actors/messages.js';
import type { OffsetCommit } from '../../actors/groups/messages.js';

const SC_BEHAVIOR = 'sc'; // the SC's behaviour name in actors/behaviors.ts

/** Replica reports travel in ReportReply and ReplicaStatus messages. */
function hasReport(m: Message): m is Message & { report: ReplicaReport } {
  return m.type === 'ReportReply' || m.type === 'ReplicaStatus';
}

export const PLANTS = [
  'ack-before-replication', 'skip-dedup', 'read-uncommitted', 'leader-truncates-to-hw', 'lose-commit', 'stale-transition',
  'stale-hw', 'corrupt-follower', 'confirm-extra-spu', 'space-lie', 'stuck-follower', 'sc-misses-timeouts',
] as const;
export type PlantName = (typeof PLANTS)[number];

/** The environment switch for the CLI (tests pass the option instead). */
export const PLANT_ENV = 'RIVULET_SIM_PLANT';

export function isPlantName(s: string): s is PlantName {
  return (PLANTS as readonly string[]).includes(s);
}

/** A batch copy with new producer fields / one changed byte, CRC recomputed. */
function rewriteBatch(batch: Uint8Array, edit: (b: Uint8Array, dv: DataView) => void): Uint8Array {
  const b = batch.slice();
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  edit(b, dv);
  dv.setUint32(BatchLayout.crc, crc32c(b, BatchLayout.attributes));
  return b;
}

/** The plant for `name`, for a cluster of `spus` SPUs. */
export function makePlant(name: PlantName, spus: number): Plant {
  switch (name) {
    case 'ack-before-replication':
      return { message: (to, m) => (m.type === 'Produce' && (m as Produce).acks === 'all' ? { ...(m as Produce), acks: 1 } as Produce : m) };
    case 'skip-dedup':
      return {
        message: (to, m) => {
          if (m.type !== 'Produce') return m;
          const p = m as Produce;
          const batch = rewriteBatch(p.batch, (_b, dv) => {
            dv.setBigInt64(BatchLayout.producerId, -1n);
            dv.setInt16(BatchLayout.producerEpoch, -1);
            dv.setInt32(BatchLayout.baseSequence, -1);
          });
          return { ...p, batch } as Produce;
        },
      };
    case 'read-uncommitted':
      return { message: (to, m) => (m.type === 'Fetch' ? { ...(m as Fetch), isolation: 'read_uncommitted' } as Fetch : m) };
    case 'leader-truncates-to-hw': {
      const logs = new Map<ActorId, PartitionLog>();
      const epochs = new Map<ActorId, number>();
      return {
        storage: (id, storage) => (!isReplicaId(id) ? storage : {
          ...storage,
          openLog: (spu, topic, partition, config) => {
            const log = storage.openLog(spu, topic, partition, config);
            logs.set(id, log);
            return log;
          },
        }),
        message: (to, m) => {
          if (m.type !== 'ReplicaAssign') return m;
          const a = m as ReplicaAssign;
          const log = logs.get(to);
          if (log && a.leader === spuOf(to) && a.epoch > (epochs.get(to) ?? 0)) log.truncateTo(log.hw);
          epochs.set(to, Math.max(epochs.get(to) ?? 0, a.epoch));
          return m;
        },
      };
    }
    case 'lose-commit': {
      let n = 0;
      return {
        message: (to, m) => {
          if (to !== SC_ID || m.type !== 'OffsetCommit' || n++ % 2 === 0) return m;
          const c = m as OffsetCommit;
          return { ...c, groupId: `${c.groupId}~lost` } as OffsetCommit;
        },
      };
    }
    case 'stale-transition':
      return {
        outbound: (from, to, m) => {
          if (from !== SC_ID || m.type !== 'StatusEvent') return m;
          const e = (m as StatusEvent).event;
          return e.to === 'ElectionLeaderFound' ? { ...(m as StatusEvent), event: { ...e, from: 'Online' } } as StatusEvent : m;
        },
      };
    case 'stale-hw': {
      const history = new Map<ActorId, number[]>();
      const stale = (from: ActorId, r: ReplicaReport): ReplicaReport => {
        if (!r.leader) return r;
        const h = history.get(from) ?? [];
        history.set(from, h);
        h.push(r.hw);
        return h.length % 4 === 0 && h.length > 4 ? { ...r, hw: h[h.length - 5]! } : r;
      };
      return {
        outbound: (from, to, m) => {
          if (!isReplicaId(from)) return m;
          if (hasReport(m)) {
            const changed: Message & { report: ReplicaReport } = { ...m, report: stale(from, m.report) };
            return changed;
          }
          return m;
        },
      };
    }
    case 'corrupt-follower':
      return {
        message: (to, m) => {
          if (m.type !== 'ReplicaFetchReply' || spuOf(to) !== spus) return m;
          const r = m as ReplicaFetchReply;
          if (r.batches.length === 0) return m;
          const last = r.batches.length - 1;
          // The byte before the last record's header count: its value's last byte (or its length).
          const batches = r.batches.map((b, i) => (i === last && b.length > BatchLayout.headerBytes + 2 ? rewriteBatch(b, (x) => void (x[x.length - 2] ^= 0x20)) : b));
          return { ...r, batches } as ReplicaFetchReply;
        },
      };
    case 'confirm-extra-spu': {
      let registered = false;
      return {
        args: (behavior, _id, args) => (behavior === SC_BEHAVIOR ? { ...(args as object), spuIds: [...(args as { spuIds: number[] }).spuIds, spus + 1] } : args),
        message: (to, m) => {
          if (to !== SC_ID || m.type !== 'SpuRegister' || registered || (m as SpuRegister).spuId !== 1) return m;
          registered = true;
          return { ...(m as SpuRegister), spuId: spus + 1, reports: [] } as SpuRegister;
        },
      };
    }
    case 'space-lie':
      return {
        storage: (id, storage) => {
          if (!isReplicaId(id)) return storage;
          return {
            ...storage,
            openLog: storage.openLog.bind(storage),
            budget: (spuId: number) => {
              const real = storage.budget(spuId);
              return Object.defineProperty(Object.create(real) as object, 'full', { get: () => false }) as StorageBudget;
            },
          };
        },
      };
    case 'stuck-follower':
      return { message: (to, m) => (m.type === 'ReplicaFetchReply' && nodeOf(to) === spus ? null : m) };
    case 'sc-misses-timeouts':
      return { message: (to, m) => (to === SC_ID && m.type === 'Tick' ? null : m) };
  }
}
