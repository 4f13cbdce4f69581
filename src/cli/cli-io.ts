/**
 * Shared helpers of the `rivulet` commands (DESIGN §8): the home (`--home` / RIVULET_HOME /
 * ~/.rivulet), connecting to the cluster running there, argument parsers (integers, sizes such as
 * `64MiB`, durations such as `7d`), borderless tables and `-O json`, and the one error path.
 *
 * Invariants: every error reaches the user as one line on stderr, `error: …`, never a stack;
 * the exit code is 2 for usage errors (CliUsageError, commander's parse errors) and 1 for the
 * rest; stdout carries only results (tables, JSON, records).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import bytes from 'bytes';
import Table from 'cli-table3';
import { InvalidArgumentError, Option } from 'commander';
import ms from 'ms';
import { connect, RivuletError, ErrorCode, type Cluster } from '../index.js';

/** A usage error found after commander parsed the line (exit 2). */
export class CliUsageError extends Error {}

// ---- home and connection -------------------------------------------------------------------

export const homeOption = (): Option =>
  new Option('--home <dir>', 'cluster home directory (default: $RIVULET_HOME or ~/.rivulet)');

/** The home a command works on: `--home`, else RIVULET_HOME, else ~/.rivulet (`~` expanded). */
export function resolveHome(flag?: string): string {
  const raw = flag ?? (process.env.RIVULET_HOME || path.join(os.homedir(), '.rivulet'));
  const expanded = raw === '~' || raw.startsWith('~/') ? path.join(os.homedir(), raw.slice(1)) : raw;
  return path.resolve(expanded);
}

/** A client of the cluster running at `home`; a clear error naming the command to run if none is. */
export async function connectHome(home: string): Promise<Cluster> {
  try {
    return await connect({ home });
  } catch (err) {
    if (err instanceof RivuletError && err.code === ErrorCode.CLUSTER_CLOSED) {
      const stopped = fs.existsSync(path.join(home, 'cluster.json'));
      throw new RivuletError(
        ErrorCode.CLUSTER_CLOSED,
        stopped
          ? `the cluster at ${home} is not running: start it with \`rivulet cluster resume\``
          : `no cluster is running at ${home}: start one with \`rivulet cluster create\` (or \`rivulet cluster resume\` a stopped one)`,
      );
    }
    if (err instanceof RivuletError && err.code === ErrorCode.CONNECTION_ERROR) {
      throw new RivuletError(err.code, `cannot reach the cluster at ${home}: ${err.message} (see \`rivulet cluster status\`)`);
    }
    throw err;
  }
}

/** Connect to the home's cluster, run `fn`, always disconnect. */
export async function withClient<T>(homeFlag: string | undefined, fn: (client: Cluster) => Promise<T>): Promise<T> {
  const client = await connectHome(resolveHome(homeFlag));
  try {
    return await fn(client);
  } finally {
    await client.close().catch(() => undefined);
  }
}

// ---- errors ----------------------------------------------------------------------------------

/** One line: the message's first line, without the class name or stack. */
export function errorLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return `error: ${msg.split('\n')[0]!.replace(/^error:\s*/i, '')}`;
}

export function exitCodeFor(err: unknown): number {
  return err instanceof CliUsageError || err instanceof InvalidArgumentError ? 2 : 1;
}

/** Print an error as one line on stderr and set the exit code (1, or 2 for usage errors). */
export function reportError(err: unknown): void {
  process.stderr.write(`${errorLine(err)}\n`);
  process.exitCode = exitCodeFor(err);
}

/** Wrap a command's action: any error becomes one line on stderr and an exit code. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      reportError(err);
    }
  };
}

// ---- argument parsers (commander) ----------------------------------------------------------

/** An integer in [min, max] written in decimal digits; commander reports a bad one (exit 2). */
export function intArg(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(max === Number.MAX_SAFE_INTEGER ? `expected an integer ≥ ${min}` : `expected an integer in ${min}..${max}`);
    }
    return n;
  };
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/**
 * A size: plain bytes (`1048576`) or a number with a unit, `KB`/`KiB`/`K`, `MB`/`MiB`/`M`,
 * `GB`/`GiB`/`G`, `TB`/`TiB`/`T` — all binary (1 MB = 1 MiB = 1048576 bytes), as sizes are printed.
 */
export function parseSize(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*$/i.exec(value);
  const unit = m ? (m[2] ?? '').toLowerCase() : '';
  const n = m ? Math.round(Number(m[1]) * UNITS[unit]!) : NaN;
  if (!m || (m[3] && m[3].toLowerCase() === 'ib' && unit === '') || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError("expected a size such as 1048576, 512KiB, 64MiB or 1GB");
  }
  return n;
}

/** A duration for `ms`: `7d`, `12h`, `30m`, `90s`, or plain milliseconds. */
export function parseDuration(value: string): number {
  const n = /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : ms(value as ms.StringValue);
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 1) throw new InvalidArgumentError("expected a duration such as 7d, 12h, 30m, 90s or milliseconds");
  return Math.round(n);
}

/** `987.2 MB`; Infinity is `unlimited`. */
export function formatSize(n: number): string {
  if (n === Infinity || n === null) return 'unlimited';
  return bytes.format(n, { unitSeparator: ' ', decimalPlaces: 1 }) ?? String(n);
}

/** `7d`, `1h`; Infinity is `forever`. */
export function formatDuration(n: number): string {
  if (n === Infinity || n === null) return 'forever';
  return ms(n);
}

// ---- output ------------------------------------------------------------------------------------

export type OutputFormat = 'table' | 'json';

export const outputOption = (): Option =>
  new Option('-O, --output <format>', 'output format').choices(['table', 'json']).default('table');

const NO_BORDER = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '',
};

/** A borderless table, Fluvio-like: a header row, columns two spaces apart, no trailing blanks. */
export function table(head: string[], rows: (string | number)[][]): string {
  const t = new Table({ head, chars: NO_BORDER, style: { head: [], border: [], 'padding-left': 0, 'padding-right': 2 } });
  for (const r of rows) t.push(r.map(String));
  return t.toString().split('\n').map((l) => l.trimEnd()).join('\n');
}

/** JSON for scripts (Infinity, which JSON lacks, prints as null). */
export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

let stdoutClosed = false;
let stdoutGuarded = false;

/** `rivulet consume t | head`: when the reader leaves (EPIPE), stop writing — not an error. */
function guardStdout(): void {
  if (stdoutGuarded) return;
  stdoutGuarded = true;
  process.stdout.on('error', () => {
    stdoutClosed = true;
    process.stdout.emit('drain');
  });
}

/** Write to stdout, waiting for the pipe to drain; resolves false once the reader went away. */
export function writeOut(text: string): Promise<boolean> {
  guardStdout();
  if (stdoutClosed) return Promise.resolve(false);
  return new Promise((resolve) => {
    if (process.stdout.write(text)) resolve(!stdoutClosed);
    else process.stdout.once('drain', () => resolve(!stdoutClosed));
  });
}

export const isStdoutClosed = (): boolean => stdoutClosed;

/** Print a line to stdout (tables, JSON, confirmations). */
export const println = (line: string): Promise<boolean> => writeOut(`${line}\n`);
