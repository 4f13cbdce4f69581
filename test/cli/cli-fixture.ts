/**
 * Fixture for the data-plane CLI tests (topic, produce, consume, partition, spu): an embedded
 * disk-mode cluster in the test process, served by its Kafka listener with a token, and a temp
 * home whose `run/daemon.json` points at it — what a daemon would leave there — so the real CLI
 * (dist/, a child process) finds it through `connect({ home })`.
 *
 * The CLI runs with async spawn only: spawnSync would block this process's event loop, and with
 * it the listener the child talks to.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cluster } from '../../src/index.js';
import { writeRunFile } from '../../src/cluster/run-file.js';

export const CLI = path.resolve(import.meta.dirname, '../../dist/src/cli/main.js');

export interface CliHome {
  home: string;
  cluster: Cluster;
  stop(): Promise<void>;
}

export async function startHome(spus = 1): Promise<CliHome> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rivulet-cli-'));
  const cluster = await Cluster.start({ spus, home });
  const token = `test-${process.pid}-${Date.now()}`;
  const l = await cluster.listen({ port: 0, token });
  writeRunFile(home, {
    pid: process.pid, address: `${l.host}:${l.port}`, brokers: [...l.brokers], token,
    startedAt: new Date().toISOString(), version: '0.0.0-test',
  });
  return {
    home,
    cluster,
    async stop() {
      await cluster.shutdown();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface CliOptions {
  home?: string;
  /** Written to the child's stdin, then stdin is closed (default: closed at once). */
  input?: string;
  timeoutMs?: number;
}

/** Start the CLI; RIVULET_HOME is the given home (or a directory with no cluster). */
export function spawnCli(args: string[], o: CliOptions = {}): ChildProcess {
  const env = { ...process.env, RIVULET_HOME: o.home ?? path.join(os.tmpdir(), 'rivulet-no-such-home') };
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin!.end(o.input ?? '');
  return child;
}

/** Wait for a started CLI to exit, collecting its output (killed after timeoutMs). */
export function collect(child: ChildProcess, timeoutMs = 60_000): Promise<CliResult> {
  const started = Date.now();
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

export function cli(args: string[], o: CliOptions = {}): Promise<CliResult> {
  return collect(spawnCli(args, o), o.timeoutMs);
}

/** Lines of stdout without the final newline. */
export const lines = (s: string): string[] => (s.endsWith('\n') ? s.slice(0, -1) : s).split('\n').filter((l, i, a) => a.length > 1 || l !== '');

/** The one-line error contract: stderr is exactly one `error: …` line, no stack trace. */
export function expectOneLineError(r: CliResult): string {
  const err = r.stderr.trimEnd();
  if (err.includes('\n') || !err.startsWith('error: ') || /\n\s+at /.test(r.stderr)) {
    throw new Error(`expected one 'error: …' line on stderr, got: ${JSON.stringify(r.stderr)}`);
  }
  return err;
}

export function tmpFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rivulet-cli-in-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** Cells of a borderless table row, cut at the header's column starts. */
export function tableCells(header: string, row: string, columns: readonly string[]): string[] {
  const starts: number[] = [];
  let from = 0;
  for (const c of columns) {
    const at = header.indexOf(c, from);
    if (at < 0) throw new Error(`column ${c} missing in ${JSON.stringify(header)}`);
    starts.push(at);
    from = at + c.length;
  }
  return starts.map((s, i) => row.slice(s, starts[i + 1] ?? row.length).trim());
}
