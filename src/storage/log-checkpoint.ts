/**
 * HW checkpoint of a disk log: `<dir>/hw.checkpoint`, replaced atomically (temp file + rename).
 *
 * Format: UTF-8 JSON, one object:
 *   { "version": 1, "hw": <number>, "base": <number>, "leo": <number>,
 *     "epochs": [[epoch, startOffset], …] }
 *
 * The HW is the only field recovery relies on (clamped to [BASE, LEO] of the recovered log);
 * base/leo/epochs are written for inspection — recovery rebuilds them from the segments it scans,
 * which are the source of truth. A missing or unreadable checkpoint means HW = BASE.
 */
import * as path from 'node:path';
import type { EpochEntry } from './epoch-cache.js';
import { type FileOps, mapFsError, readWholeFile, writeFileAtomic } from './file-ops.js';

export const CHECKPOINT_FILE = 'hw.checkpoint';
const CHECKPOINT_VERSION = 1;

export interface CheckpointData {
  hw: number;
  base: number;
  leo: number;
  epochs: EpochEntry[];
}

export function writeCheckpoint(ops: FileOps, dir: string, data: CheckpointData, fsync: boolean): void {
  const json = JSON.stringify({
    version: CHECKPOINT_VERSION,
    hw: data.hw,
    base: data.base,
    leo: data.leo,
    epochs: data.epochs.map((e) => [e.epoch, e.startOffset]),
  });
  const p = path.join(dir, CHECKPOINT_FILE);
  try {
    writeFileAtomic(ops, p, new TextEncoder().encode(json + '\n'), fsync);
  } catch (err) {
    throw mapFsError(err, 'write checkpoint', p);
  }
}

/** The checkpointed HW, or null when there is no usable checkpoint. */
export function readCheckpointHw(ops: FileOps, dir: string): number | null {
  let bytes: Uint8Array | null;
  try {
    bytes = readWholeFile(ops, path.join(dir, CHECKPOINT_FILE));
  } catch {
    return null;
  }
  if (bytes === null) return null;
  try {
    const obj = JSON.parse(new TextDecoder().decode(bytes)) as { version?: unknown; hw?: unknown };
    if (obj.version !== CHECKPOINT_VERSION || typeof obj.hw !== 'number' || !Number.isSafeInteger(obj.hw) || obj.hw < 0) return null;
    return obj.hw;
  } catch {
    return null;
  }
}
