/**
 * SAB ring across real threads: a writer worker and a reader worker share one ring.
 * - backpressure: ≥ 1,000,000 variable-size frames (16–512 B), every byte and sequence number
 *   checked by the reader, zero mismatches, starting just below position 2^32.
 * - overwrite: a deliberately slow reader in another worker sees `lapped`, sees stillValid() turn
 *   false for a frame it holds, and never trusts corrupted bytes.
 * Workers run compiled code (dist/, built by `npm test`'s pretest); every worker is terminated.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createRing } from '../../src/storage/ring.js';

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url);
const MAX_WAIT_MS = 30_000;
const started: Worker[] = [];

function run<T>(name: string, workerData: Record<string, unknown>): { worker: Worker; result: Promise<T> } {
  const worker = new Worker(fixture(name), { workerData: { ...workerData, maxWaitMs: MAX_WAIT_MS } });
  started.push(worker);
  const result = new Promise<T>((resolve, reject) => {
    worker.once('message', (m: T) => resolve(m));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`${name} exited with code ${code} before reporting`)));
  });
  return { worker, result };
}

beforeAll(() => {
  const built = fileURLToPath(new URL('../../dist/src/storage/ring.js', import.meta.url));
  if (!existsSync(built)) throw new Error(`${built} missing: build first (npx tsc -p tsconfig.json, or npm test)`);
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((w) => w.terminate()));
});

interface BpReaderResult {
  frames: number;
  mismatches: number;
  bytes: number;
  firstMismatch: unknown;
  position: number;
}

interface OwReaderResult {
  firstOk: boolean;
  staleDetected: boolean;
  nullWhenLapped: boolean;
  lappedSeen: boolean;
  laps: number;
  good: number;
  torn: number;
  tornBad: number;
  corrupted: number;
  outOfOrder: number;
  lastSeq: number;
}

describe('ring between worker threads', () => {
  it('backpressure: moves 1,000,000 variable-size frames with every byte checked', async () => {
    const frames = 1_000_000;
    const initialPosition = 2 ** 32 - 256 * 1024;
    const sab = createRing(64 * 1024, { maxFrameBytes: 512, initialPosition });
    const common = { sab, minBytes: 16, maxBytes: 512 };
    const reader = run<BpReaderResult>('ring-bp-reader.mjs', common);
    const writer = run<{ written: number; refused: number; head: number }>('ring-bp-writer.mjs', { ...common, frames });
    const [w, r] = await Promise.all([writer.result, reader.result]);
    console.log(
      `ring workers (backpressure): ${r.frames} frames, ${(r.bytes / 1e6).toFixed(1)} MB moved, ` +
        `${r.mismatches} mismatched bytes, writer refused ${w.refused} times`,
    );
    expect(r.firstMismatch).toBeNull();
    expect(r.mismatches).toBe(0);
    expect(r.frames).toBe(frames);
    expect(w.written).toBe(frames);
    expect(r.position).toBe(w.head);
    expect(w.head).toBeGreaterThan(2 ** 32); // crossed the 2^32 boundary while threads raced
  });

  it('overwrite: a slow reader in another worker is lapped and never trusts overwritten bytes', async () => {
    const sab = createRing(8 * 1024, { maxFrameBytes: 256 });
    const control = new SharedArrayBuffer(16);
    const common = { sab, control, minBytes: 16, maxBytes: 256 };
    const reader = run<OwReaderResult>('ring-ow-reader.mjs', { ...common, goodFrames: 20_000 });
    const writer = run<{ written: number; head: number }>('ring-ow-writer.mjs', { ...common, frames: 50_000_000 });
    const [w, r] = await Promise.all([writer.result, reader.result]);
    console.log(
      `ring workers (overwrite): writer ${w.written} frames; slow reader: ${r.good} verified, ` +
        `${r.torn} discarded by stillValid() (${r.tornBad} of them with overwritten bytes), ${r.laps} laps, ${r.corrupted} corrupted`,
    );
    expect(r.firstOk).toBe(true);
    expect(r.staleDetected).toBe(true);
    expect(r.nullWhenLapped).toBe(true);
    expect(r.lappedSeen).toBe(true);
    expect(r.corrupted).toBe(0);
    expect(r.outOfOrder).toBe(0);
    expect(r.good).toBeGreaterThan(0);
  });
});
