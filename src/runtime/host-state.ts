/**
 * Small pieces both hosts' storage providers share: one StorageBudget per SPU (created on first
 * use with the host's capacity), and SC state kept as JSON text in memory (so a reader sees only
 * what was saved, never a live object).
 */
import { StorageBudget } from '../storage/index.js';

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

export class MemoryStateStore {
  private readonly states = new Map<string, string>();

  load(name: string): unknown {
    const s = this.states.get(name);
    return s === undefined ? undefined : JSON.parse(s);
  }

  save(name: string, value: unknown): void {
    this.states.set(name, JSON.stringify(value));
  }
}
