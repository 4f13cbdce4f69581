/**
 * An outside yardstick beside ours: when env RIVULET_YARDSTICK names a script (such as a bare
 * sab-ring.js), the bench runs it as a child process in the same run as its own ring —
 *   node $RIVULET_YARDSTICK --size <record bytes> --count <records> --runs 1 --out ''
 * — and reads the JSON lines it prints, taking `rec_per_s` (records/s) of each. The bench never
 * imports it: the repository stands alone in a clone. A missing file, a failing run or output
 * without rec_per_s gives null and a warning, never a failed bench.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';

export const YARDSTICK_ENV = 'RIVULET_YARDSTICK';
const TIMEOUT_MS = 120_000;

/** The script named by RIVULET_YARDSTICK, or null when unset. Throws if it names no file. */
export function yardstickScript(): string | null {
  const file = process.env[YARDSTICK_ENV];
  if (file === undefined || file === '') return null;
  if (!fs.existsSync(file)) throw new Error(`${YARDSTICK_ENV}=${file}: no such file`);
  return file;
}

/** One run of the yardstick script: its records/s, or null (with the reason on stderr). */
export function runYardstick(script: string, recordBytes: number, records: number): Promise<number | null> {
  return new Promise((resolve) => {
    const args = [script, '--size', String(recordBytes), '--count', String(records), '--runs', '1', '--out', ''];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    const fail = (why: string): void => {
      console.error(`  yardstick ${script} (${recordBytes} B): ${why}`);
      resolve(null);
    };
    child.on('error', (e) => { clearTimeout(timer); fail(e.message); });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return fail(`exited ${code}: ${err.trim().split('\n').pop() ?? ''}`);
      const rates: number[] = [];
      for (const line of out.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          const rec = JSON.parse(line) as { rec_per_s?: unknown };
          if (typeof rec.rec_per_s === 'number' && Number.isFinite(rec.rec_per_s)) rates.push(rec.rec_per_s);
        } catch {
          // not a JSON line: ignore
        }
      }
      if (rates.length === 0) return fail('printed no JSON line with rec_per_s');
      resolve(Math.max(...rates));
    });
  });
}
