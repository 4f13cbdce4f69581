/**
 * What `rivulet cluster create|resume|shutdown|delete|upgrade` do (DESIGN §7), each after a state
 * check of the home: create/delete make or remove a cluster, shutdown/resume stop its daemon and
 * start it again from the saved config. Refusals throw a RivuletError with one clear line (the
 * CLI prints it and exits 1); "nothing to do" answers (shutdown of a stopped cluster) exit 0.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RivuletError, ErrorCode } from '../index.js';
import {
  assertNotLocked, checkStartable, clearStaleRunFile, inspectHome, newClusterConfig, packageVersion, removeHome,
  resolveHome, stopDaemon, writeClusterConfig, type HomeState,
} from '../daemon/home.js';
import { spawnDaemon, type SpawnResult } from '../daemon/spawn.js';
import { planUpgrade, runUpgrade } from '../daemon/upgrade.js';
import { confirm, ids, interactive, progress } from './cluster-ui.js';

type Out = (line: string) => void;

const refuse = (message: string, home: string): RivuletError => new RivuletError(ErrorCode.INVALID_CONFIG, message, { home });

function where(s: HomeState): string {
  return s.run ? `pid ${s.run.pid}, ${s.run.address}` : 'stopped';
}

/** Start the daemon and wait for exactly SPUs 1..N, showing progress. */
async function startDaemon(home: string, spus: number, out: Out): Promise<SpawnResult> {
  const p = progress(`starting the cluster at ${home}…`, out);
  try {
    return await spawnDaemon(home, spus, {
      onProgress: (e) => {
        if (e.phase === 'starting') p.update(`starting the daemon (pid ${e.pid})…`);
        else p.update(`waiting for SPUs ${ids(e.expected)}: online ${ids(e.online)}; offline ${ids(e.offline)}`);
      },
    });
  } finally {
    p.stop();
  }
}

function served(verb: string, home: string, r: SpawnResult, spus: number): string {
  const expected = Array.from({ length: spus }, (_, i) => i + 1);
  const others = r.spus.filter((s) => !expected.includes(s.id)).map((s) => s.id);
  return `cluster ${verb} at ${home}: SPUs ${ids(expected)} online${others.length ? ` (SPU ${ids(others)} offline, not configured)` : ''}, ` +
    `Kafka protocol on ${r.run.address}, version ${r.run.version} (${(r.elapsedMs / 1000).toFixed(1)} s)`;
}

export async function createCluster(o: { home?: string; spus: number; port: number; storageBytes?: number }, out: Out): Promise<void> {
  const home = resolveHome(o.home);
  const s = inspectHome(home);
  if (s.state === 'running') {
    throw refuse(`a cluster is already running at ${home} (${where(s)}): use it, or remove it with \`rivulet cluster delete\` (\`rivulet cluster resume\` restarts a stopped one)`, home);
  }
  if (s.state === 'stopped') {
    const what = s.config ? `${s.config.spus} SPU${s.config.spus === 1 ? '' : 's'}, stopped` : 'cluster data without cluster.json';
    throw refuse(`a cluster already exists at ${home} (${what}): start it with \`rivulet cluster resume\`, or remove it with \`rivulet cluster delete\``, home);
  }
  writeClusterConfig(home, newClusterConfig({ spus: o.spus, port: o.port, storageBytes: o.storageBytes ?? null, via: 'cli' }));
  let r: SpawnResult;
  try {
    r = await startDaemon(home, o.spus, out);
  } catch (err) {
    // Nothing was there before (state 'none'): undo, keeping logs/ for the error's log path.
    for (const n of fs.readdirSync(home)) {
      if (n === 'cluster.json' || n === 'metadata' || n === 'run' || /^spu-\d+$/.test(n)) fs.rmSync(path.join(home, n), { recursive: true, force: true });
    }
    throw err;
  }
  out(served('created', home, r, o.spus));
}

