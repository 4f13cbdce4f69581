/**
 * Storage for the sim host: memory-mode partition logs, one StorageBudget per SPU, and SC state
 * kept as JSON strings (so a "restart" sees only what was saved). Time for retention comes from
 * the virtual clock. Fault hooks (fill/free storage) act on the budgets.
 */
import { PartitionLog, type LogConfig } from '../storage/index.js';
import { HostStorage } from '../runtime/host-state.js';

export class SimStorage extends HostStorage {
  private readonly logs = new Map<string, PartitionLog>();

  constructor(
    private readonly now: () => number,
    storageBytes: number = Infinity,
  ) {
    super(storageBytes);
  }

  private key(spuId: number, topic: string, partition: number): string {
    return `${spuId}/${topic}-${partition}`;
  }

  openLog(spuId: number, topic: string, partition: number, config: Partial<LogConfig>): PartitionLog {
    const k = this.key(spuId, topic, partition);
    const existing = this.logs.get(k);
    if (existing) return existing; // memory mode: a restarted replica finds its log as it was
    const log = PartitionLog.openMemory(config, { now: this.now, budget: this.budget(spuId) });
    this.logs.set(k, log);
    return log;
  }

  removeLog(spuId: number, topic: string, partition: number): void {
    const k = this.key(spuId, topic, partition);
    const log = this.logs.get(k);
    if (!log) return;
    log.truncateTo(log.base);
    log.close();
    this.logs.delete(k);
  }
}
