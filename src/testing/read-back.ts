/**
 * The end of a simulation run: what each partition's log holds — its leader's log (as the SC lists
 * it) from BASE up to its HW, read from the simulated storage — and whether the replicas' logs
 * are byte-identical (only once they converged: before, they may legitimately differ).
 *
 * Reading the storage, not a consumer: a consumer of a partition whose listed HW is never reached
 * (no convergence) would poll forever; the consume path is judged by the workload's consumers,
 * whose every record must be found here (consumed-committed).
 */
import type { Cluster } from '../cluster/cluster.js';
import { decodeBatch } from '../storage/index.js';
import type { SimHost } from '../sim/sim-host.js';
import { checkConverged, type LogRecord, type Violation } from './checkers.js';

const decoder = new TextDecoder();

export async function readBack(c: Cluster, sim: SimHost, converged: boolean): Promise<{ records: LogRecord[]; problems: Violation[] }> {
  const records: LogRecord[] = [];
  const problems: Violation[] = [];
  for (const p of await c.admin.listPartitions()) {
    const read = (spu: number, upTo: number): Uint8Array[] => {
      const log = sim.storage.openLog(spu, p.topic, p.partition, {});
      const end = Math.min(upTo, log.leo);
      return end > log.base ? log.read(log.base, { maxOffset: end, maxBytes: 1 << 30 }).batches : [];
    };
    const leaderLog = sim.storage.openLog(p.leader, p.topic, p.partition, {});
    for (const b of read(p.leader, leaderLog.hw)) {
      for (const r of decodeBatch(b).records) records.push({ topic: p.topic, partition: p.partition, offset: r.offset, value: decoder.decode(r.value) });
    }
    if (!converged) continue;
    const logs = [p.leader, ...p.replicas].map((spu) => ({ spu, bytes: read(spu, Infinity) }));
    problems.push(...checkConverged(`${p.topic}/${p.partition}`, logs));
  }
  return { records, problems };
}
