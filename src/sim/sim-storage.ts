/**
 * Storage for the sim host: memory-mode partition logs, one StorageBudget per SPU, and SC state
 * kept as JSON strings (so a "restart" sees only what was saved). Time for retention comes from
 * the virtual clock. Fault hooks (fill/free storage) act on the budgets.
 */
import type { StorageProvider } from '../runtime/actor.js';
import { PartitionLog, StorageBudget, type LogConfig } from '../storage/index.js';

export class SimStorage implements StorageProvider {
  private readonly logs = new Map<string, PartitionLog>();
  private readonly budgets = new Map<number, StorageBudget>();
  private readonly states = new Map<string, string>();

  constructor(
    private readonly now: () => number,
    private readonly storageBytes: number = Infinity,
  ) {}

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

  budget(spuId: number): StorageBudget {
    let b = this.budgets.get(spuId);
    if (!b) {
      b = new StorageBudget(this.storageBytes);
      this.budgets.set(spuId, b);
    }
    return b;
  }

  loadState(name: string): unknown {
    const s = this.states.get(name);
    return s === undefined ? undefined : JSON.parse(s);
  }

  saveState(name: string, value: unknown): void {
    this.states.set(name, JSON.stringify(value));
  }
}
