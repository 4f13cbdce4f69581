/**
 * The remote host's connections: a bootstrap broker, then one connection per broker node id as
 * Metadata names them (a rivulet SPU = a broker with its own port). Connections open lazily and
 * are replaced when they close; Metadata is re-read when a node id is unknown.
 *
 * Invariant: at most one open connection (or one opening) per broker; `close()` ends them all and
 * later calls fail with CLUSTER_CLOSED.
 */
import { ApiKey, type AnyApiKey, type RequestInput, type ResponseBody } from '../protocol/index.js';
import { RivuletError, ErrorCode } from '../runtime/errors.js';
import { KafkaConnection } from './kafka-connection.js';

export interface BrokerAddress { nodeId: number; host: string; port: number }

export interface PoolOptions {
  brokers: string[];
  token?: string | undefined;
  clientId: string;
}

function parseAddress(s: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(s.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RivuletError(ErrorCode.INVALID_ARGUMENT, `broker address must be host:port, got '${s}'`);
  }
  return { host: m[1] ?? m[2]!, port };
}

export class BrokerPool {
  private readonly bootstrap: { host: string; port: number }[];
  private readonly byNode = new Map<number, BrokerAddress>();
  private readonly conns = new Map<string, Promise<KafkaConnection>>();
  private closed = false;

  constructor(private readonly opts: PoolOptions) {
    if (!Array.isArray(opts.brokers) || opts.brokers.length === 0) throw new RivuletError(ErrorCode.INVALID_ARGUMENT, 'brokers must list at least one host:port');
    this.bootstrap = opts.brokers.map(parseAddress);
  }

  private open(host: string, port: number): Promise<KafkaConnection> {
    if (this.closed) return Promise.reject(new RivuletError(ErrorCode.CLUSTER_CLOSED, 'connection is closed'));
    const key = `${host}:${port}`;
    let c = this.conns.get(key);
    if (!c) {
      c = KafkaConnection.open({ host, port, clientId: this.opts.clientId, token: this.opts.token });
      this.conns.set(key, c);
      c.then(
        (conn) => conn.onClose(() => this.conns.get(key) === c && this.conns.delete(key)),
        () => this.conns.get(key) === c && this.conns.delete(key),
      );
    }
    return c;
  }

  /** Any reachable broker (bootstrap list first). */
  async any(): Promise<KafkaConnection> {
    let last: unknown;
    for (const a of [...this.bootstrap, ...this.byNode.values()]) {
      try {
        return await this.open(a.host, a.port);
      } catch (err) {
        if (err instanceof RivuletError && err.code === ErrorCode.AUTH_FAILED) throw err;
        last = err;
      }
    }
    throw last instanceof Error ? last : new RivuletError(ErrorCode.CONNECTION_ERROR, 'no broker reachable');
  }

  async node(nodeId: number): Promise<KafkaConnection> {
    if (!this.byNode.has(nodeId)) await this.refresh();
    const a = this.byNode.get(nodeId);
    if (!a) throw new RivuletError(ErrorCode.NOT_LEADER, `no broker with node id ${nodeId}`, { nodeId });
    return this.open(a.host, a.port);
  }

  /** Re-read the broker list. */
  async refresh(): Promise<BrokerAddress[]> {
    const c = await this.any();
    const md = await c.request(ApiKey.Metadata, { topics: [], allowAutoTopicCreation: false });
    for (const b of md.brokers) this.byNode.set(b.nodeId, { nodeId: b.nodeId, host: b.host, port: b.port });
    return [...this.byNode.values()];
  }

  /** Send to any broker. */
  async call<K extends AnyApiKey>(apiKey: K, body: RequestInput<K>, timeoutMs?: number): Promise<ResponseBody<K>> {
    return (await this.any()).request(apiKey, body, timeoutMs);
  }

  close(): void {
    this.closed = true;
    for (const c of this.conns.values()) c.then((x) => x.close(), () => undefined);
    this.conns.clear();
  }
}
