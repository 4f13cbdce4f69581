/**
 * `rivulet produce TOPIC [-f FILE] [--key-separator SEP] [--acks 0|1|all]` (DESIGN §8): one record
 * per input line, from stdin or FILE. With `--key-separator SEP` the key is what precedes the
 * first SEP and the value what follows; a line without SEP is a record without a key. Lines end
 * at `\n` (or `\r\n`); an empty line is an empty record.
 *
 * Sends are not awaited one by one: the producer batches them, and at most WINDOW records are
 * unacknowledged before reading pauses (memory stays bounded for any input size). At the end it
 * flushes and prints one line on **stdout**: `N records acknowledged (topic "T", acks=A)` (with
 * acks=0: `N records sent …`). A failure prints that line with the count so far, then the error
 * on stderr, exit 1. Ctrl-C stops reading, flushes what was read and reports it.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { InvalidArgumentError, type Command } from 'commander';
import type { AcksMode } from '../index.js';
import { action, CliUsageError, connectHome, homeOption, println, resolveHome } from './cli-io.js';

/** Most records sent and not yet acknowledged before reading waits. */
const WINDOW = 20_000;

interface ProduceOpts {
  file?: string;
  keySeparator?: string;
  acks: AcksMode;
  home?: string;
}

export function parseAcks(value: string): AcksMode {
  if (value === '0') return 0;
  if (value === '1') return 1;
  if (value === 'all' || value === '-1') return 'all';
  throw new InvalidArgumentError("expected 0, 1 or all");
}

/** The input stream: FILE (checked before anything is sent) or stdin. */
async function openInput(file: string | undefined): Promise<Readable> {
  if (file === undefined) {
    if (process.stdin.isTTY) process.stderr.write('reading records from stdin, one per line (Ctrl-D ends)\n');
    return process.stdin;
  }
  try {
    const st = await fs.promises.stat(file);
    if (!st.isFile()) throw new Error('not a file');
    await fs.promises.access(file, fs.constants.R_OK);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.message;
    throw new Error(`cannot read '${file}': ${why}`);
  }
  return fs.createReadStream(file);
}

/** Split a line into key and value at the first separator (no separator: no key). */
export function splitLine(line: string, sep: string | undefined): { key: string | null; value: string } {
  if (sep === undefined) return { key: null, value: line };
  const i = line.indexOf(sep);
  return i < 0 ? { key: null, value: line } : { key: line.slice(0, i), value: line.slice(i + sep.length) };
}

async function produce(topic: string, o: ProduceOpts): Promise<void> {
  if (o.keySeparator === '') throw new CliUsageError('--key-separator must not be empty');
  const input = await openInput(o.file);
  const client = await connectHome(resolveHome(o.home));
  let rl: readline.Interface | undefined;
  const stop = (): void => rl?.close();
  let sent = 0;
  let settled = 0;
  let acked = 0;
  let failure: unknown;
  try {
    const producer = await client.producer(topic, { acks: o.acks });
    process.once('SIGINT', stop);
    let wake: (() => void) | undefined;
    const onSettled = (): void => {
      settled++;
      if (wake && sent - settled <= WINDOW / 2) {
        const w = wake;
        wake = undefined;
        w();
      }
    };
    const ok = (): void => {
      acked++;
      onSettled();
    };
    const fail = (err: unknown): void => {
      failure ??= err;
      onSettled();
    };
    // Lines read before the loop iterates would be lost: create the reader right here.
    rl = readline.createInterface({ input, crlfDelay: Infinity });
    for await (const line of rl) {
      if (failure !== undefined) break;
      const { key, value } = splitLine(line, o.keySeparator);
      producer.send(key, value).then(ok, fail);
      sent++;
      if (sent - settled >= WINDOW) await new Promise<void>((r) => (wake = r));
    }
    await producer.flush().catch((err: unknown) => (failure ??= err));
    // flush() settled every batch; the receipts' callbacks run right after.
    for (let i = 0; settled < sent && i < 1000; i++) await new Promise((r) => setImmediate(r));
  } finally {
    process.off('SIGINT', stop);
    rl?.close();
    input.destroy();
    await client.close().catch(() => undefined);
  }
  const acks = o.acks === 'all' ? 'all' : String(o.acks);
  if (sent > 0 || failure === undefined) {
    await println(o.acks === 0 ? `${sent} records sent (topic "${topic}", acks=0: not acknowledged)` : `${acked} records acknowledged (topic "${topic}", acks=${acks})`);
  }
  if (failure !== undefined) throw failure;
}

export function registerProduceCommand(program: Command): void {
  program
    .command('produce')
    .description('produce records to a topic: one record per input line, from stdin or -f FILE; prints the acknowledged count on stdout')
    .argument('<topic>', 'topic name')
    .option('-f, --file <path>', 'read the records from this file instead of stdin')
    .option('--key-separator <sep>', 'lines are KEY<sep>VALUE: the key precedes the first <sep> (a line without it has no key)')
    .option('--acks <acks>', 'acknowledgement: 0 (none), 1 (leader) or all (every in-sync replica)', parseAcks, 'all' as AcksMode)
    .addOption(homeOption())
    .action(action((topic: string, o: ProduceOpts) => produce(topic, o)));
}
