/**
 * 1,000 partitions on one host (DESIGN §10, issue #16): 1 SPU, RF=1, memory mode. Measured in a
 * fresh child process (`node dist/bench/thousand.js --partitions 1000` prints one JSON line), so
 * the memory figures are not blurred by what earlier cases left in the heap:
 *
 *   startMs    Cluster.start() → createTopic(P partitions) resolved (it waits until every
 *              partition is Online) — target < 10 s for P = 1,000
 *   per idle partition, after the topic is online and the cluster sat idle for IDLE_MS (main
 *   thread GC'd), as deltas from the started cluster without the topic, ÷ P:
 *     rssBytes            resident set of the whole process (every worker) — target ≤ 100 KiB
 *     vmBytes             virtual size (address space reserved: rings not yet touched)
 *     arrayBuffersBytes   main thread's arrayBuffers + external (workers' buffers are not visible
 *                         from here: they count in RSS only)
 *
 * Measurements only; nothing asserts speed or size.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { parseArgs } from 'node:util';
import { Cluster } from '../src/index.js';

export interface ThousandRun {
  partitions: number; clusterStartMs: number; createTopicMs: number; startMs: number;
  perPartition: { rssBytes: number; vmBytes: number; arrayBuffersBytes: number };
  totals: { rssBytes: number; vmBytes: number; arrayBuffersBytes: number };
}

const IDLE_MS = 1_000;
const CHILD_TIMEOUT_MS = 120_000;

function gcIfPossible(): void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as (() => void) | undefined;
  if (typeof gc === 'function') gc();
}

function sample(): { rss: number; vm: number; ab: number } {
  gcIfPossible();
  const m = process.memoryUsage();
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const vmKiB = Number(/VmSize:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return { rss: m.rss, vm: vmKiB * 1024, ab: m.arrayBuffers + m.external };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function thousandInProcess(partitions: number): Promise<ThousandRun> {
  const t0 = performance.now();
  const cluster = await Cluster.start({ spus: 1 });
  try {
    const t1 = performance.now();
    await sleep(IDLE_MS / 2);
    const before = sample();
    const t2 = performance.now();
    await cluster.admin.createTopic('idle', { partitions, replicationFactor: 1 });
    const t3 = performance.now();
    await sleep(IDLE_MS);
    const after = sample();
    const totals = { rssBytes: after.rss - before.rss, vmBytes: after.vm - before.vm, arrayBuffersBytes: after.ab - before.ab };
    const per = (n: number): number => Math.round(n / partitions);
    return {
      partitions, clusterStartMs: Math.round(t1 - t0), createTopicMs: Math.round(t3 - t2), startMs: Math.round(t1 - t0 + t3 - t2),
      perPartition: { rssBytes: per(totals.rssBytes), vmBytes: per(totals.vmBytes), arrayBuffersBytes: per(totals.arrayBuffersBytes) }, totals,
    };
  } finally {
    await cluster.shutdown();
  }
}

/** Runs thousandInProcess in a fresh node process (this file) and returns its JSON line. */
export function thousandCase(partitions: number): Promise<ThousandRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--partitions', String(partitions)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) return reject(new Error(`thousand-partition child exited ${code}: ${err.trim() || out.trim()}`));
      resolve(JSON.parse(line) as ThousandRun);
    });
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { partitions: { type: 'string', default: '1000' } } });
  const partitions = Number(values.partitions);
  if (!(Number.isInteger(partitions) && partitions >= 1 && partitions <= 100_000)) {
    console.error('--partitions must be an integer 1..100000');
    process.exit(2);
  }
  thousandInProcess(partitions).then(
    (r) => { console.log(JSON.stringify(r)); process.exit(0); },
    (e: unknown) => { console.error(e instanceof Error ? (e.stack ?? e.message) : String(e)); process.exit(1); },
  );
}
