/**
 * The bench runs and prints a row with its ratio to the same run's bare ring: `npm run bench`'s
 * entry (dist/bench/main.js) with --smoke (tiny cases) and --only one embedded row. Checks the
 * shape of the output only — never a figure: no test asserts speed (DESIGN §10).
 */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const MAIN = path.join(ROOT, 'dist', 'bench', 'main.js');

describe('npm run bench', () => {
  it('--only prints the selected row with a ratio to the ring, its target and a verdict, and writes --json', () => {
    const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rivulet-bench-test-')), 'bench.json');
    const env = { ...process.env };
    delete env.RIVULET_YARDSTICK;
    const r = spawnSync(process.execPath, [MAIN, '--smoke', '--runs', '1', '--only', 'e2e 100 B RF1 p1$', '--json', json], { cwd: ROOT, encoding: 'utf8', env, timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const row = r.stdout.split('\n').find((l) => l.trimStart().startsWith('e2e 100 B RF1 p1 '));
    expect(row, r.stdout).toBeDefined();
    expect(row).toMatch(/\d\.\d{3}×/);
    expect(row).toMatch(/>=0\.3× ring/);
    expect(row).toMatch(/\b(met|MISSED)\b/);
    expect(r.stdout).toMatch(/ring 100 B/);
    const report = JSON.parse(fs.readFileSync(json, 'utf8')) as { rows: { name: string; samples: unknown[]; ratioToRing: number | null }[] };
    const e2e = report.rows.find((x) => x.name === 'e2e 100 B RF1 p1');
    expect(e2e?.samples).toHaveLength(1);
    expect(typeof e2e?.ratioToRing).toBe('number');
    fs.rmSync(path.dirname(json), { recursive: true, force: true });
  }, 60_000);

  it('refuses a bad --runs and an --only that matches nothing (exit 2)', () => {
    for (const args of [['--runs', '0'], ['--only', 'no such row']]) {
      const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
      expect(r.status, r.stdout + r.stderr).toBe(2);
    }
  }, 60_000);
});
