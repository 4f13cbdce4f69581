/**
 * The cluster lifecycle end to end (DESIGN §7, issue 13's stories 1 and 2): the real CLI from
 * dist/ against real daemons, temporary homes, free ports (`--port 0`). Records go through the
 * CLI in story 1 (`topic create`, `produce -f`, `consume -B -d`) and through `connect({ home })`
 * in story 2. Every daemon is killed in afterAll, even after a failure.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { connect, Offset } from '../../src/index.js';
import { Homes, rivulet, type CliResult } from '../daemon/helpers.js';

const homes = new Homes();
afterAll(() => homes.cleanup());

const pkg = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
const OLD = '0.0.9';

/** A refusal: exit code, one line on stderr, no stack trace. */
function refused(r: CliResult, code: number, pattern: RegExp): void {
  expect(r.status, r.stdout + r.stderr).toBe(code);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

function ok(r: CliResult): CliResult {
  expect(r.status, r.stdout + r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  return r;
}

async function produce(home: string, topic: string, n: number, replicationFactor: number): Promise<void> {
  const client = await connect({ home });
  try {
    await client.admin.createTopic(topic, { partitions: 1, replicationFactor });
    const p = await client.producer(topic, { acks: 'all' });
    const acks = await p.sendBatch(Array.from({ length: n }, (_, i) => ({ key: null, value: `line ${i}` })));
    expect(acks.map((a) => a.offset)).toEqual(Array.from({ length: n }, (_, i) => i));
  } finally {
    await client.close();
  }
}

async function readAll(home: string, topic: string, n: number): Promise<string[]> {
  const client = await connect({ home });
  try {
    const c = await client.consumer(topic, { partition: 0, offset: Offset.beginning() });
    const out: string[] = [];
    for await (const r of c) {
      expect(r.offset).toBe(out.length);
      out.push(new TextDecoder().decode(r.value));
      if (out.length === n) break;
    }
    return out;
  } finally {
    await client.close();
  }
}

async function status(home: string): Promise<{ state: string; spus?: number; version?: string; spuStatus?: { id: number; status: string }[] }> {
  return JSON.parse(ok(await rivulet(['cluster', 'status', '-O', 'json', '--home', home])).stdout);
}

const expected = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}`);

// The three stories use their own homes and free ports: they run side by side.
describe.concurrent('rivulet cluster', { timeout: 120_000 }, () => {
  it('story 1: resumes the same 3 SPUs with every record, refuses create and flags on resume, and starts over after delete', async () => {
    const home = homes.make();
    const created = ok(await rivulet(['cluster', 'create', '--spus', '3', '--port', '0', '--home', home]));
    homes.track(home);
    expect(created.stdout).toContain(`cluster created at ${home}: SPUs 1, 2, 3 online`);
    expect(fs.statSync(path.join(home, 'run', 'daemon.json')).mode & 0o777).toBe(0o600);
    // The data through the CLI too: a topic with replication 3, 1,000 lines from a file.
    expect(ok(await rivulet(['topic', 'create', 'repltopic', '-r', '3', '--home', home])).stdout.trim()).toBe('topic "repltopic" created');
    const file = path.join(homes.make(), 'lines.txt');
    fs.writeFileSync(file, `${expected(1000).join('\n')}\n`);
    expect(ok(await rivulet(['produce', 'repltopic', '-f', file, '--home', home])).stdout.trim()).toBe('1000 records acknowledged (topic "repltopic", acks=all)');

    const down = ok(await rivulet(['cluster', 'shutdown', '--home', home]));
    expect(down.stdout).toContain('shut down: data and config kept');
    expect(fs.existsSync(path.join(home, 'run', 'daemon.json'))).toBe(false);
    expect((await status(home)).state).toBe('stopped');
    refused(await rivulet(['cluster', 'create', '--home', home]), 1, /already exists.*`rivulet cluster resume`.*`rivulet cluster delete`/);
    refused(await rivulet(['cluster', 'resume', '--spus', '1', '--home', home]), 2, /takes no config flags \(--spus\)/);

    const resumed = ok(await rivulet(['cluster', 'resume', '--home', home]));
    homes.track(home);
    expect(resumed.stdout).toContain(`cluster resumed at ${home}: SPUs 1, 2, 3 online`);
    const st = await status(home);
    expect(st).toMatchObject({ state: 'running', spus: 3 });
    expect(st.spuStatus!.map((s) => [s.id, s.status])).toEqual([[1, 'online'], [2, 'online'], [3, 'online']]);
    const consumed = ok(await rivulet(['consume', 'repltopic', '-B', '-d', '--home', home]));
    expect(consumed.stdout).toBe(`${expected(1000).join('\n')}\n`); // exactly the 1,000 lines, in order

    refused(await rivulet(['cluster', 'create', '--spus', '3', '--port', '0', '--home', home]), 1, /already running.*`rivulet cluster delete`.*`rivulet cluster resume`/);
    refused(await rivulet(['cluster', 'resume', '--spus', '1', '--home', home]), 2, /takes no config flags/);
    refused(await rivulet(['cluster', 'resume', '--home', home]), 1, /already running/);

    expect(ok(await rivulet(['cluster', 'delete', '--force', '--home', home])).stdout).toContain(`deleted the cluster at ${home}`);
    expect(fs.existsSync(home)).toBe(false);

    const t0 = Date.now();
    const again = ok(await rivulet(['cluster', 'create', '--port', '0', '--home', home]));
    homes.track(home);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(again.stdout).toContain(`cluster created at ${home}: SPUs 1 online`);
    expect((await status(home)).spuStatus!.map((s) => s.id)).toEqual([1]);
    ok(await rivulet(['cluster', 'delete', '--force', '--home', home]));
  });

  it('story 2: refuses a home of another version until upgrade marks it, keeps every record, refuses to upgrade a running cluster', async () => {
    const home = homes.make();
    const old = { RIVULET_VERSION_OVERRIDE: OLD };
    expect(ok(await rivulet(['cluster', 'create', '--port', '0', '--home', home], old)).stdout).toContain(`version ${OLD}`);
    homes.track(home);
    await produce(home, 'kept', 300, 1);
    ok(await rivulet(['cluster', 'shutdown', '--home', home], old));

    // The newer CLI (this build) finds a home recorded at 0.0.9.
    refused(await rivulet(['cluster', 'resume', '--home', home]), 1, new RegExp(`recorded at version ${OLD} \\(this is ${pkg.version}\\): run \`rivulet cluster upgrade\``));
    expect((await status(home)).version).toBe(OLD);
    refused(await rivulet(['cluster', 'upgrade', '--home', home]), 1, /without confirmation: no terminal to ask on; pass --force/);
    const up = ok(await rivulet(['cluster', 'upgrade', '--force', '--home', home]));
    expect(up.stdout).toContain(`upgraded the cluster at ${home} from ${OLD} to ${pkg.version}`);
    const config = JSON.parse(fs.readFileSync(path.join(home, 'cluster.json'), 'utf8'));
    expect(config).toMatchObject({ version: pkg.version, upgradedFrom: OLD, formatVersion: 1, upgradeMark: { from: OLD, to: pkg.version } });
    expect(JSON.parse(fs.readFileSync(path.join(config.upgradeMark.backup, 'cluster.json'), 'utf8')).version).toBe(OLD);
    expect(fs.existsSync(path.join(config.upgradeMark.backup, 'metadata'))).toBe(true);
    expect(ok(await rivulet(['cluster', 'upgrade', '--force', '--home', home])).stdout).toContain('nothing to upgrade');

    ok(await rivulet(['cluster', 'resume', '--home', home]));
    homes.track(home);
    expect(await readAll(home, 'kept', 300)).toEqual(expected(300));
    refused(await rivulet(['cluster', 'upgrade', '--force', '--home', home]), 1, /is running .*: shut it down first with `rivulet cluster shutdown`/);
    ok(await rivulet(['cluster', 'shutdown', '--home', home]));

    // The older CLI again: a downgrade needs --force.
    refused(await rivulet(['cluster', 'upgrade', '--home', home], old), 1, /newer than this rivulet 0\.0\.9: a downgrade needs --force/);
    expect(ok(await rivulet(['cluster', 'upgrade', '--force', '--home', home], old)).stdout).toContain(`downgraded the cluster at ${home} from ${pkg.version} to ${OLD}`);
    ok(await rivulet(['cluster', 'delete', '--force', '--home', home]));
  });

  it('state checks: answers each state with a clear message and the right exit code', async () => {
    const empty = homes.make();
    const [down, st, del, resume, upgrade, spus, size, format] = await Promise.all([
      rivulet(['cluster', 'shutdown', '--home', empty]),
      rivulet(['cluster', 'status', '--home', empty]),
      rivulet(['cluster', 'delete', '--force', '--home', empty]),
      rivulet(['cluster', 'resume', '--home', empty]),
      rivulet(['cluster', 'upgrade', '--home', empty]),
      rivulet(['cluster', 'create', '--spus', '0', '--home', empty]),
      rivulet(['cluster', 'create', '--storage-bytes', 'lots', '--home', empty]),
      rivulet(['cluster', 'status', '-O', 'yaml', '--home', empty]),
    ]);
    expect(ok(down).stdout.trim()).toBe(`no cluster at ${empty}; nothing to shut down`);
    expect(ok(st).stdout.trim()).toBe(`no cluster at ${empty}`);
    expect(ok(del).stdout.trim()).toBe(`no cluster at ${empty}; nothing to delete`);
    refused(resume, 1, /no cluster at .*: create one with `rivulet cluster create`/);
    refused(upgrade, 1, /no cluster at/);
    refused(spus, 2, /'--spus <N>' argument '0' is invalid/);
    refused(size, 2, /expected a size/);
    refused(format, 2, /unknown output format 'yaml'/);

    // A daemon that cannot start (its port is taken): its log's error, and nothing left behind.
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    try {
      const port = (busy.address() as net.AddressInfo).port;
      refused(await rivulet(['cluster', 'create', '--port', String(port), '--home', empty]), 1, /the daemon exited with code 1 before serving: .*port in use \(log: .*daemon\.log\)/);
      expect(fs.readdirSync(empty)).toEqual(['logs']);
    } finally {
      busy.close();
    }

    const home = homes.make();
    ok(await rivulet(['cluster', 'create', '--port', '0', '--storage-bytes', '64MiB', '--home', home]));
    homes.track(home);
    expect(JSON.parse(fs.readFileSync(path.join(home, 'cluster.json'), 'utf8')).storageBytes).toBe(64 * 1024 * 1024);
    refused(await rivulet(['cluster', 'create', '--port', '0', '--home', home]), 1, /a cluster is already running at/);
    refused(await rivulet(['cluster', 'delete', '--home', home]), 1, /without confirmation: no terminal to ask on; pass --force/);
    ok(await rivulet(['cluster', 'shutdown', '--home', home]));
    expect(ok(await rivulet(['cluster', 'shutdown', '--home', home])).stdout.trim()).toBe(`the cluster at ${home} is not running`);
    const text = ok(await rivulet(['cluster', 'status', '--home', home])).stdout;
    expect(text).toContain(`cluster at ${home}: stopped`);
    expect(text).toMatch(/SPUs: 1 configured, 0 online/);
    expect(await status(home)).toMatchObject({ state: 'stopped', spus: 1, version: pkg.version, spuStatus: [{ id: 1, status: 'offline' }] });

    const [help, ...others] = await Promise.all(['create', 'resume', 'shutdown', 'upgrade', 'delete', 'status'].map((c) => rivulet(['cluster', c, '--help'])));
    for (const flag of ['--spus', '--port', '--storage-bytes', '--home']) expect(ok(help!).stdout).toContain(flag);
    for (const r of others) expect(ok(r).stdout).toContain('--home');
    expect(others[0]!.stdout).not.toContain('--spus'); // resume's config flags are refused, not offered
  });
});
