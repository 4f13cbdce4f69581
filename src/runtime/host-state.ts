/**
 * Small pieces both hosts' storage providers share: one StorageBudget per SPU (created on first
 * use with the host's capacity), and SC state kept as JSON text in memory (so a reader sees only
 * what was saved, never a live object).
 */
import { StorageBudget, type LogConfig, type PartitionLog } from '../storage/index.js';
import type { StorageProvider } from './actor.js';

export class SpuBudgets {
  private readonly budgets = new Map<number, StorageBudget>();
  constructor(private readonly capacityBytes: number) {}

  get(spuId: number): StorageBudget {
    let b = this.budgets.get(spuId);
    if (!b) {
      b = new StorageBudget(this.capacityBytes);
      this.budgets.set(spuId, b);
    }
    return b;
  }
}

/** JSON that keeps ±Infinity (a topic's `retentionMs: Infinity` must survive a restart). */
export const stateJson = {
  stringify: (value: unknown): string => JSON.stringify(value, (_k, v: unknown) => (v === Infinity ? '__+Infinity__' : v === -Infinity ? '__-Infinity__' : v)),
  parse: (text: string): unknown => JSON.parse(text, (_k, v: unknown) => (v === '__+Infinity__' ? Infinity : v === '__-Infinity__' ? -Infinity : v)),
};

export class MemoryStateStore {
  private readonly states = new Map<string, string>();

  load(name: string): unknown {
    const s = this.states.get(name);
    return s === undefined ? undefined : stateJson.parse(s);
  }

  save(name: string, value: unknown): void {
    this.states.set(name, stateJson.stringify(value));
  }
}

/** What every host's StorageProvider shares: per-SPU budgets and in-memory state. */
export abstract class HostStorage implements StorageProvider {
  protected readonly budgets: SpuBudgets;
  protected readonly states = new MemoryStateStore();

  constructor(storageBytes: number) {
    this.budgets = new SpuBudgets(storageBytes);
  }

  abstract openLog(spuId: number, topic: string, partition: number, config: Partial<LogConfig>): PartitionLog;
  abstract removeLog(spuId: number, topic: string, partition: number): void;

  budget(spuId: number): StorageBudget {
    return this.budgets.get(spuId);
  }

  loadState(name: string): unknown {
    return this.states.load(name);
  }

  saveState(name: string, value: unknown): void {
    this.states.save(name, value);
  }
}
