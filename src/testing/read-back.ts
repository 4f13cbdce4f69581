/**
 * The end of a simulation run: read every partition back through the embedded API (read_committed,
 * from the beginning up to the HW the listing shows), and compare the replicas' logs byte for byte
 * (only once they converged: before, they may legitimately differ).
 *
 * A partition that is not Online is not read (its failure is the convergence bound's, liveness):
 * a consumer of a leaderless partition would retry forever.
 */
import type { Cluster } from '../cluster/cluster.js';
import { Offset } from '../cluster/offset.js';
import type { SimHost } from '../sim/sim-host.js';
import { checkConverged, type LogRecord, type Violation } from './checkers.js';

const decoder = new TextDecoder();

export async function readBack(c: Cluster, sim: SimHost, converged: boolean): Promise<{ records: LogRecord[]; problems: Violation[] }> {
  const records: LogRecord[] = [];
  const problems: Violation[] = [];
  for (const p of await c.admin.listPartitions()) {
    if (p.resolution !== 'Online') continue;
    if (p.hw > p.base) {
      const consumer = await c.consumer(p.topic, { partition: p.partition, offset: Offset.beginning() });
      for await (const b of consumer.batches()) {
        for (const r of b.records) records.push({ topic: p.topic, partition: p.partition, offset: r.offset, value: decoder.decode(r.value) });
        if (b.lastOffset >= p.hw - 1) break;
      }
      consumer.close();
    }
    if (!converged) continue;
    const logs = [p.leader, ...p.replicas].map((spu) => {
      const log = sim.storage.openLog(spu, p.topic, p.partition, {});
      return { spu, bytes: log.leo > log.base ? log.read(log.base, { maxOffset: log.leo, maxBytes: 1 << 30 }).batches : [] };
    });
    problems.push(...checkConverged(`${p.topic}/${p.partition}`, logs));
  }
  return { records, problems };
}
