/**
 * kill -9 durability: a child process appends to a disk log and reports each append after it
 * returned; the parent SIGKILLs it at a random moment, reopens the log and finds every reported
 * batch byte-identical. Rounds continue the same log (recover, append more, kill again).
 * Needs the compiled dist/ (npm test builds it first).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchBaseOffset, batchLastOffset } from '../../src/storage/batch-header.js';
import { StorageBudget } from '../../src/storage/budget.js';
import { PartitionLog } from '../../src/storage/log.js';
import { removeDir, sameBytes, tempDir } from './log-helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const WRITER = path.join(here, '../fixtures/log-writer.mjs');
const DIST_LOG = path.join(here, '../../dist/src/storage/log.js');

/** Same config as the writer, so sealed segments' index files are already right. */
const WRITER_CONFIG = { segmentBytes: 96 * 1024, indexIntervalBytes: 1024 };

let killBatch: (offset: number) => Uint8Array;
let dir: string;

beforeAll(async () => {
  if (!fs.existsSync(DIST_LOG)) throw new Error(`build first (npx tsc -p tsconfig.json): ${DIST_LOG} is missing`);
  ({ killBatch } = (await import(path.join(here, '../fixtures/log-content.mjs'))) as { killBatch: (o: number) => Uint8Array });
  dir = tempDir('rivulet-kill9-');
});
afterAll(() => removeDir(dir));

/** Run the writer until it has reported `reports` appends (+ a few ms), SIGKILL it. */
function runAndKill(reports: number, extraMs: number): Promise<{ opened: number; offsets: number[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '';
    let stderr = '';
    let opened = -1;
    const offsets: number[] = [];
    let killing = false;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (stderr += d));
    child.stdout.on('data', (d: string) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith('open ')) opened = Number(line.slice(5));
        else offsets.push(Number(line));
      }
      if (!killing && offsets.length >= reports) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), extraMs);
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited (${code}, ${signal}) before the kill: ${stderr}`));
      else resolve({ opened, offsets }); // only complete lines count: a cut line was never reported
    });
  });
}

describe('kill -9 of a writer process', () => {
  // Kill points: [appends reported before the kill, extra ms of writing before SIGKILL].
  const rounds: Array<[number, number]> = [
    [40, 0],
    [700, 3],
    [2500, 1],
    [150, 7],
    [1200, 0],
  ];
  let expectedLeo = 0;

  for (const [reports, extraMs] of rounds) {
    it(`keeps every reported append after SIGKILL (${reports} reports + ${extraMs} ms)`, async () => {
      const { opened, offsets } = await runAndKill(reports, extraMs);
      expect(opened).toBe(expectedLeo); // the child recovered the previous round's log
      expect(offsets.length).toBeGreaterThanOrEqual(reports);
      const log = PartitionLog.openDisk(dir, WRITER_CONFIG, { now: () => 0, budget: new StorageBudget() });
      try {
        const lastReported = offsets[offsets.length - 1]!;
        expect(log.leo).toBeGreaterThan(lastReported);
        // Every reported batch is there, byte for byte.
        for (const off of offsets) {
          const got = log.read(off, { maxBytes: 0 }).batches[0]!;
          expect(batchBaseOffset(got)).toBe(off);
          expect(sameBytes(got, killBatch(off))).toBe(true);
        }
        // The whole log is contiguous and every batch in it is a complete, expected batch.
        let next = 0;
        for (;;) {
          const r = log.read(next, { maxBytes: 4 << 20 });
          if (r.batches.length === 0) break;
          for (const b of r.batches) {
            expect(batchBaseOffset(b)).toBe(next);
            expect(sameBytes(b, killBatch(next))).toBe(true);
            next = batchLastOffset(b) + 1;
          }
        }
        expect(next).toBe(log.leo);
        // Only the active segment's index can be stale (sealed ones were written when rolled).
        expect(log.recoveryReport!.indexesRewritten).toBeLessThanOrEqual(1);
        expectedLeo = log.leo;
      } finally {
        log.close();
      }
    });
  }
});
