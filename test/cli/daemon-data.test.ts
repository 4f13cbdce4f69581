/**
 * The data commands end to end against a real daemon (issue 13's Done-when, story 3 and bad
 * input): one `rivulet cluster create --spus 3 --port 0` in a temp home shared by this file, and
 * the real CLI from dist/ for everything — topics, produce, consume, partition list.
 *
 * - Story 3: `partition list` has exactly the columns `TOPIC PARTITION LEADER REPLICAS RESOLUTION
 *   SIZE BASE HW LEO` (then LRS), BASE > 0 once size retention removed a segment, HW = LEO with
 *   every replica up, and `-O json` parses.
 * - Bad input: unknown topic, bad name, negative and below-BASE offsets, garbage bytes on the
 *   daemon's port, a wrong token, config flags on `resume` — each one clear error (one stderr line,
 *   no stack trace), the daemon keeps serving (same pid, later commands work) and no data changes
 *   (`partition list -O json` and `topic list -O json` identical before and after).
 * - Ctrl-C (SIGINT) of a following `consume` exits promptly, leaves no process behind, and the
 *   daemon still serves.
 *
 * The daemon is shut down in afterAll and, whatever happened, killed by Homes.cleanup().
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { processAlive } from '../../src/cluster/run-file.js';
import { CLI, Homes, daemonPid, rivulet, type CliResult } from '../daemon/helpers.js';
import { tableCells } from './cli-fixture.js';

const CONTRACT = ['TOPIC', 'PARTITION', 'LEADER', 'REPLICAS', 'RESOLUTION', 'SIZE', 'BASE', 'HW', 'LEO'];
const COLUMNS = [...CONTRACT, 'LRS'];

const homes = new Homes();
let home = '';
let pid = 0;
let recordsFile = '';

interface PartJson { topic: string; partition: number; leader: number; base: number; hw: number; leo: number; sizeBytes: number; replicaStatus: { hw: number; leo: number }[] }

const outLines = (s: string): string[] => s.split('\n').filter((l) => l !== '');

function ok(r: CliResult): CliResult {
  expect(r.status, r.stdout + r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  return r;
}

/** The one-line error contract: stderr is one `error: …` line, no stack trace, nothing on stdout. */
function oneLineError(r: CliResult, code: number, message: RegExp, what: string): void {
  expect(r.status, `${what} → ${r.stderr}`).toBe(code);
  expect(r.stderr.trimEnd().split('\n'), what).toHaveLength(1);
  expect(r.stderr, what).toMatch(/^error: /);
  expect(r.stderr, what).toMatch(message);
  expect(r.stderr, what).not.toMatch(/\n\s+at |    at /);
}

const run = (args: string[], h = home): Promise<CliResult> => rivulet([...args, '--home', h]);

async function partitions(): Promise<PartJson[]> {
  return JSON.parse(ok(await run(['partition', 'list', '-O', 'json'])).stdout) as PartJson[];
}

/** Everything a bad command could have changed, as the CLI shows it. */
async function snapshot(): Promise<unknown> {
  const [parts, topics] = await Promise.all([run(['partition', 'list', '-O', 'json']), run(['topic', 'list', '-O', 'json'])]);
  return { parts: JSON.parse(ok(parts).stdout), topics: JSON.parse(ok(topics).stdout) };
}

