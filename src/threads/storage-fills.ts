/**
 * Which SPUs' storage is full by fault injection (`faults.fillStorage`), kept on the main thread
 * because the fill belongs to the SPU's storage — its disk — not to a worker: a restarted worker
 * starts with its SPU's storage still full. In disk mode each fill is also a marker file
 * (`<home>/spu-<id>/storage-filled`), so it survives a cluster shutdown and restart as a full
 * disk would; `freeStorage` removes it.
 *
 * Invariant: `has(spu)` is true exactly between a fill and the next free of that SPU, whatever
 * happened to its workers (and, in disk mode, to the process) in between.
 */
import fs from 'node:fs';
import path from 'node:path';

export const STORAGE_FILLED_MARKER = 'storage-filled';

export class StorageFills {
  private readonly filled = new Set<number>();

  constructor(private readonly home: string | undefined, spuIds: readonly number[]) {
    if (home) for (const id of spuIds) if (fs.existsSync(this.marker(id))) this.filled.add(id);
  }

  private marker(spuId: number): string {
    return path.join(this.home!, `spu-${spuId}`, STORAGE_FILLED_MARKER);
  }

  has(spuId: number): boolean {
    return this.filled.has(spuId);
  }

  set(spuId: number, full: boolean): void {
    if (full) this.filled.add(spuId);
    else this.filled.delete(spuId);
    if (!this.home) return;
    const file = this.marker(spuId);
    if (full) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, 'storage filled by fault injection (rivulet faults.fillStorage); freeStorage removes it\n');
    } else {
      fs.rmSync(file, { force: true });
    }
  }
}
