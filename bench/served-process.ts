/**
 * Runs bench/served-child.ts as a child process for the remote rows: the rivulet server in its own
 * process, the client in the bench's. `withServedChild(fn)` starts it, hands `fn` the bootstrap
 * address and a way to read the child's CPU time, and always stops it afterwards.
 *
 * Invariants:
 * - The child is stopped on every path: `fn` resolving or throwing, the child failing to start
 *   (START_LIMIT_MS), a stop that hangs (SIGKILL after STOP_LIMIT_MS), and the bench process
 *   ending abruptly (its exit kills the child; the child also stops when its stdin closes).
 * - At most one answer is awaited at a time (`cpuUs` calls are serialised by the caller), and
 *   every wait is bounded (ANSWER_LIMIT_MS).
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./served-child.js', import.meta.url));
const START_LIMIT_MS = 60_000;
const STOP_LIMIT_MS = 15_000;
const ANSWER_LIMIT_MS = 10_000;

export interface ServedChild {
  bootstrap: string;
  pid: number;
  /** The child's CPU time so far (user + system, all its threads), µs. */
  cpuUs(): Promise<number>;
}

type Child = ChildProcessByStdio<Writable, Readable, null>;

/** The child's next answer: a line starting with `{"<key>"`; other lines (node flags such as --trace-gc print their own) go to stderr. */
function nextLine(lines: AsyncIterator<string>, key: string, limitMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`served child: no ${key} within ${limitMs} ms`)), limitMs);
  });
  const line = (async () => {
    for (;;) {
      const r = await lines.next();
      if (r.done) throw new Error(`served child: ended before its ${key}`);
      if (r.value.startsWith(`{"${key}"`)) return r.value;
      process.stderr.write(`served child: ${r.value}\n`);
    }
  })();
  return Promise.race([line, limit]).finally(() => clearTimeout(timer));
}

async function stopChild(child: Child): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdin.end('stop\n');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_LIMIT_MS);
  await exited;
  clearTimeout(timer);
}

export async function withServedChild<T>(fn: (served: ServedChild) => Promise<T>): Promise<T> {
  // RIVULET_SERVED_NODE_ARGS: node flags for the child, e.g. '--cpu-prof --cpu-prof-dir=DIR' (docs/performance.md).
  const nodeArgs = (process.env.RIVULET_SERVED_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const child: Child = spawn(process.execPath, [...nodeArgs, CHILD], { stdio: ['pipe', 'pipe', 'inherit'] });
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  try {
    const first = await nextLine(lines, 'host', START_LIMIT_MS);
    const { host, port } = JSON.parse(first) as { host: string; port: number };
    const cpuUs = async (): Promise<number> => {
      child.stdin.write('cpu\n');
      return (JSON.parse(await nextLine(lines, 'cpuUs', ANSWER_LIMIT_MS)) as { cpuUs: number }).cpuUs;
    };
    return await fn({ bootstrap: `${host}:${port}`, pid: child.pid!, cpuUs });
  } finally {
    await stopChild(child);
    process.removeListener('exit', killOnExit);
  }
}
