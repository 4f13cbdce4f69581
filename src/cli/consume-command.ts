/**
 * `rivulet consume TOPIC [-p N] [-B | -H N | -T N | --start OFFSET] [--end OFFSET] [-d] [-k]
 * [--isolation read_committed|read_uncommitted] [-O text|json]` (DESIGN §8, flags after Fluvio's).
 *
 * Where it starts: `-B` at BASE (the first offset still stored), `-H N` N records after BASE,
 * `-T N` N records before the end (the last N), `--start` an absolute offset, default the end.
 * The end is HW (read_committed, the default) or LEO (read_uncommitted), read when the command
 * starts. `-d` prints up to that end and exits; otherwise it follows the log until Ctrl-C
 * (SIGINT/SIGTERM: exit 0, connection closed). `--end OFFSET` stops after that offset (inclusive).
 *
 * Output on stdout, one record per line: the value; with `-k` `KEY<sep>VALUE` (`--key-separator`,
 * default ':'; a record without a key prints its value alone); with `-O json` one object per line
 * `{ partition, offset, key, value, timestamp }` (key null when absent). Keys and values print as
 * UTF-8. Errors: unknown topic or partition, or a start below BASE or past LEO, exit 1; negative
 * or malformed numbers, or two start flags, exit 2.
 */
import { Option, type Command } from 'commander';
import { ErrorCode, Offset, RivuletError, type Cluster, type Isolation, type PartitionInfo, type Record as LogRecord } from '../index.js';
import { action, CliUsageError, connectHome, intArg, resolveHome, homeOption, writeOut } from './cli-io.js';

interface ConsumeOpts {
  partition: number;
  beginning?: boolean;
  head?: number;
  tail?: number;
  start?: number;
  end?: number;
  disableContinuous?: boolean;
  keyValue?: boolean;
  keySeparator: string;
  isolation: Isolation;
  output: 'text' | 'json';
  home?: string;
}

const text = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');

export function formatRecord(r: LogRecord, partition: number, o: Pick<ConsumeOpts, 'keyValue' | 'keySeparator' | 'output'>): string {
  if (o.output === 'json') {
    return JSON.stringify({ partition, offset: r.offset, key: r.key === null ? null : text(r.key), value: text(r.value), timestamp: r.timestamp });
  }
  return o.keyValue && r.key !== null ? `${text(r.key)}${o.keySeparator}${text(r.value)}` : text(r.value);
}

/** The start offset (checked against BASE and LEO) and the stop offset (exclusive; undefined: follow). */
export function plan(info: PartitionInfo, o: ConsumeOpts): { start: number; stop: number | undefined } {
  const { base, leo } = info;
  const end = o.isolation === 'read_uncommitted' ? info.leo : info.hw;
  const where = `topic '${info.topic}' partition ${info.partition}`;
  let start = end;
  if (o.beginning) start = base;
  else if (o.head !== undefined) start = Math.min(end, base + o.head);
  else if (o.tail !== undefined) start = Math.max(base, end - o.tail);
  else if (o.start !== undefined) start = o.start;
  if (start < base) {
    throw new RivuletError(ErrorCode.OFFSET_OUT_OF_RANGE, `offset ${start} is below BASE ${base} of ${where}: older records were removed by retention (consume from ${base}, or use -B)`);
  }
  if (start > leo) throw new RivuletError(ErrorCode.OFFSET_OUT_OF_RANGE, `offset ${start} is past the end of ${where} (LEO ${leo})`);
  let stop = o.disableContinuous ? end : undefined;
  if (o.end !== undefined) {
    if (o.end < start) throw new RivuletError(ErrorCode.OFFSET_OUT_OF_RANGE, `--end ${o.end} is before the start offset ${start} of ${where}`);
    stop = Math.min(stop ?? Infinity, o.end + 1);
  }
  return { start, stop };
}

async function partitionInfo(client: Cluster, topic: string, partition: number): Promise<PartitionInfo> {
  const parts = (await client.admin.listPartitions()).filter((p) => p.topic === topic);
  if (parts.length === 0) throw new RivuletError(ErrorCode.UNKNOWN_TOPIC, `unknown topic '${topic}'`);
  const info = parts.find((p) => p.partition === partition);
  if (!info) throw new RivuletError(ErrorCode.UNKNOWN_PARTITION, `topic '${topic}' has no partition ${partition} (it has ${parts.length}: 0..${parts.length - 1})`);
  return info;
}

