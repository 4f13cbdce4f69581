/**
 * One TCP connection to one Kafka-protocol broker (a rivulet SPU's listener, or any Kafka):
 * ApiVersions first (picks, per key, the highest version both sides serve), SASL/PLAIN when a
 * token is given, then pipelined requests matched by correlation id.
 *
 * Invariants:
 * - Every pending request settles exactly once: its response, its timeout (TIMEOUT), or the
 *   connection's end (CONNECTION_ERROR, retriable) — whichever comes first.
 * - At most `maxInFlight` requests are outstanding; more wait their turn (no unbounded queue
 *   inside the socket).
 * - A response frame that is not the protocol closes the connection (PROTOCOL_ERROR for callers).
 */
import net from 'node:net';
import {
  ApiKey, FrameSplitter, apiInfo, decodeResponse, encodeRequest,
  type AnyApiKey, type RequestInput, type ResponseBody,
} from '../protocol/index.js';
import { RivuletError, ErrorCode } from '../runtime/errors.js';

/**
 * Versions this client never goes above, whatever the broker offers: Fetch v13+ names topics by
 * id, which the remote host does not track (names work at every Kafka version up to 12).
 */
const CLIENT_MAX_VERSION: Readonly<Record<number, number>> = { [ApiKey.Fetch]: 12 };

/** readBufferBytes: the one buffer each connection reads its socket into (reused read after read). */
export const CONNECTION_LIMITS = { maxInFlight: 512, maxFrameBytes: 128 << 20, connectTimeoutMs: 10_000, requestTimeoutMs: 30_000, readBufferBytes: 256 << 10 } as const;

