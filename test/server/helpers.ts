/**
 * Test helpers for the Kafka listener: an embedded cluster with its listener, torn down after.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
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

/**
 * Writes `frames` on a fresh socket; resolves with every byte received and whether the server
 * closed, once it closes, or `answers` whole frames are in, or `waitMs` passes.
 */
export function rawExchange(port: number, frames: Uint8Array[], answers = Infinity, waitMs = 10_000): Promise<{ received: Buffer; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = (closedByServer: boolean) => {
      clearTimeout(timer);
      sock.destroy();
      resolve({ received: Buffer.concat(chunks), closedByServer });
    };
    const timer = setTimeout(() => done(false), waitMs);
    const whole = () => {
      const b = Buffer.concat(chunks);
      let n = 0;
      for (let at = 0; b.length - at >= 4 && b.length - at - 4 >= b.readInt32BE(at); at += 4 + b.readInt32BE(at)) n++;
      return n;
    };
    sock.on('data', (d) => {
      chunks.push(d);
      if (whole() >= answers) done(false);
    });
    sock.on('error', () => undefined); // a reset is a close too
    sock.on('close', () => done(true));
    sock.on('connect', () => {
      for (const f of frames) sock.write(f);
    });
  });
}
