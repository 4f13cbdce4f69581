/**
 * The Kafka-protocol listener (DESIGN §8): one TCP server per SPU — every SPU is a broker with
 * its own port, so a client's request for a partition reaches the broker it chose and a request
 * sent to the wrong SPU gets NOT_LEADER_OR_FOLLOWER. With `port: 0` each SPU gets a free port;
 * with `port: P`, SPU number i (in id order) listens on P + i. Loopback unless told otherwise.
 *
 * Invariants: at most `maxConnections` connections across all ports (more are closed at once);
 * `close()` resolves once every server stopped listening and every connection is closed.
 */
import net from 'node:net';
import pino, { type Logger } from 'pino';
import type { SpuInfo } from '../../actors/messages.js';
import { RivuletError, ErrorCode } from '../runtime/errors.js';
import type { ServerBackend } from './backend.js';
import { Connection } from './connection.js';
import type { BrokerAddress, ServerContext } from './context.js';
import { SERVER_LIMITS, type ServerLimits } from './limits.js';
import { MetadataView } from './metadata-view.js';

export interface ListenOptions {
  /** Interface to bind, default 127.0.0.1 (loopback). */
  host?: string;
  /** First SPU's port; 0 (default) = free ports. */
  port?: number;
  /** Require SASL/PLAIN with user `rivulet` and this password. */
  token?: string;
  /** Create unknown topics asked for in Metadata when the client allows it (Kafka's auto.create.topics.enable). Default false. */
  autoCreateTopics?: boolean;
  limits?: Partial<ServerLimits>;
  /**
   * Serve rivulet's private API keys (default true). false makes the listener look like a plain
   * Kafka broker (tests of clients' Kafka-only paths).
   */
  rivuletKeys?: boolean;
  logger?: Logger;
  /** Called after a client's ClusterShutdown was answered and the cluster shut down. */
  onShutdown?: () => void;
}

export interface Listener {
  /** The bootstrap address (the first SPU's broker). */
  readonly host: string;
  readonly port: number;
  readonly brokers: readonly BrokerAddress[];
  close(): Promise<void>;
}

function listenOn(server: net.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

export async function startListener(backend: ServerBackend, opts: ListenOptions = {}): Promise<Listener> {
  const host = opts.host ?? '127.0.0.1';
  const basePort = opts.port ?? 0;
  if (!Number.isInteger(basePort) || basePort < 0 || basePort > 65535) throw new RivuletError(ErrorCode.INVALID_ARGUMENT, `port must be an integer in 0..65535, got ${String(opts.port)}`);
  if (opts.token !== undefined && (typeof opts.token !== 'string' || opts.token.length === 0)) throw new RivuletError(ErrorCode.INVALID_ARGUMENT, 'token must be a non-empty string');
  const spuIds = (await backend.admin<SpuInfo[]>({ op: 'listSpus' })).map((s) => s.id).sort((a, b) => a - b);
  const limits: ServerLimits = { ...SERVER_LIMITS, ...opts.limits };
  const log = opts.logger ?? pino({ level: 'silent' });
  const brokers: BrokerAddress[] = [];
  const connections = new Set<Connection>();
  const view = new MetadataView(backend, limits.metadataMaxAgeMs);
  const ctx: ServerContext = {
    backend, view, limits, log,
    options: { token: opts.token, autoCreateTopics: opts.autoCreateTopics ?? false, rivuletKeys: opts.rivuletKeys ?? true },
    brokers: () => brokers,
    stats: { connections: 0, requests: 0, refusedConnections: 0, badFrames: 0 },
  };
  const servers: net.Server[] = [];
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      view.close();
      for (const c of [...connections]) c.close('listener closing');
      await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
      log.info({ ...ctx.stats }, 'listener: closed');
    })());
  const onClusterShutdown = (): void => {
    void backend.shutdown().catch(() => undefined).then(close).then(() => opts.onShutdown?.());
  };
  try {
    for (const [i, nodeId] of spuIds.entries()) {
      const server = net.createServer((socket) => {
        if (connections.size >= limits.maxConnections) {
          ctx.stats.refusedConnections++;
          log.warn({ spu: nodeId, limit: limits.maxConnections }, 'listener: too many connections, refusing');
          socket.destroy();
          return;
        }
        ctx.stats.connections++;
        const c = new Connection(socket, ctx, nodeId, onClusterShutdown, (x) => connections.delete(x));
        connections.add(c);
        log.debug({ spu: nodeId, open: connections.size, total: ctx.stats.connections }, 'listener: connection');
      });
      servers.push(server);
      const port = await listenOn(server, host, basePort === 0 ? 0 : basePort + i);
      brokers.push({ nodeId, host, port });
    }
  } catch (err) {
    await close();
    const e = err as NodeJS.ErrnoException;
    throw new RivuletError(ErrorCode.INVALID_ARGUMENT, `cannot listen on ${host}: ${e.code === 'EADDRINUSE' ? 'port in use' : e.message}`, { host, port: basePort });
  }
  log.info({ brokers }, 'listener: serving the Kafka protocol');
  return { host, port: brokers[0]!.port, brokers, close };
}
