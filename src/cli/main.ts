#!/usr/bin/env node
/**
 * The `rivulet` command. Today: `sim` (deterministic simulation runs) and `bench` (throughput
 * figures). The cluster/topic/produce/consume commands need the local daemon and the remote
 * protocol, which are not built yet; commander answers unknown commands with a clear error.
 * Exit codes: 0 ok, 1 a failure (a seed failed, the bench failed), 2 usage error.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { simCommand } from './sim-command.js';
import { registerClusterCommands } from './cluster-command.js';
import { registerConsumeCommand } from './consume-command.js';
import { registerPartitionCommand } from './partition-command.js';
import { registerProduceCommand } from './produce-command.js';
import { registerSpuCommand } from './spu-command.js';
import { registerTopicCommand } from './topic-command.js';

const pkg = createRequire(import.meta.url)('../../../package.json') as { version: string };

/** A usage error found after parsing (commander prints its own; these we print). */
class UsageError extends Error {}

function integer(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}, got '${value}'`);
    return n;
  };
}

export function buildCli(out: (line: string) => void = (l) => console.log(l)): Command {
  const program = new Command('rivulet')
    .description('A Fluvio-style streaming platform on Node worker threads')
    .version(pkg.version)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('sim')
    .description('run deterministic simulations: one seed (--seed) or many (--seeds N [--from S])')
    .option('--seed <S>', 'replay exactly one seed', integer(0))
    .option('--seeds <N>', 'run N seeds (default 100)', integer(1))
    .option('--from <S>', 'first seed of --seeds', integer(0), 1)
    .option('--threads <N>', 'worker threads for --seeds (default: one per core)', integer(1))
    .option('-O, --output <format>', "'text' (default) or 'json'", 'text')
    .action(async (opts: { seed?: number; seeds?: number; from: number; threads?: number; output: string }) => {
      if (opts.seed !== undefined && opts.seeds !== undefined) throw new UsageError('use --seed or --seeds, not both');
      if (opts.output !== 'text' && opts.output !== 'json') throw new UsageError(`unknown output format '${opts.output}' (text or json)`);
      process.exitCode = await simCommand({ ...opts, json: opts.output === 'json' }, out);
    });

  program
    .command('bench')
    .description('measure throughput and latency (prints figures; --json FILE writes them)')
    .option('--quick', 'a short run')
    .option('--json <file>', 'also write the figures as JSON')
    .option('--runs <N>', 'runs per row; the median is reported (default 3)')
    .option('--only <rows>', "comma-separated row names or parts of them ('A$': ending with A)")
    .action((opts: { quick?: boolean; json?: string; runs?: string; only?: string }) => {
      const script = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'main.js');
      const args = [
        script, ...(opts.quick ? ['--quick'] : []), ...(opts.json ? ['--json', opts.json] : []),
        ...(opts.runs ? ['--runs', opts.runs] : []), ...(opts.only ? ['--only', opts.only] : []),
      ];
      const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
      process.exitCode = r.status ?? 1;
    });

  registerClusterCommands(program, out);
  registerTopicCommand(program);
  registerProduceCommand(program);
  registerConsumeCommand(program);
  registerPartitionCommand(program);
  registerSpuCommand(program);
  return program;
}

async function main(): Promise<void> {
  try {
    await buildCli().parseAsync(process.argv);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`error: ${err.message}`);
      process.exitCode = 2;
      return;
    }
    if (err instanceof CommanderError) {
      // help/version exit 0; usage errors were already printed by commander: exit 2.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    console.error(`rivulet: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}

/** Run when executed directly — also through a symlink (node_modules/.bin/rivulet, npx). */
function invokedDirectly(): boolean {
  if (!process.argv[1]) return false;
  try {
    return fs.realpathSync(fileURLToPath(import.meta.url)) === fs.realpathSync(process.argv[1]);
  } catch {
    return false;
  }
}

if (invokedDirectly()) void main();
