/**
 * `Cluster.start` options, checked before anything starts (no thread, no file, no lock): an unknown
 * key, a value of the wrong type or out of range is an INVALID_CONFIG RivuletError naming the
 * option — never a stall (`heartbeatMs: -1` used to hang start-up for 30 s), an assertion deep
 * in a host (`ringBytes: 1000`), or a silently ignored typo. A `home` that exists as a file (or
 * lies under one) is refused here with a clear message instead of a raw EEXIST/ENOTDIR.
 *
 * Ranges: spus 1..64; heartbeatMs 1..60,000 and spuTimeoutMs greater than it (an SPU must be able
 * to heartbeat before it is declared lost); ring sizes powers of two (tail rings 4 KiB..1 GiB,
 * produce rings 64 KiB..1 GiB); storageBytes a non-negative integer or Infinity; simulation.seed a
 * safe integer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RivuletError, ErrorCode } from '../runtime/errors.js';
import { CLUSTER_DEFAULTS, type ClusterOptions } from './options.js';
import { describeValue } from './record-input.js';

const KEYS = new Set([
  'spus', 'home', 'threads', 'simulation', 'heartbeatMs', 'spuTimeoutMs', 'storageBytes', 'ringBytes', 'produceRingBytes',
  'requestTimeoutMs', 'logLevel', 'maxWorkers', 'groups',
]);
const GROUP_KEYS = new Set(['initialRebalanceDelayMs', 'minSessionTimeoutMs', 'maxSessionTimeoutMs']);
const SIM_KEYS = new Set(['seed', 'latencyMs', 'network']);
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const MAX_MS = 2 ** 31 - 1;

function bad(option: string, message: string): RivuletError {
  return new RivuletError(ErrorCode.INVALID_CONFIG, `Cluster.start: ${option} ${message}`, { option });
}

function integer(o: Record<string, unknown>, name: string, lo: number, hi: number): void {
  const v = o[name];
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) throw bad(name, `must be an integer in ${lo}..${hi}, got ${describeValue(v)}`);
}

function powerOfTwo(o: Record<string, unknown>, name: string, lo: number, hi: number): void {
  const v = o[name];
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi || (v & (v - 1)) !== 0) {
    throw bad(name, `must be a power of two in ${lo}..${hi} bytes, got ${describeValue(v)}`);
  }
}

/** The home must be (or become) a directory: refuse a file in the way, with a clear message. */
function checkHome(home: unknown): void {
  if (typeof home !== 'string' || home.length === 0) throw bad('home', `must be a directory path, got ${describeValue(home)}`);
  for (let p = path.resolve(home); ; p = path.dirname(p)) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(p);
    } catch {
      st = undefined; // missing: created on start
    }
    if (st) {
      if (!st.isDirectory()) {
        throw bad('home', p === path.resolve(home) ? `'${home}' is a file, not a directory` : `'${home}' lies under '${p}', which is a file, not a directory`);
      }
      return;
    }
    if (path.dirname(p) === p) return;
  }
}

export function validateClusterOptions(given: unknown): asserts given is ClusterOptions {
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new RivuletError(ErrorCode.INVALID_CONFIG, `Cluster.start options must be an object, got ${describeValue(given)}`);
  }
  const o = given as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KEYS.has(k)) throw bad(`option '${k}'`, `is unknown (known: ${[...KEYS].join(', ')})`);
  integer(o, 'spus', 1, 64);
  if (o.home !== undefined) checkHome(o.home);
  if (o.threads !== undefined && o.threads !== 'spu' && o.threads !== 'replica') throw bad('threads', `must be 'spu' or 'replica', got ${describeValue(o.threads)}`);
  integer(o, 'heartbeatMs', 1, 60_000);
  integer(o, 'spuTimeoutMs', 2, MAX_MS);
  const hb = (o.heartbeatMs as number | undefined) ?? CLUSTER_DEFAULTS.heartbeatMs;
  const timeout = (o.spuTimeoutMs as number | undefined) ?? CLUSTER_DEFAULTS.spuTimeoutMs;
  if (timeout <= hb) throw bad('spuTimeoutMs', `(${timeout}) must be greater than heartbeatMs (${hb}): an SPU would be declared lost between heartbeats`);
  const sb = o.storageBytes;
  if (sb !== undefined && sb !== Infinity && (typeof sb !== 'number' || !Number.isSafeInteger(sb) || sb < 0)) {
    throw bad('storageBytes', `must be an integer ≥ 0 or Infinity, got ${describeValue(sb)}`);
  }
  powerOfTwo(o, 'ringBytes', 4 * 1024, 2 ** 30);
  powerOfTwo(o, 'produceRingBytes', 64 * 1024, 2 ** 30);
  integer(o, 'requestTimeoutMs', 1, MAX_MS);
  integer(o, 'maxWorkers', 1, 4096);
  if (o.logLevel !== undefined && !LOG_LEVELS.includes(o.logLevel as string)) throw bad('logLevel', `must be one of ${LOG_LEVELS.join(', ')}, got ${describeValue(o.logLevel)}`);
  if (o.groups !== undefined) {
    const g = o.groups as Record<string, unknown>;
    if (typeof g !== 'object' || g === null || Array.isArray(g)) throw bad('groups', `must be { initialRebalanceDelayMs?, minSessionTimeoutMs?, maxSessionTimeoutMs? }, got ${describeValue(g)}`);
    for (const k of Object.keys(g)) if (!GROUP_KEYS.has(k)) throw bad(`groups.${k}`, `is unknown (known: ${[...GROUP_KEYS].join(', ')})`);
    for (const k of GROUP_KEYS) {
      const v = g[k];
      if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_MS)) throw bad(`groups.${k}`, `must be an integer in 0..${MAX_MS}, got ${describeValue(v)}`);
    }
  }
  if (o.simulation !== undefined) {
    const sim = o.simulation as Record<string, unknown>;
    if (typeof sim !== 'object' || sim === null || Array.isArray(sim)) throw bad('simulation', `must be { seed, latencyMs?, network? }, got ${describeValue(sim)}`);
    for (const k of Object.keys(sim)) if (!SIM_KEYS.has(k)) throw bad(`simulation.${k}`, 'is unknown (known: seed, latencyMs, network)');
    if (typeof sim.seed !== 'number' || !Number.isSafeInteger(sim.seed)) throw bad('simulation.seed', `must be a safe integer, got ${describeValue(sim.seed)}`);
    const l = sim.latencyMs;
    if (l !== undefined && !(Array.isArray(l) && l.length === 2 && l.every((x) => Number.isInteger(x) && x >= 0) && l[0] <= l[1])) {
      throw bad('simulation.latencyMs', `must be [lo, hi] with integers 0 ≤ lo ≤ hi, got ${JSON.stringify(l)}`);
    }
    if (sim.network !== undefined && typeof sim.network !== 'function') throw bad('simulation.network', `must be a function, got ${describeValue(sim.network)}`);
  }
}
