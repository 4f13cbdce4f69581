/**
 * The `rivulet` command, run as a real process from dist/: help, sim over a piscina pool, replay
 * of one seed, and exit codes for usage errors.
 */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CLI = path.resolve(import.meta.dirname, '../../dist/src/cli/main.js');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });

describe('rivulet CLI', () => {
  it('prints help and its version', () => {
    const help = run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('sim');
    expect(help.stdout).toContain('bench');
    expect(run('--version').stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('runs seeds on a worker pool and replays one seed to the same trace', () => {
    const many = run('sim', '--seeds', '12', '--from', '300');
    expect(many.status).toBe(0);
    expect(many.stdout).toContain('12 seeds from 300: 12 passed, 0 failed');
    const a = run('sim', '--seed', '305');
    const b = run('sim', '--seed', '305');
    expect(a.status).toBe(0);
    const hash = (s: string) => /trace ([0-9a-f]{16})/.exec(s)?.[1];
    expect(hash(a.stdout)).toBeDefined();
    expect(hash(b.stdout)).toBe(hash(a.stdout));
    const json = JSON.parse(run('sim', '--seed', '305', '-O', 'json').stdout);
    expect(json.results[0].traceHash).toBe(hash(a.stdout));
  });

  it('runs through a symlink, as node_modules/.bin/rivulet and npx invoke it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rivulet-bin-'));
    try {
      const link = path.join(dir, 'rivulet');
      fs.symlinkSync(CLI, link);
      const r = spawnSync(process.execPath, [link, '--help'], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('Usage: rivulet');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 on usage errors with one clear line', () => {
    const bad = run('sim', '--seeds', 'lots');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("'--seeds <N>' argument 'lots' is invalid");
    const unknown = run('frobnicate');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    const both = run('sim', '--seed', '1', '--seeds', '2');
    expect(both.status).toBe(2);
    expect(both.stderr.trim()).toBe('error: use --seed or --seeds, not both');
  });
});
