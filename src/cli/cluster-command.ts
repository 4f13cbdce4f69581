/**
 * `rivulet cluster …` (DESIGN §7): create/delete make or remove a cluster; shutdown/resume stop
 * its daemon and start it again from the saved config (resume takes no config flags); upgrade
 * records this rivulet's version on a shut-down cluster; status shows it. Every command takes
 * `--home D` (default $RIVULET_HOME, else ~/.rivulet). Usage errors exit 2, refusals exit 1.
 *
 * Test hook: RIVULET_VERSION_OVERRIDE=x.y.z makes this CLI (and the daemon it spawns) act as
 * version x.y.z (see src/cluster/cluster-config.ts), to test the upgrade story with one build.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import bytes from 'bytes';
import { createCluster, deleteCluster, resumeCluster, shutdownCluster, upgradeCluster } from './cluster-actions.js';
import { clusterStatus } from './cluster-status.js';
import { guarded, usageError } from './cluster-ui.js';

const HOME_HELP = 'cluster home directory (default: $RIVULET_HOME, else ~/.rivulet)';
export const DEFAULT_PORT = 9092;

function intIn(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer in ${min}..${max}, got '${value}'`);
    return n;
  };
}

/** 1073741824, 1GB, 512MiB, 10gb (binary units, as Fluvio's) → bytes. */
export function parseSize(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)?$/i.exec(value.trim());
  const n = m ? bytes.parse(`${m[1]}${(m[2] ?? 'b').replace(/ib$/i, 'b')}`) : null;
  if (n === null || !Number.isFinite(n) || n < 1) throw new InvalidArgumentError(`expected a size like 1073741824, 10GB or 512MiB, got '${value}'`);
  return Math.floor(n);
}

export function registerClusterCommands(program: Command, out: (line: string) => void): void {
  const cluster = program
    .command('cluster')
    .description('create, stop, resume, upgrade, delete and inspect the local cluster (a daemon per home)');

  cluster
    .command('create')
    .description('create a new cluster at the home and start its daemon; waits until SPUs 1..N are online')
    .option('--spus <N>', 'number of SPUs', intIn(1, 64), 1)
    .option('--port <P>', `first listener port (SPU i gets P + i - 1); 0 = free ports`, intIn(0, 65535), DEFAULT_PORT)
    .option('--storage-bytes <B>', 'storage capacity per SPU, e.g. 10GB (default: unlimited)', parseSize)
    .option('--home <dir>', HOME_HELP)
    .action(guarded((opts: { spus: number; port: number; storageBytes?: number; home?: string }) => createCluster(opts, out)));

  const resume = cluster
    .command('resume')
    .description('start a shut-down cluster again from its saved config: same SPUs, all data back (takes no config flags)')
    .option('--home <dir>', HOME_HELP)
    .addOption(new Option('--spus <N>').hideHelp())
    .addOption(new Option('--port <P>').hideHelp())
    .addOption(new Option('--storage-bytes <B>').hideHelp())
    .action(guarded(async (opts: { home?: string; spus?: string; port?: string; storageBytes?: string }) => {
      const flags = (['spus', 'port', 'storageBytes'] as const).filter((k) => opts[k] !== undefined).map((k) => `--${k === 'storageBytes' ? 'storage-bytes' : k}`);
      if (flags.length > 0) {
        usageError(resume, `\`cluster resume\` takes no config flags (${flags.join(', ')}): it starts the cluster with the config saved by \`cluster create\`; for another config, \`cluster delete\` and \`cluster create\` again`);
      }
      return resumeCluster(opts, out);
    }));

  cluster
    .command('shutdown')
    .description('stop the cluster gracefully (flush, checkpoint), keeping its data and config')
    .option('--home <dir>', HOME_HELP)
    .action(guarded((opts: { home?: string }) => shutdownCluster(opts, out)));

  cluster
    .command('upgrade')
    .description("record this rivulet's version on a shut-down cluster (migrating its on-disk format if needed, with a backup)")
    .option('--force', 'skip the confirmation (needed without a terminal, and for a downgrade)')
    .option('--home <dir>', HOME_HELP)
    .action(guarded((opts: { force?: boolean; home?: string }) => upgradeCluster(opts, out)));

  cluster
    .command('delete')
    .description('stop the cluster if it runs and remove its home with all data')
    .option('--force', 'skip the confirmation (needed without a terminal)')
    .option('--home <dir>', HOME_HELP)
    .action(guarded((opts: { force?: boolean; home?: string }) => deleteCluster(opts, out)));

  const status = cluster
    .command('status')
    .description('running or stopped, version, SPUs with their status')
    .option('-O, --output <format>', "'text' (default) or 'json'", 'text')
    .option('--home <dir>', HOME_HELP)
    .action(guarded(async (opts: { output: string; home?: string }) => {
      if (opts.output !== 'text' && opts.output !== 'json') usageError(status, `unknown output format '${opts.output}' (text or json)`);
      return clusterStatus(opts, out);
    }));
}
