/**
 * A cluster home as the CLI sees it (DESIGN §7): where it is (`--home`, RIVULET_HOME,
 * ~/.rivulet), what state it is in (none / stopped / running, with a stale run file or lock left by
 * a killed daemon detected), and stopping its daemon. The CLI reaches src/cluster only through
 * this module (and spawn.ts), so the saved-config helpers are re-exported here.
 *
 * Invariant: a home is "running" only while run/daemon.json names a live process; a run file or
 * lock of a dead pid is stale and never blocks a start (the next daemon replaces them).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RivuletError, ErrorCode } from '../runtime/errors.js';
import { Cluster } from '../cluster/cluster.js';
import { processAlive, readRunFile, removeRunFile, runFilePath, type RunFile } from '../cluster/run-file.js';
import { readClusterConfig, type ClusterConfig } from '../cluster/cluster-config.js';

export {
  packageVersion, compareVersions, readClusterConfig, writeClusterConfig, newClusterConfig, checkStartable,
  FORMAT_VERSION, type ClusterConfig, type UpgradeMark,
} from '../cluster/cluster-config.js';
export type { RunFile } from '../cluster/run-file.js';

/** `--home D`, else RIVULET_HOME, else ~/.rivulet; `~` expanded, always absolute. */
export function resolveHome(flag?: string): string {
  const raw = flag ?? (process.env.RIVULET_HOME || path.join(os.homedir(), '.rivulet'));
  if (raw.length === 0) throw new RivuletError(ErrorCode.INVALID_ARGUMENT, 'the cluster home must be a directory path');
  const expanded = raw === '~' || raw.startsWith('~/') ? path.join(os.homedir(), raw.slice(1)) : raw;
  return path.resolve(expanded);
}

export interface HomeState {
  home: string;
  /** none: no cluster here; stopped: saved, no daemon; running: a live daemon serves it. */
  state: 'none' | 'stopped' | 'running';
  config?: ClusterConfig;
  run?: RunFile;
  /** The pid of a run file left by a daemon that died (kill -9). */
  stalePid?: number;
  /** A live process holding run/lock without a run file (a daemon starting, or an embedded cluster). */
  lockedBy?: number;
}

/** Files a cluster leaves in its home; a home with any of them holds a cluster. */
function hasClusterData(home: string): boolean {
  try {
    return fs.readdirSync(home).some((n) => n === 'cluster.json' || n === 'metadata' || /^spu-\d+$/.test(n));
  } catch {
    return false;
  }
}

function rawPid(file: string): number | undefined {
  try {
    const text = fs.readFileSync(file, 'utf8');
    const pid = text.trimStart().startsWith('{') ? (JSON.parse(text) as { pid?: unknown }).pid : Number.parseInt(text, 10);
    return typeof pid === 'number' && Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function inspectHome(home: string): HomeState {
  const config = readClusterConfig(home);
  if (!config && !hasClusterData(home)) return { home, state: 'none' };
  const run = readRunFile(home);
  const s: HomeState = { home, state: run ? 'running' : 'stopped', ...(config ? { config } : {}), ...(run ? { run } : {}) };
  if (!run) {
    const stale = rawPid(runFilePath(home));
    if (stale !== undefined) s.stalePid = stale;
    const locker = rawPid(path.join(home, 'run', 'lock'));
    if (locker !== undefined && locker !== process.pid && processAlive(locker)) s.lockedBy = locker;
  }
  return s;
}

/** Refuse to touch a home a live process holds (a daemon starting up, or an embedded cluster). */
export function assertNotLocked(s: HomeState): void {
  if (s.lockedBy !== undefined) {
    throw new RivuletError(ErrorCode.INVALID_CONFIG, `the cluster home ${s.home} is in use by process ${s.lockedBy} (a daemon starting, or an embedded cluster); try again when it is done`, { home: s.home });
  }
}

/** Remove a run file a killed daemon left behind; true if there was one. */
export function clearStaleRunFile(s: HomeState): boolean {
  if (s.state === 'running' || s.stalePid === undefined) return false;
  removeRunFile(s.home);
  return true;
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (processAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}

/**
 * Stop a running daemon gracefully: ClusterShutdown over the Kafka protocol (flush, checkpoint,
 * remove run/), then wait for its process to exit; SIGTERM if the request cannot be made.
 */
export async function stopDaemon(home: string, run: RunFile, timeoutMs = 30_000): Promise<void> {
  try {
    const client = await Cluster.connect({ home, requestTimeoutMs: 10_000 });
    await client.shutdown();
  } catch {
    try {
      process.kill(run.pid, 'SIGTERM'); // the daemon stops gracefully on SIGTERM too
    } catch {
      /* already gone */
    }
  }
  if (!(await waitForExit(run.pid, timeoutMs))) {
    throw new RivuletError(ErrorCode.TIMEOUT, `the daemon (pid ${run.pid}) did not stop within ${Math.round(timeoutMs / 1000)} s; see ${path.join(home, 'logs', 'daemon.log')}`, { home, pid: run.pid });
  }
}

/** A safety net before `rm -rf`: only a directory that holds a cluster is removed. */
export function removeHome(home: string): void {
  if (!hasClusterData(home)) throw new RivuletError(ErrorCode.INVALID_CONFIG, `${home} does not look like a rivulet home; not removing it`, { home });
  fs.rmSync(home, { recursive: true, force: true });
}
