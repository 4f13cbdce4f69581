/**
 * The facade's seams to the network (DESIGN §8): `cluster.listen()` serves a cluster over the
 * Kafka protocol, `connect()` reaches one. The listener lives above the facade (src/server
 * imports src/cluster), so it is injected: the public entry (src/index.ts) installs it once, and
 * the facade never imports the server.
 */
import { RivuletError, ErrorCode } from '../runtime/errors.js';
import { readRunFile } from './run-file.js';
import type { Cluster } from './cluster.js';

export interface ListenOptions {
  /** Interface to bind, default 127.0.0.1 (loopback). */
  host?: string;
  /** The first SPU's port; SPU i (in id order) gets port + i. 0 (default) = free ports. */
  port?: number;
  /** Require SASL/PLAIN, user `rivulet`, with this token as the password. */
  token?: string;
  /** Create an unknown topic (1 partition) when a client's Metadata asks for it and allows it. Default false. */
  autoCreateTopics?: boolean;
}

export interface ListenerHandle {
  /** The bootstrap address: the first SPU's broker. */
  readonly host: string;
  readonly port: number;
  /** Every SPU as a Kafka broker. */
  readonly brokers: readonly { nodeId: number; host: string; port: number }[];
  close(): Promise<void>;
}

type ListenerFactory = (cluster: Cluster, opts: ListenOptions) => Promise<ListenerHandle>;
let factory: ListenerFactory | undefined;

/** Called once by src/index.ts. */
export function installListener(f: ListenerFactory): void {
  factory = f;
}

export function startListener(cluster: Cluster, opts: ListenOptions): Promise<ListenerHandle> {
  if (!factory) throw new RivuletError(ErrorCode.UNSUPPORTED, "the Kafka listener is not installed: import Cluster from 'rivulet'");
  return factory(cluster, opts);
}

export interface ConnectOptions {
  /** Bootstrap brokers, `host:port` (any SPU of a rivulet listener, or Kafka brokers). */
  brokers?: string[];
  /** A CLI-started cluster's home: brokers and token come from its `run/daemon.json`. */
  home?: string;
  /** The cluster's token (SASL/PLAIN), when it requires one. */
  token?: string;
  /** How long admin calls wait, default 30 s. */
  requestTimeoutMs?: number;
}

export function validateConnectOptions(o: unknown): { brokers: string[]; token: string | undefined; requestTimeoutMs: number } {
  if (typeof o !== 'object' || o === null) throw new RivuletError(ErrorCode.INVALID_ARGUMENT, 'connect() needs { brokers: ["host:port", …] } or { home }');
  const opts = o as ConnectOptions;
  let { brokers, token } = opts;
  const { requestTimeoutMs, home } = opts;
  if (home !== undefined) {
    if (typeof home !== 'string' || home.length === 0) throw new RivuletError(ErrorCode.INVALID_ARGUMENT, 'connect(): home must be a directory path');
    if (brokers !== undefined) throw new RivuletError(ErrorCode.INVALID_ARGUMENT, 'connect(): give either home or brokers, not both');
    const run = readRunFile(home);
    if (!run) throw new RivuletError(ErrorCode.CLUSTER_CLOSED, `no cluster is running at ${home} (start one with \`rivulet cluster create\` or \`rivulet cluster resume\`)`, { home });
    brokers = [run.address];
    token ??= run.token;
  }
  if (!Array.isArray(brokers) || brokers.length === 0 || !brokers.every((b) => typeof b === 'string')) {
    throw new RivuletError(ErrorCode.INVALID_ARGUMENT, 'connect(): brokers must be a non-empty list of "host:port" strings');
  }
  if (token !== undefined && (typeof token !== 'string' || token.length === 0)) throw new RivuletError(ErrorCode.INVALID_ARGUMENT, 'connect(): token must be a non-empty string');
  const t = requestTimeoutMs ?? 30_000;
  if (!Number.isFinite(t) || t <= 0) throw new RivuletError(ErrorCode.INVALID_ARGUMENT, `connect(): requestTimeoutMs must be a positive number, got ${String(requestTimeoutMs)}`);
  return { brokers, token, requestTimeoutMs: t };
}