export async function resumeCluster(o: { home?: string }, out: Out): Promise<void> {
  const home = resolveHome(o.home);
  const s = inspectHome(home);
  if (s.state === 'none') throw refuse(`no cluster at ${home}: create one with \`rivulet cluster create\``, home);
  if (s.state === 'running') throw refuse(`the cluster at ${home} is already running (${where(s)})`, home);
  assertNotLocked(s);
  if (!s.config) throw refuse(`${home} holds cluster data but no cluster.json: remove it with \`rivulet cluster delete\``, home);
  checkStartable(home, s.config);
  if (clearStaleRunFile(s)) out(`the daemon (pid ${s.stalePid}) stopped without shutting down (killed?); recovering from its files`);
  const r = await startDaemon(home, s.config.spus, out);
  out(served('resumed', home, r, s.config.spus));
}

export async function shutdownCluster(o: { home?: string }, out: Out): Promise<void> {
  const home = resolveHome(o.home);
  const s = inspectHome(home);
  if (s.state === 'none') return out(`no cluster at ${home}; nothing to shut down`);
  if (s.state === 'stopped') {
    const stale = clearStaleRunFile(s) ? ` (removed the run file of its daemon, pid ${s.stalePid}, which had died)` : '';
    return out(`the cluster at ${home} is not running${stale}`);
  }
  const p = progress(`shutting down the cluster at ${home} (pid ${s.run!.pid})…`, out);
  try {
    await stopDaemon(home, s.run!);
  } finally {
    p.stop();
  }
  out(`cluster at ${home} shut down: data and config kept; \`rivulet cluster resume\` starts it again`);
}

export async function deleteCluster(o: { home?: string; force?: boolean }, out: Out): Promise<void> {
  const home = resolveHome(o.home);
  let s = inspectHome(home);
  if (s.state === 'none') return out(`no cluster at ${home}; nothing to delete`);
  if (!o.force) {
    if (!interactive()) throw refuse(`refusing to delete the cluster at ${home} without confirmation: no terminal to ask on; pass --force`, home);
    if (!(await confirm(`Delete the cluster at ${home} (${where(s)}) and all its data?`))) {
      process.exitCode = 1;
      return out('not deleted');
    }
  }
  if (s.state === 'running') {
    const p = progress(`stopping the cluster at ${home} (pid ${s.run!.pid})…`, out);
    try {
      await stopDaemon(home, s.run!);
    } finally {
      p.stop();
    }
    s = inspectHome(home);
  }
  assertNotLocked(s);
  removeHome(home);
  out(`deleted the cluster at ${home}`);
}

export async function upgradeCluster(o: { home?: string; force?: boolean }, out: Out): Promise<void> {
  const home = resolveHome(o.home);
  const s = inspectHome(home);
  if (s.state === 'none') throw refuse(`no cluster at ${home}: nothing to upgrade`, home);
  if (s.state === 'running') throw refuse(`the cluster at ${home} is running (${where(s)}): shut it down first with \`rivulet cluster shutdown\``, home);
  assertNotLocked(s);
  if (!s.config) throw refuse(`${home} holds cluster data but no cluster.json: nothing to upgrade`, home);
  const plan = planUpgrade(home, s.config);
  if (plan.kind === 'same') return out(`the cluster at ${home} is already at version ${plan.to} (format ${plan.formatTo}); nothing to upgrade`);
  const change = `from ${plan.from} to ${plan.to}${plan.formatFrom !== plan.formatTo ? ` (on-disk format ${plan.formatFrom} → ${plan.formatTo})` : ''}`;
  if (plan.kind === 'downgrade' && !o.force) {
    throw refuse(`the cluster at ${home} was recorded at ${plan.from}, newer than this rivulet ${packageVersion()}: a downgrade needs --force`, home);
  }
  if (!o.force) {
    if (!interactive()) throw refuse(`refusing to upgrade the cluster at ${home} ${change} without confirmation: no terminal to ask on; pass --force`, home);
    if (!(await confirm(`Upgrade the cluster at ${home} ${change}?`))) {
      process.exitCode = 1;
      return out('not upgraded');
    }
  }
  const p = progress(`upgrading the cluster at ${home} ${change}…`, out);
  let backup: string;
  try {
    ({ backup } = await runUpgrade(plan, { log: (line) => p.update(line) }));
  } finally {
    p.stop();
  }
  out(`${plan.kind === 'downgrade' ? 'downgraded' : 'upgraded'} the cluster at ${home} ${change}; old metadata backed up in ${backup}; start it with \`rivulet cluster resume\``);
}