beforeAll(async () => {
  home = homes.make();
  const created = await rivulet(['cluster', 'create', '--spus', '3', '--port', '0', '--home', home]);
  homes.track(home);
  expect(created.status, created.stderr).toBe(0);
  pid = daemonPid(home)!;
  ok(await run(['topic', 'create', 'trimmed', '-r', '3', '--segment-size', '4KiB', '--max-partition-size', '16KiB']));
  ok(await run(['topic', 'create', 'kept', '-p', '2', '-r', '3']));
  recordsFile = path.join(homes.make(), 'records.txt');
  fs.writeFileSync(recordsFile, `${Array.from({ length: 3000 }, (_, i) => `record ${String(i).padStart(5, '0')} ${'x'.repeat(40)}`).join('\n')}\n`);
  const keyed = path.join(path.dirname(recordsFile), 'keyed.txt');
  fs.writeFileSync(keyed, `${Array.from({ length: 20 }, (_, i) => `k${i}:v${i}`).join('\n')}\n`);
  const produced = await Promise.all([run(['produce', 'trimmed', '-f', recordsFile]), run(['produce', 'kept', '-f', keyed, '--key-separator', ':'])]);
  expect(ok(produced[0]!).stdout).toContain('3000 records acknowledged');
  expect(ok(produced[1]!).stdout).toContain('20 records acknowledged');

  // Retention runs in the background: wait until it removed a segment and the replicas caught up.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const parts = await partitions();
    const t = parts.find((p) => p.topic === 'trimmed')!;
    const settled = t.base > 0 && parts.every((p) => p.hw === p.leo && p.replicaStatus.every((r) => r.leo === p.leo && r.hw === p.hw));
    if (settled) break;
    if (Date.now() > deadline) throw new Error(`retention or replication did not settle: ${JSON.stringify(parts)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}, 90_000);

afterAll(async () => {
  try {
    if (home && fs.existsSync(home)) await rivulet(['cluster', 'shutdown', '--home', home], {}, 20_000);
  } finally {
    await homes.cleanup();
  }
}, 30_000);

describe('the data commands against a real daemon', { timeout: 60_000 }, () => {
  it('story 3: partition list has the exact columns, BASE > 0 after size retention, HW = LEO, and JSON that parses', async () => {
    const [table, json] = await Promise.all([run(['partition', 'list']), run(['partition', 'list', '-O', 'json'])]);
    const [header, ...rows] = outLines(ok(table).stdout);
    expect(header!.trim().split(/\s{2,}/).slice(0, CONTRACT.length)).toEqual(CONTRACT);
    expect(header!.trim().split(/\s{2,}/)).toEqual(COLUMNS);
    const cells = rows.map((r) => tableCells(header!, r, COLUMNS));
    const byName = Object.fromEntries(cells.map((c) => [`${c[0]}/${c[1]}`, Object.fromEntries(COLUMNS.map((k, i) => [k, c[i]!]))]));
    expect(Object.keys(byName)).toEqual(['kept/0', 'kept/1', 'trimmed/0']);
    for (const c of Object.values(byName)) {
      // One value per column: nothing spills into a neighbour.
      expect(c.LEADER).toMatch(/^[123]$/);
      expect(c.REPLICAS).toMatch(/^\[\d, \d\]$/);
      expect(JSON.parse(c.REPLICAS!)).not.toContain(Number(c.LEADER));
      expect(c.RESOLUTION).toBe('Online');
      expect(c.SIZE).toMatch(/^\d+(\.\d)? (B|KB|MB|GB)$/);
      for (const k of ['BASE', 'HW', 'LEO', 'LRS']) expect(c[k]).toMatch(/^\d+$/);
      expect(c.HW).toBe(c.LEO); // every replica is up
      expect(c.LRS).toBe('3');
    }
    const t = byName['trimmed/0']!;
    expect(Number(t.BASE)).toBeGreaterThan(0);
    expect(t.LEO).toBe('3000');
    expect(Number(byName['kept/0']!.LEO) + Number(byName['kept/1']!.LEO)).toBe(20);

    const parts = JSON.parse(ok(json).stdout) as PartJson[];
    expect(parts.map((p) => `${p.topic}/${p.partition}`)).toEqual(['kept/0', 'kept/1', 'trimmed/0']);
    const tj = parts[2]!;
    expect(tj.base).toBe(Number(t.BASE));
    expect(tj.base).toBeGreaterThan(0);
    expect(tj.hw).toBe(tj.leo);
    expect(tj.replicaStatus).toHaveLength(3);
    for (const r of tj.replicaStatus) expect(r).toMatchObject({ hw: tj.leo, leo: tj.leo });

    // A consumer's offset compared with BASE: -B starts exactly there and reads to the end.
    const fromBase = outLines(ok(await run(['consume', 'trimmed', '-B', '-d', '-O', 'json'])).stdout).map((l) => JSON.parse(l) as { offset: number; value: string });
    expect(fromBase[0]!.offset).toBe(tj.base);
    expect(fromBase.map((r) => r.offset)).toEqual(Array.from({ length: 3000 - tj.base }, (_, i) => tj.base + i));
    expect(fromBase.at(-1)!.value).toBe(`record 02999 ${'x'.repeat(40)}`);
  });

  it('bad input: one clear error each, the daemon keeps serving, no data changes', async () => {
    const before = await snapshot();
    const base = (before as { parts: PartJson[] }).parts.find((p) => p.topic === 'trimmed')!.base;
    expect(base).toBeGreaterThan(0);

    // Garbage on the daemon's Kafka port (raw socket): the daemon closes that connection.
    const { address } = JSON.parse(fs.readFileSync(path.join(home, 'run', 'daemon.json'), 'utf8')) as { address: string };
    const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
    for (const garbage of [Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), Buffer.from([0, 0, 0, 12, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 7, 8]), Buffer.from([0x7f, 0xff, 0xff, 0xff, 1, 2, 3])]) {
      const closed = await new Promise<boolean>((resolve) => {
        const s = net.connect({ host, port }, () => s.write(garbage));
        s.on('data', () => undefined);
        s.on('error', () => undefined);
        s.on('close', () => resolve(true));
        const t = setTimeout(() => {
          s.destroy();
          resolve(false);
        }, 5_000);
        s.on('close', () => clearTimeout(t));
      });
      expect(closed, garbage.toString('hex')).toBe(true);
    }

    // A wrong token: a copy of the run file with another token, in a home of its own.
    const wrong = homes.make();
    fs.mkdirSync(path.join(wrong, 'run'));
    const runFile = JSON.parse(fs.readFileSync(path.join(home, 'run', 'daemon.json'), 'utf8')) as { token: string };
    fs.writeFileSync(path.join(wrong, 'run', 'daemon.json'), JSON.stringify({ ...runFile, token: `${runFile.token}-wrong` }), { mode: 0o600 });

    const cases: { args: string[]; code: number; message: RegExp; home?: string }[] = [
      { args: ['consume', 'nope', '-B', '-d'], code: 1, message: /unknown topic 'nope'/ },
      { args: ['produce', 'nope', '-f', recordsFile], code: 1, message: /unknown topic 'nope'/ },
      { args: ['topic', 'delete', 'nope'], code: 1, message: /unknown topic 'nope'/ },
      { args: ['topic', 'create', 'Bad_Name!'], code: 1, message: /invalid topic name "Bad_Name!"/ },
      { args: ['consume', 'kept', '--start', '-5'], code: 2, message: /--start.*'-5' is invalid/ },
      { args: ['consume', 'trimmed', '--start', '0', '-d'], code: 1, message: new RegExp(`offset 0 is below BASE ${base} of topic 'trimmed' partition 0`) },
      { args: ['consume', 'trimmed', '--start', String(base - 1), '-d'], code: 1, message: new RegExp(`offset ${base - 1} is below BASE ${base}`) },
      { args: ['consume', 'kept', '--start', '1000', '-d'], code: 1, message: /offset 1000 is past the end of topic 'kept' partition 0/ },
      { args: ['produce', 'kept', '-f', recordsFile], code: 1, message: /authentication failed.*invalid username or token/i, home: wrong },
      { args: ['cluster', 'resume', '--spus', '1', '--port', '0', '--storage-bytes', '1MiB'], code: 2, message: /takes no config flags \(--spus, --port, --storage-bytes\)/ },
    ];
    const results = await Promise.all(cases.map((c) => run(c.args, c.home)));
    for (const [i, r] of results.entries()) {
      const c = cases[i]!;
      const what = `rivulet ${c.args.join(' ')}${c.home ? ' (wrong token)' : ''}`;
      oneLineError(r, c.code, c.message, what);
      expect(r.stdout, what).toBe('');
    }

    // The daemon kept serving — the same process — and nothing changed. (The fixture-based
    // bad-input.test.ts covers more refusals, faster, without a daemon.)
    expect(daemonPid(home)).toBe(pid);
    expect(processAlive(pid)).toBe(true);
    expect(await snapshot()).toEqual(before);
    const log = fs.readdirSync(path.join(home, 'logs')).map((f) => fs.readFileSync(path.join(home, 'logs', f), 'utf8')).join('');
    expect(log).toContain('malformed frame');
    expect(outLines(ok(await run(['consume', 'kept', '-p', '0', '-B', '-d', '-k'])).stdout).every((l) => /^k\d+:v\d+$/.test(l))).toBe(true);
  });

  it('Ctrl-C of a following consume exits promptly and leaves nothing behind', async () => {
    const child = spawn(process.execPath, [CLI, 'consume', 'trimmed', '-T', '5', '--home', home], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
    try {
      // Following: the last 5 records arrive, then it waits for more.
      const deadline = Date.now() + 20_000;
      while (outLines(stdout).length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(outLines(stdout)).toHaveLength(5);
      await new Promise((r) => setTimeout(r, 300));
      expect(child.exitCode).toBeNull(); // still following
      const t0 = Date.now();
      child.kill('SIGINT');
      const { code, signal } = await exited;
      expect(Date.now() - t0).toBeLessThan(3_000);
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(stderr).toBe('');
      expect(outLines(stdout)).toEqual(Array.from({ length: 5 }, (_, i) => `record ${String(2995 + i).padStart(5, '0')} ${'x'.repeat(40)}`));
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    // Nothing left: no process of that command (nor any other CLI process on this home) lives on.
    expect(processAlive(child.pid!)).toBe(false);
    const leftovers = fs.existsSync('/proc/self/cmdline')
      ? fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d) && Number(d) !== pid).filter((d) => {
          try {
            const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8');
            return cmd.includes(CLI) && cmd.includes(home);
          } catch {
            return false;
          }
        })
      : [];
    expect(leftovers).toEqual([]);
    // The daemon still serves.
    expect(daemonPid(home)).toBe(pid);
    expect(outLines(ok(await run(['consume', 'trimmed', '-T', '1', '-d'])).stdout)).toEqual([`record 02999 ${'x'.repeat(40)}`]);
  });
});