interface Pending {
  apiKey: AnyApiKey;
  version: number;
  resolve(body: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/** Writes a whole request frame (size prefix first) as chunks, given the version and correlation id. */
export type FrameEncoder = (version: number, correlationId: number) => Uint8Array[];

export interface ConnectionOptions {
  host: string;
  port: number;
  clientId: string;
  token?: string | undefined;
}

export class KafkaConnection {
  private readonly pending = new Map<number, Pending>();
  /** The socket reads into one reused buffer (no buffer per read): the splitter copies every frame out. */
  private readonly splitter = new FrameSplitter({ maxFrameBytes: CONNECTION_LIMITS.maxFrameBytes, reusedChunks: true });
  private correlation = 0;
  private closedWith: RivuletError | undefined;
  private readonly waiters: (() => void)[] = [];
  /** Per key: the version this connection uses (undefined = the broker does not serve it). */
  private readonly versions = new Map<number, number>();
  private readonly closeHandlers: (() => void)[] = [];

  private constructor(private readonly socket: net.Socket, private readonly opts: ConnectionOptions, reads: { sink?: (chunk: Uint8Array) => void }) {
    socket.setNoDelay(true);
    reads.sink = (chunk) => this.onData(chunk);
    socket.on('error', (e) => this.fail(new RivuletError(ErrorCode.CONNECTION_ERROR, `connection to ${opts.host}:${opts.port} failed: ${e.message}`)));
    socket.on('close', () => this.fail(new RivuletError(ErrorCode.CONNECTION_ERROR, `connection to ${opts.host}:${opts.port} closed`)));
  }

  static async open(opts: ConnectionOptions): Promise<KafkaConnection> {
    const reads: { sink?: (chunk: Uint8Array) => void } = {};
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const onread = { buffer: new Uint8Array(CONNECTION_LIMITS.readBufferBytes), callback: (n: number, buf: Uint8Array) => (reads.sink?.(buf.subarray(0, n)), true) };
      const s = net.connect({ host: opts.host, port: opts.port, onread });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new RivuletError(ErrorCode.CONNECTION_ERROR, `cannot reach ${opts.host}:${opts.port}: timed out`));
      }, CONNECTION_LIMITS.connectTimeoutMs);
      s.once('connect', () => {
        clearTimeout(timer);
        resolve(s);
      });
      s.once('error', (e) => {
        clearTimeout(timer);
        reject(new RivuletError(ErrorCode.CONNECTION_ERROR, `cannot reach ${opts.host}:${opts.port}: ${e.message}`));
      });
    });
    const c = new KafkaConnection(socket, opts, reads);
    try {
      await c.handshake();
    } catch (err) {
      c.close();
      throw err;
    }
    return c;
  }

  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  onClose(fn: () => void): void {
    if (this.closedWith) fn();
    else this.closeHandlers.push(fn);
  }

  /** Does the broker serve this key (at a version we speak)? */
  serves(apiKey: number): boolean {
    return this.versions.has(apiKey);
  }

  versionOf(apiKey: number): number | undefined {
    return this.versions.get(apiKey);
  }

  private async handshake(): Promise<void> {
    let av: ResponseBody<typeof ApiKey.ApiVersions>;
    try {
      av = await this.send(ApiKey.ApiVersions, 3, { clientSoftwareName: 'rivulet', clientSoftwareVersion: '0' });
    } catch {
      av = await this.send(ApiKey.ApiVersions, 0, {});
    }
    if (av.errorCode === 35) av = await this.send(ApiKey.ApiVersions, 0, {});
    for (const k of av.apiKeys) {
      const ours = apiInfo(k.apiKey);
      if (!ours) continue;
      const v = Math.min(ours.maxVersion, k.maxVersion, CLIENT_MAX_VERSION[k.apiKey] ?? Infinity);
      if (v >= Math.max(ours.minVersion, k.minVersion)) this.versions.set(k.apiKey, v);
    }
    if (this.opts.token !== undefined) await this.authenticate(this.opts.token);
  }

  private async authenticate(token: string): Promise<void> {
    if (!this.serves(ApiKey.SaslHandshake) || !this.serves(ApiKey.SaslAuthenticate)) {
      throw new RivuletError(ErrorCode.AUTH_FAILED, `${this.opts.host}:${this.opts.port} does not offer SASL, but a token was given`);
    }
    const hs = await this.request(ApiKey.SaslHandshake, { mechanism: 'PLAIN' });
    if (hs.errorCode !== 0) throw new RivuletError(ErrorCode.AUTH_FAILED, `the server does not accept SASL/PLAIN (it offers ${hs.mechanisms.join(', ') || 'nothing'})`);
    const auth = await this.request(ApiKey.SaslAuthenticate, { authBytes: Buffer.from(`\0rivulet\0${token}`, 'utf8') });
    if (auth.errorCode !== 0) throw new RivuletError(ErrorCode.AUTH_FAILED, auth.errorMessage ?? 'Authentication failed: wrong token');
  }

  /** Request at the negotiated version; UNSUPPORTED when the broker does not serve the key. */
  request<K extends AnyApiKey>(apiKey: K, body: RequestInput<K>, timeoutMs: number = CONNECTION_LIMITS.requestTimeoutMs): Promise<ResponseBody<K>> {
    const v = this.versions.get(apiKey);
    if (v === undefined) {
      return Promise.reject(new RivuletError(ErrorCode.UNSUPPORTED, `${this.opts.host}:${this.opts.port} does not serve ${apiInfo(apiKey)?.name ?? `API ${apiKey}`} (is it a rivulet listener?)`, { apiKey }));
    }
    return this.send(apiKey, v, body, timeoutMs);
  }

  /** Fire and forget (Produce with acks=0: the broker writes no response). */
  async sendNoResponse<K extends AnyApiKey>(apiKey: K, body: RequestInput<K>): Promise<void> {
    return this.sendNoResponseChunks(apiKey, (v, id) => [encodeRequest(apiKey, v, id, this.opts.clientId, body)]);
  }

  /**
   * As sendNoResponse, the frame written by `encode` as chunks (e.g. a batch as it is); resolves
   * once the socket handed them to the kernel, so the caller may reuse the chunks' memory.
   */
  async sendNoResponseChunks(apiKey: AnyApiKey, encode: FrameEncoder): Promise<void> {
    const v = this.versions.get(apiKey);
    if (v === undefined) throw new RivuletError(ErrorCode.UNSUPPORTED, `the broker does not serve API ${apiKey}`);
    await this.turn();
    this.check();
    // A destroyed socket calls back too (with an error): this never hangs.
    await new Promise<void>((resolve) => this.write(encode(v, this.nextCorrelation()), () => resolve()));
    this.check();
  }

  /** As request, the frame written by `encode` as chunks (e.g. a batch as it is, not copied). */
  requestChunks<K extends AnyApiKey>(apiKey: K, encode: FrameEncoder, timeoutMs: number = CONNECTION_LIMITS.requestTimeoutMs): Promise<ResponseBody<K>> {
    const v = this.versions.get(apiKey);
    if (v === undefined) return Promise.reject(new RivuletError(ErrorCode.UNSUPPORTED, `${this.opts.host}:${this.opts.port} does not serve API ${apiKey}`, { apiKey }));
    return this.send(apiKey, v, encode, timeoutMs);
  }

  /** The clientId this connection puts in request headers. */
  get clientId(): string {
    return this.opts.clientId;
  }

  /** Write a frame's chunks in one go (one writev); `done` once the last left for the kernel. */
  private write(chunks: Uint8Array[], done?: () => void): void {
    if (chunks.length === 1) {
      this.socket.write(chunks[0]!, done);
      return;
    }
    this.socket.cork();
    for (let i = 0; i < chunks.length; i++) this.socket.write(chunks[i]!, i === chunks.length - 1 ? done : undefined);
    this.socket.uncork();
  }

  private nextCorrelation(): number {
    this.correlation = (this.correlation + 1) & 0x7fffffff;
    return this.correlation;
  }

  private check(): void {
    if (this.closedWith) throw this.closedWith;
  }

  /** Wait until fewer than maxInFlight requests are outstanding. */
  private async turn(): Promise<void> {
    while (this.pending.size >= CONNECTION_LIMITS.maxInFlight && !this.closedWith) {
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  private async send<K extends AnyApiKey>(apiKey: K, version: number, body: RequestInput<K> | FrameEncoder, timeoutMs: number = CONNECTION_LIMITS.requestTimeoutMs): Promise<ResponseBody<K>> {
    await this.turn();
    this.check();
    const id = this.nextCorrelation();
    const frame = typeof body === 'function' ? (body as FrameEncoder)(version, id) : [encodeRequest(apiKey, version, id, this.opts.clientId, body)];
    return new Promise<ResponseBody<K>>((resolve, reject) => {
      const timer = setTimeout(() => this.settle(id, undefined, new RivuletError(ErrorCode.TIMEOUT, `${apiInfo(apiKey)?.name ?? apiKey} to ${this.opts.host}:${this.opts.port} timed out after ${timeoutMs} ms`)), timeoutMs);
      this.pending.set(id, { apiKey, version, resolve: resolve as (b: unknown) => void, reject, timer });
      this.write(frame);
    });
  }

  private settle(id: number, body: unknown, err?: Error): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (err) p.reject(err);
    else p.resolve(body);
    this.waiters.shift()?.();
  }

  private onData(chunk: Uint8Array): void {
    try {
      for (const frame of this.splitter.push(chunk)) {
        if (frame.length < 4) throw new Error('response frame shorter than its header');
        const id = new DataView(frame.buffer, frame.byteOffset, 4).getInt32(0);
        const p = this.pending.get(id);
        if (!p) continue; // timed out earlier: drop the late answer
        this.settle(id, decodeResponse(p.apiKey, p.version, frame).body);
      }
    } catch (e) {
      this.fail(new RivuletError(ErrorCode.PROTOCOL_ERROR, `bad response from ${this.opts.host}:${this.opts.port}: ${(e as Error).message}`));
      this.socket.destroy();
    }
  }

  private fail(err: RivuletError): void {
    if (this.closedWith) return;
    this.closedWith = err;
    for (const id of [...this.pending.keys()]) this.settle(id, undefined, err);
    for (const w of this.waiters.splice(0)) w();
    for (const h of this.closeHandlers.splice(0)) h();
  }

  close(): void {
    this.fail(new RivuletError(ErrorCode.CLUSTER_CLOSED, 'connection closed by this client'));
    this.socket.destroy();
  }
}
