/**
 * `<home>/run/daemon.json` (DESIGN §7): how clients find a running daemon — its pid, the
 * listener's bootstrap `address` (host:port), every broker, and the token. Written by the daemon
 * (mode 0600, atomically: temp file + rename) once it serves, removed on a clean stop; read by
 * `connect({ home })` and the CLI. A file whose pid is dead is stale (the daemon was killed).
 *
 * Invariant: a reader never sees a half-written file; `readRunFile` returns undefined for a
 * missing or stale file, and throws INVALID_CONFIG for one that is not a run file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RivuletError, ErrorCode } from '../runtime/errors.js';

export interface RunFile {
  pid: number;
  /** The listener's bootstrap address, host:port. */
  address: string;
  brokers: { nodeId: number; host: string; port: number }[];
  token: string;
  startedAt: string;
  version: string;
}

export const runFilePath = (home: string): string => path.join(home, 'run', 'daemon.json');

/** A process that exists and is not a zombie (a killed daemon waits as one until init reaps it). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // Linux: /proc/<pid>/stat is "pid (comm) S …"; state Z = exited, not yet reaped.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch (err) {
    // Gone meanwhile (ENOENT with procfs mounted), or no procfs (macOS): kill(0) answered.
    return !((err as NodeJS.ErrnoException).code === 'ENOENT' && fs.existsSync('/proc/self/stat'));
  }
}

export function writeRunFile(home: string, run: RunFile): void {
  const file = runFilePath(home);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(run, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

export function removeRunFile(home: string): void {
  fs.rmSync(runFilePath(home), { force: true });
}

/** The running daemon's run file, or undefined (none, or its process is gone). */
export function readRunFile(home: string): RunFile | undefined {
  let text: string;
  try {
    text = fs.readFileSync(runFilePath(home), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new RivuletError(ErrorCode.INVALID_CONFIG, `cannot read ${runFilePath(home)}: ${(err as Error).message}`);
  }
  let run: RunFile;
  try {
    run = JSON.parse(text) as RunFile;
  } catch {
    throw new RivuletError(ErrorCode.INVALID_CONFIG, `${runFilePath(home)} is not a rivulet run file`);
  }
  if (!Number.isInteger(run.pid) || typeof run.address !== 'string' || typeof run.token !== 'string') {
    throw new RivuletError(ErrorCode.INVALID_CONFIG, `${runFilePath(home)} is not a rivulet run file`);
  }
  return processAlive(run.pid) ? run : undefined;
}
