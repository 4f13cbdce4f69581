/**
 * StorageProvider for actors on the main thread (the SC): no partition logs, only small state
 * (SC metadata) — kept in memory, or in <home>/metadata/<name>.json written atomically
 * (temp file + fsync + rename) in disk mode.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { StorageProvider } from '../runtime/actor.js';
import { StorageBudget, type PartitionLog } from '../storage/index.js';
import { assert } from '../runtime/errors.js';
import { MemoryStateStore, stateJson } from '../runtime/host-state.js';

export class MainStorage implements StorageProvider {
  private readonly memory = new MemoryStateStore();

  constructor(private readonly home?: string) {}

  openLog(): PartitionLog {
    assert(false, 'the main thread hosts no partition logs');
  }
  removeLog(): void {}
  budget(): StorageBudget {
    return new StorageBudget();
  }

  private file(name: string): string {
    return path.join(this.home!, 'metadata', `${name}.json`);
  }

  loadState(name: string): unknown {
    if (!this.home) return this.memory.load(name);
    try {
      return stateJson.parse(fs.readFileSync(this.file(name), 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  saveState(name: string, value: unknown): void {
    if (!this.home) {
      this.memory.save(name, value);
      return;
    }
    const text = stateJson.stringify(value);
    const file = this.file(name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  }
}
