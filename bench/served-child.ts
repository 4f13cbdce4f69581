/**
 * The remote rows' server, as its own process (bench/remote.ts starts it): a connect() or kafkajs
 * user talks to a rivulet server in ANOTHER process, so the bench must not let the client and the
 * listener share one main thread. Started as `node dist/bench/served-child.js`, it runs
 * `Cluster.start({ spus: 1 })`, `listen({ port: 0 })`, creates the topic `bench` (1 partition) and
 * prints one JSON line `{ "host", "port" }` on stdout. Then, per stdin line:
 *   `cpu`  → one JSON line `{ "cpuUs" }`: this process's CPU time so far (all threads, µs)
 *   `stop` → shuts the cluster down and exits 0
 *
 * Invariants: the child never outlives its parent — stdin closing (the parent ended, whatever the
 * way) stops it like `stop`; a cluster that does not shut down within SHUTDOWN_LIMIT_MS, or a start
 * that fails, exits non-zero; at most MAX_LIFETIME_MS in any case.
 */
import readline from 'node:readline';
import { Cluster } from '../src/index.js';

const SHUTDOWN_LIMIT_MS = 10_000;
const MAX_LIFETIME_MS = 30 * 60_000;

let cluster: Cluster | undefined;
let stopping = false;

function stop(code: number): void {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(code === 0 ? 3 : code), SHUTDOWN_LIMIT_MS).unref();
  void (cluster?.shutdown() ?? Promise.resolve()).then(() => process.exit(code), () => process.exit(4));
}

setTimeout(() => stop(5), MAX_LIFETIME_MS).unref();
const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const cmd = line.trim();
  if (cmd === 'cpu') {
    const u = process.cpuUsage();
    process.stdout.write(`${JSON.stringify({ cpuUs: u.user + u.system })}\n`);
  } else if (cmd === 'stop') stop(0);
});
lines.on('close', () => stop(0));

try {
  cluster = await Cluster.start({ spus: 1 });
  const l = await cluster.listen({ port: 0 });
  await cluster.admin.createTopic('bench', { partitions: 1 });
  process.stdout.write(`${JSON.stringify({ host: l.host, port: l.port })}\n`);
} catch (err) {
  process.stderr.write(`served-child: ${err instanceof Error ? err.stack : String(err)}\n`);
  stop(1);
}