/** Print the planned range of the partition; an error thrown before any record carries data.printed = 0. */
async function stream(client: Cluster, topic: string, o: ConsumeOpts, consumers: { close(): void }[], interrupted: () => boolean): Promise<void> {
  const info = await partitionInfo(client, topic, o.partition);
  const { start, stop } = plan(info, o);
  if (stop !== undefined && start >= stop) return;
  const consumer = await client.consumer(topic, { partition: o.partition, offset: Offset.absolute(start), isolation: o.isolation });
  consumers.push(consumer);
  let printed = 0;
  try {
    if (interrupted()) return;
    for await (const batch of consumer.batches()) {
      let out = '';
      let done = false;
      for (const r of batch.records) {
        if (stop !== undefined && r.offset >= stop) {
          done = true;
          break;
        }
        out += `${formatRecord(r, o.partition, o)}\n`;
        printed++;
        if (stop !== undefined && r.offset >= stop - 1) {
          done = true;
          break;
        }
      }
      if (out && !(await writeOut(out))) return; // the reader went away (EPIPE)
      if (done || interrupted()) return;
    }
  } catch (err) {
    if (err instanceof RivuletError && printed === 0) err.data.printed = 0;
    throw err;
  } finally {
    consumer.close();
  }
}

async function consume(topic: string, o: ConsumeOpts): Promise<void> {
  const starts = [o.beginning ? '-B' : '', o.head !== undefined ? '-H' : '', o.tail !== undefined ? '-T' : '', o.start !== undefined ? '--start' : ''].filter(Boolean);
  if (starts.length > 1) throw new CliUsageError(`use one of -B, -H, -T and --start, not ${starts.join(' and ')}`);
  if (o.keySeparator === '') throw new CliUsageError('--key-separator must not be empty');
  const client = await connectHome(resolveHome(o.home));
  let interrupted = false;
  const consumers: { close(): void }[] = [];
  const onSignal = (): void => {
    interrupted = true;
    for (const c of consumers) c.close();
    void client.close().catch(() => undefined);
    // The last resort if closing hangs: nothing of ours is left to clean up.
    setTimeout(() => process.exit(0), 1500).unref();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    // BASE may move (retention) between reading it and opening the consumer: -B/-H/-T then retry.
    for (let attempt = 0; ; attempt++) {
      try {
        await stream(client, topic, o, consumers, () => interrupted);
        return;
      } catch (err) {
        const moved = err instanceof RivuletError && err.code === ErrorCode.OFFSET_OUT_OF_RANGE && err.data.printed === 0;
        if (!moved || o.start !== undefined || attempt >= 2) throw err;
      }
    }
  } catch (err) {
    if (!interrupted) throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    for (const c of consumers) c.close();
    await client.close().catch(() => undefined);
  }
}

export function registerConsumeCommand(program: Command): void {
  program
    .command('consume')
    .description('print the records of a partition, one per line on stdout; follows the log until Ctrl-C unless -d or --end')
    .argument('<topic>', 'topic name')
    .option('-p, --partition <N>', 'partition to read', intArg(0), 0)
    .option('-B, --beginning', 'start at BASE, the first offset still stored')
    .option('-H, --head <N>', 'start N records after BASE', intArg(0))
    .option('-T, --tail <N>', 'start N records before the end (the last N records)', intArg(0))
    .option('--start <offset>', 'start at this absolute offset', intArg(0))
    .option('--end <offset>', 'stop after this offset (inclusive)', intArg(0))
    .option('-d, --disable-continuous', 'exit once caught up with the end as it was at start (HW, or LEO with read_uncommitted)')
    .option('-k, --key-value', "print KEY<sep>VALUE (a record without a key prints its value alone)")
    .option('--key-separator <sep>', 'separator printed by -k', ':')
    .addOption(new Option('--isolation <level>', 'read_committed: up to HW; read_uncommitted: up to LEO').choices(['read_committed', 'read_uncommitted']).default('read_committed'))
    .addOption(new Option('-O, --output <format>', 'text: values (or key<sep>value); json: one object per line').choices(['text', 'json']).default('text'))
    .addOption(homeOption())
    .action(action((topic: string, o: ConsumeOpts) => consume(topic, o)));
}
