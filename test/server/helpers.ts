/**
 * Test helpers for the Kafka listener: an embedded cluster with its listener, torn down after.
 */
import { spawn } from 'node:child_process';
import { Cluster, type ClusterOptions } from '../../src/index.js';
import { backendOf } from '../../src/server/backend.js';
import { startListener, type ListenOptions, type Listener } from '../../src/server/listener.js';

export interface Served {
  cluster: Cluster;
  listener: Listener;
  bootstrap: string;
  stop(): Promise<void>;
}

export async function serve(opts: ClusterOptions = {}, listen: ListenOptions = {}): Promise<Served> {
  const cluster = await Cluster.start(opts);
  let listener: Listener;
  try {
    listener = await startListener(backendOf(cluster), listen);
  } catch (err) {
    await cluster.shutdown();
    throw err;
  }
  return {
    cluster,
    listener,
    bootstrap: `${listener.host}:${listener.port}`,
    async stop() {
      await listener.close();
      await cluster.shutdown();
    },
  };
}

/** kafkajs logs to the console by default; tests keep quiet. */
export const kafkajsQuiet = { logLevel: 0 } as const;

/** Runs kcat without blocking this process's event loop (the listener lives in it). */
export function kcat(args: string[], input?: string): Promise<{ out: string; err: string; status: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ out, err, status });
    });
    child.stdin.end(input ?? '');
  });
}
