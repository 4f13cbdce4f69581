/**
 * Helpers of the end-to-end lifecycle tests: run the real CLI from dist/ as a child process
 * (asynchronously, so the test can produce meanwhile), temporary homes, and a cleanup that stops
 * every daemon a test started — SIGKILL by the pid in run/daemon.json or run/lock — even after a
 * failure, then removes the homes.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers.js';

export const CLI = path.resolve(import.meta.dirname, '../../dist/src/cli/main.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `rivulet ...args` with a clean environment (no RIVULET_HOME / version override unless given). */
export function rivulet(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CliResult> {
  const base = { ...process.env };
  delete base.RIVULET_HOME;
  delete base.RIVULET_VERSION_OVERRIDE;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

function pidIn(file: string): number | undefined {
  try {
    const text = fs.readFileSync(file, 'utf8');
    const pid = text.trimStart().startsWith('{') ? (JSON.parse(text) as { pid: number }).pid : Number.parseInt(text, 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The daemon pid recorded in a home (run file, else lock), if any. */
export function daemonPid(home: string): number | undefined {
  return pidIn(path.join(home, 'run', 'daemon.json')) ?? pidIn(path.join(home, 'run', 'lock'));
}

/** Is `pid` a rivulet daemon (never kill a process that reused a pid)? Assumed yes without procfs. */
function isDaemon(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('daemon/main.js');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ENOENT' || !fs.existsSync('/proc/self/cmdline');
  }
}

export class Homes {
  private readonly homes: string[] = [];
  private readonly pids = new Set<number>();

  make(): string {
    const h = tempDir('rivulet-cluster-');
    this.homes.push(h);
    return h;
  }

  /** Remember a daemon's pid (homes get deleted by tests; the pid must still be killed). */
  track(home: string): number | undefined {
    const pid = daemonPid(home);
    if (pid !== undefined && pid !== process.pid) this.pids.add(pid);
    return pid;
  }

  async cleanup(): Promise<void> {
    for (const h of this.homes) this.track(h);
    for (const pid of this.pids) {
      if (!isDaemon(pid)) continue;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    for (const h of this.homes) fs.rmSync(h, { recursive: true, force: true });
  }
}

/** Lines of a text as a trimmed array (for readable assertions). */
export const lines = (s: string): string[] => s.split('\n').map((l) => l.trim()).filter(Boolean);
