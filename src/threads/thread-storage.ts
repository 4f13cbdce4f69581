/**
 * StorageProvider for actors in a worker: memory or disk partition logs (disk: files under
 * <home>/spu-<id>/<topic>-<partition>/), one StorageBudget per SPU, and a tail ring per replica
 * (a SAB ring in overwrite mode fed through the log's TailSink) announced to the main thread so
 * consumers there read the log tail in place.
 *
 * Tail rings grow on demand (storage/ring-grow.ts): a replica starts with a TAIL_RING_INITIAL_BYTES
 * ring and doubles it, up to `ringBytes`, when a batch would overwrite older ones or does not fit;
 * every new ring is announced (readers finish a grown ring, then follow). 1,000 idle replicas cost
 * 1,000 × 17 KiB of ring, not 1,000 × ringBytes (default 2 MiB). A ring grows only once a reader
 * read it in place (growWhenRead): followers' rings and partitions nobody here reads stay small.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PartitionLog, GrowingRingWriter, RingCounter, type LogConfig, type TailSink } from '../storage/index.js';
import { HostStorage } from '../runtime/host-state.js';

export interface ThreadStorageOptions {
  mode: 'memory' | 'disk';
  home?: string;
  storageBytes: number;
  /** Largest tail ring per replica (power of two); rings start at min(TAIL_RING_INITIAL_BYTES, this). */
  ringBytes: number;
  announceRing(replica: string, sab: SharedArrayBuffer): void;
  replicaId(spuId: number, topic: string, partition: number): string;
}

/** First capacity of a replica's tail ring (grows by doubling up to `ringBytes`). */
export const TAIL_RING_INITIAL_BYTES = 16 * 1024;

/**
 * Feeds a replica's tail ring. A truncation (a follower dropping a diverged tail) replaces the
 * ring with a fresh one, announced again: readers of the old ring see it closed and the new one
 * never holds bytes the log no longer has. Removing the log closes the ring. A batch larger than
 * the largest ring's frame limit is not put in the ring (readers fetch it).
 */
class RingSink implements TailSink {
  private readonly w: GrowingRingWriter;
  private closed = false;

  constructor(ringBytes: number, announce: (sab: SharedArrayBuffer) => void) {
    this.w = new GrowingRingWriter({ initialBytes: Math.min(TAIL_RING_INITIAL_BYTES, ringBytes), maxBytes: ringBytes, announce, growWhenRead: true });
  }

  append(batch: Uint8Array): void {
    if (!this.closed) this.w.write(batch);
  }

  truncate(leo: number): void {
    if (this.closed) return;
    const base = Math.min(this.w.counter(RingCounter.base), leo);
    const hw = Math.min(this.w.counter(RingCounter.hw), leo);
    this.w.replace();
    this.w.setCounter(RingCounter.base, base);
    this.w.setCounter(RingCounter.hw, hw);
    this.w.setCounter(RingCounter.leo, leo);
  }

  publish(o: { base: number; hw: number; leo: number }): void {
    if (this.closed) return;
    this.w.setCounter(RingCounter.base, o.base);
    this.w.setCounter(RingCounter.leo, o.leo);
    this.w.setCounter(RingCounter.hw, o.hw);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.w.close();
  }
}

export class ThreadStorage extends HostStorage {
  private readonly logs = new Map<string, PartitionLog>();
  private readonly sinks = new Map<string, RingSink>();

  constructor(private readonly opts: ThreadStorageOptions) {
    super(opts.storageBytes);
  }

  private dir(spuId: number, topic: string, partition: number): string {
    return path.join(this.opts.home!, `spu-${spuId}`, `${topic}-${partition}`);
  }

  openLog(spuId: number, topic: string, partition: number, config: Partial<LogConfig>): PartitionLog {
    const id = this.opts.replicaId(spuId, topic, partition);
    const existing = this.logs.get(id);
    if (existing) return existing;
    const sink = new RingSink(this.opts.ringBytes, (sab) => this.opts.announceRing(id, sab));
    const deps = { now: () => Date.now(), budget: this.budget(spuId), sink };
    const log =
      this.opts.mode === 'disk'
        ? PartitionLog.openDisk(this.dir(spuId, topic, partition), config, deps)
        : PartitionLog.openMemory(config, deps);
    sink.publish({ base: log.base, hw: log.hw, leo: log.leo });
    this.logs.set(id, log);
    this.sinks.set(id, sink);
    return log;
  }

  removeLog(spuId: number, topic: string, partition: number): void {
    const id = this.opts.replicaId(spuId, topic, partition);
    this.sinks.get(id)?.close(); // readers see the ring closed; nothing more is written to it
    this.sinks.delete(id);
    const log = this.logs.get(id);
    if (log) {
      log.truncateTo(log.base);
      log.close();
      this.logs.delete(id);
    }
    if (this.opts.mode === 'disk') fs.rmSync(this.dir(spuId, topic, partition), { recursive: true, force: true });
  }

  closeAll(): void {
    for (const log of this.logs.values()) {
      log.checkpoint();
      log.close();
    }
    this.logs.clear();
  }
}
