/**
 * The rivulet daemon (DESIGN §7): one detached process per home, `node dist/src/daemon/main.js
 * --home H`, started by `rivulet cluster create|resume` (spawn.ts). It runs the cluster saved in
 * `<home>/cluster.json` on the thread host in disk mode, serves it over the Kafka protocol on
 * loopback with a fresh random token, writes `run/daemon.json` (mode 0600) once serving, and logs
 * with pino to `<home>/logs/daemon.log`.
 *
 * Stops gracefully (flush, checkpoint, run/daemon.json removed, lock released, exit 0) on
 * SIGTERM/SIGINT and after a client's ClusterShutdown (the listener shuts the cluster down, then
 * calls onShutdown). After a kill -9 the next daemon finds a run file and a lock of a dead pid:
 * both are stale and replaced. Exit 1 (with a fatal log line) when it cannot start.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { Cluster } from '../cluster/cluster.js';
import { packageVersion, readClusterConfig } from '../cluster/cluster-config.js';
import { readRunFile, removeRunFile, runFilePath, writeRunFile } from '../cluster/run-file.js';
import { backendOf } from '../server/backend.js';
import { startListener, type Listener } from '../server/listener.js';

const { values } = parseArgs({ options: { home: { type: 'string' } }, strict: true });
if (!values.home) {
  process.stderr.write('usage: node dist/src/daemon/main.js --home DIR\n');
  process.exit(2);
}
const home = path.resolve(values.home);
fs.mkdirSync(path.join(home, 'logs'), { recursive: true });
const log = pino(
  { level: process.env.RIVULET_LOG_LEVEL ?? 'info', base: { pid: process.pid } },
  pino.destination({ dest: path.join(home, 'logs', 'daemon.log'), append: true, sync: true }),
);

let cluster: Cluster | undefined;
let listener: Listener | undefined;
let servingRunFile = false;
let stopping: Promise<void> | undefined;
let starting: Promise<void> = Promise.resolve();

/** Remove run/daemon.json if it is ours (never another daemon's). */
function removeOwnRunFile(): void {
  if (!servingRunFile) return;
  servingRunFile = false;
  removeRunFile(home);
}

function stop(reason: string, clusterAlreadyDown = false): Promise<void> {
  return (stopping ??= (async () => {
    log.info({ reason }, 'daemon: stopping');
    removeOwnRunFile(); // clients stop finding us at once
    try {
      await starting.catch(() => undefined); // a signal during start-up stops once started
      await listener?.close();
      if (!clusterAlreadyDown) await cluster?.shutdown();
      log.info('daemon: stopped');
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'daemon: error while stopping');
      process.exit(1);
    }
  })());
}

function fatal(err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  log.fatal({ err }, `daemon: ${message}`);
  try {
    removeOwnRunFile();
  } catch {
    /* best effort */
  }
  process.exit(1);
}

async function main(): Promise<void> {
  const config = readClusterConfig(home);
  if (!config) throw new Error(`no cluster at ${home} (no cluster.json): create one with \`rivulet cluster create\``);
  const running = readRunFile(home); // undefined when missing or stale (dead pid)
  if (running && running.pid !== process.pid) throw new Error(`a daemon (pid ${running.pid}) already serves ${home}`);
  if (fs.existsSync(runFilePath(home))) {
    log.warn('daemon: replacing a stale run/daemon.json (its daemon died without stopping)');
    removeRunFile(home);
  }
  log.info({ home, spus: config.spus, port: config.port, version: packageVersion() }, 'daemon: starting');
  cluster = await Cluster.start({
    home,
    spus: config.spus,
    ...(config.storageBytes !== null ? { storageBytes: config.storageBytes } : {}),
    logLevel: process.env.RIVULET_HOST_LOG_LEVEL ?? 'warn',
  });
  const token = crypto.randomBytes(24).toString('base64url');
  listener = await startListener(backendOf(cluster), {
    port: config.port,
    token,
    logger: log.child({ part: 'listener' }),
    onShutdown: () => void stop('a client asked for cluster shutdown', true),
  });
  if (stopping) return; // a signal arrived while starting
  writeRunFile(home, {
    pid: process.pid,
    address: `${listener.host}:${listener.port}`,
    brokers: listener.brokers.map((b) => ({ ...b })),
    token,
    startedAt: new Date().toISOString(),
    version: packageVersion(),
  });
  servingRunFile = true;
  log.info({ address: `${listener.host}:${listener.port}`, brokers: listener.brokers }, 'daemon: serving');
}

for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => void stop(sig));
process.on('SIGHUP', () => undefined); // detached: a closing terminal does not stop the cluster
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);
starting = main();
starting.catch(fatal);
