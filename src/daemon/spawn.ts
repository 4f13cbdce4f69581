/**
 * Start a home's daemon (main.ts) as a detached process and wait until it serves: run/daemon.json
 * names the child's live pid, and `connect({ home })` sees exactly SPUs 1..N of cluster.json
 * online (DESIGN §6: SPU ids outside 1..N are reported as offline and never counted — a home once
 * run with 3 SPUs and now configured with 1 neither hangs nor "confirms" SPUs it does not need).
 * Progress is reported through a callback; if the daemon exits before serving, the error carries
 * the last lines of its log.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RivuletError, ErrorCode } from '../runtime/errors.js';
import { Cluster } from '../cluster/cluster.js';
import { processAlive, readRunFile, type RunFile } from '../cluster/run-file.js';
import type { SpuInfo } from '../../actors/messages.js';

export interface SpawnProgress {
  phase: 'starting' | 'spus';
  pid: number;
  /** SPUs 1..N of cluster.json. */
  expected: number[];
  online: number[];
  /** Configured SPUs not online yet, and any other SPU id the cluster reports (never counted). */
  offline: number[];
}

export interface SpawnResult {
  run: RunFile;
  spus: SpuInfo[];
  elapsedMs: number;
}

export const daemonLogPath = (home: string): string => path.join(home, 'logs', 'daemon.log');

/** pino lines → their messages; other lines (a Node crash) as they are. */
function logTail(file: string, from: number, lines: number): string[] {
  let text = '';
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const buf = Buffer.alloc(Math.max(0, size - from));
      fs.readSync(fd, buf, 0, buf.length, from);
      text = buf.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return [];
  }
  const parsed = text.split('\n').filter((l) => l.trim()).map((l) => {
    try {
      const j = JSON.parse(l) as { level?: number; msg?: string };
      return { level: j.level ?? 30, msg: j.msg ?? l };
    } catch {
      return { level: 50, msg: l.trim() };
    }
  });
  const errors = parsed.filter((p) => p.level >= 50);
  return (errors.length > 0 ? errors : parsed).slice(-lines).map((p) => p.msg);
}

/** Confirmation (DESIGN §6): exactly the expected ids online; others are shown offline, never counted. */
export function confirmSpus(expected: number[], spus: SpuInfo[]): { online: number[]; offline: number[]; done: boolean } {
  const online = expected.filter((id) => spus.some((s) => s.id === id && s.status === 'online'));
  const others = spus.map((s) => s.id).filter((id) => !expected.includes(id));
  const offline = [...expected.filter((id) => !online.includes(id)), ...others].sort((a, b) => a - b);
  return { online, offline, done: online.length === expected.length };
}

export async function spawnDaemon(
  home: string,
  spuCount: number,
  opts: { onProgress?: (p: SpawnProgress) => void; timeoutMs?: number } = {},
): Promise<SpawnResult> {
  const t0 = Date.now();
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const expected = Array.from({ length: spuCount }, (_, i) => i + 1);
  const logFile = daemonLogPath(home);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const logFd = fs.openSync(logFile, 'a');
  const logStart = fs.fstatSync(logFd).size;
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.js');
  const child = spawn(process.execPath, [script, '--home', home], { detached: true, stdio: ['ignore', logFd, logFd], env: process.env });
  fs.closeSync(logFd);
  child.unref();
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  child.once('exit', (code, signal) => (exited = { code, signal }));
  const pid = child.pid;
  if (pid === undefined) throw new RivuletError(ErrorCode.INTERNAL, `cannot start the daemon (${process.execPath} ${script})`);

  const failure = (): RivuletError => {
    const how = exited!.signal ? `was killed by ${exited!.signal}` : `exited with code ${String(exited!.code)}`;
    const tail = logTail(logFile, logStart, 3).join(' | ');
    return new RivuletError(ErrorCode.CLUSTER_CLOSED, `the daemon ${how} before serving${tail ? `: ${tail}` : ''} (log: ${logFile})`, { home, pid });
  };
  const timedOut = (what: string): RivuletError => {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      /* gone */
    }
    return new RivuletError(ErrorCode.TIMEOUT, `${what} within ${Math.round(timeoutMs / 1000)} s; the daemon was stopped (log: ${logFile})`, { home, pid });
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const report = (phase: SpawnProgress['phase'], online: number[], offline: number[]) => opts.onProgress?.({ phase, pid, expected, online, offline });

  report('starting', [], expected);
  let run: RunFile | undefined;
  for (;;) {
    if (exited) throw failure();
    run = readRunFile(home);
    if (run && run.pid === pid && processAlive(pid)) break;
    if (Date.now() - t0 > timeoutMs) throw timedOut('the daemon did not start serving');
    await sleep(25);
  }

  const client = await Cluster.connect({ home, requestTimeoutMs: 10_000 }).catch((err: unknown) => {
    throw exited ? failure() : err;
  });
  try {
    let last = '';
    for (;;) {
      if (exited) throw failure();
      const spus = await client.admin.listSpus();
      const c = confirmSpus(expected, spus);
      const key = `${c.online.join(',')}/${c.offline.join(',')}`;
      if (key !== last) report('spus', c.online, c.offline);
      last = key;
      if (c.done) return { run, spus, elapsedMs: Date.now() - t0 };
      if (Date.now() - t0 > timeoutMs) throw timedOut(`SPUs ${c.offline.filter((id) => expected.includes(id)).join(', ')} did not come online`);
      await sleep(50);
    }
  } finally {
    await client.close();
  }
}
