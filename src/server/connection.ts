/**
 * One client connection to one SPU's listener port: frames in, handlers run, responses out.
 *
 * Invariants:
 * - Responses are written in request order (Kafka clients pipeline and match by order and
 *   correlation id); a request without a response (acks=0) takes no slot in that order.
 * - At most `maxInFlightPerConnection` requests are being handled; past that the socket is not
 *   read until answers drain (TCP pushes back on the client).
 * - Before SASL completes (when a token is set) only ApiVersions and SASL requests are served;
 *   anything else closes the connection.
 * - A frame that is not the protocol (bad size, bad header, unknown key, undecodable body) closes
 *   the connection; it never reaches a handler, so it cannot change data. ApiVersions at an
 *   unsupported version gets Kafka's KIP-511 fallback answer instead.
 */
import type { Socket } from 'node:net';
import { decodeRequest, encodeResponse as encodeTyped } from '../protocol/api.js';
import { apiVersionsUnsupportedResponse } from '../protocol/api-versions.js';
import { ProtocolError } from '../protocol/errors.js';
import { FrameSplitter } from '../protocol/framing.js';
import { ApiKey, RivuletApiKey, type AnyApiKey } from '../protocol/registry.js';
import type { ConnectionState, RequestContext, ServerContext } from './context.js';
import { apiVersionsTable, routeOf } from './dispatch.js';
import { CloseAfter } from './handlers/session.js';
import { isChunkedResponse } from './handlers/fetch-response.js';

/** Handlers build bodies from the schema's field names; the codec checks them as it writes. */
const encodeResponse = (apiKey: number, version: number, correlationId: number, body: object): Uint8Array =>
  encodeTyped(apiKey as AnyApiKey, version, correlationId, body as never);

interface Slot {
  bytes: Uint8Array | Uint8Array[] | null | undefined; // undefined = still being handled; an array: chunks of one response
  /** Close the connection once this answer is written. */
  close: boolean;
  /** Shut the cluster down once this answer is written (the listener closes every connection after). */
  shutdown?: boolean;
}

export class Connection {
  private readonly splitter: FrameSplitter;
  private readonly slots: Slot[] = [];
  private inFlight = 0;
  private closed = false;
  private readonly state: ConnectionState;
  private authTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly server: ServerContext,
    private readonly nodeId: number,
    private readonly onClusterShutdown: () => void,
    private readonly onClose: (c: Connection) => void,
  ) {
    this.splitter = new FrameSplitter({ maxFrameBytes: server.limits.maxFrameBytes });
    this.state = { authenticated: server.options.token === undefined, saslMechanism: undefined };
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.close('socket error'));
    socket.on('close', () => this.close('peer closed'));
    if (!this.state.authenticated) {
      this.authTimer = setTimeout(() => this.close('authentication timed out'), server.limits.authTimeoutMs);
      this.authTimer.unref();
    }
  }

  close(why: string): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.authTimer);
    this.server.log.debug({ spu: this.nodeId, why, remote: this.socket.remoteAddress }, 'listener: connection closed');
    this.socket.destroy();
    this.onClose(this);
  }

  private onData(chunk: Uint8Array): void {
    if (this.closed) return;
    let frames: Uint8Array[];
    try {
      frames = this.splitter.push(chunk);
    } catch (err) {
      this.badFrame(err);
      return;
    }
    for (const f of frames) {
      if (this.closed) return;
      this.onFrame(f);
    }
  }

  private badFrame(err: unknown): void {
    this.server.stats.badFrames++;
    this.server.log.warn({ spu: this.nodeId, err: err instanceof Error ? err.message : String(err), remote: this.socket.remoteAddress }, 'listener: malformed frame, closing the connection');
    this.close('malformed frame');
  }

  private onFrame(frame: Uint8Array): void {
    let decoded: ReturnType<typeof decodeRequest>;
    try {
      decoded = decodeRequest(frame);
    } catch (err) {
      const h = err instanceof ProtocolError ? err.header : undefined;
      if (h && h.apiKey === ApiKey.ApiVersions && err instanceof ProtocolError && err.code === 'UNSUPPORTED_VERSION') {
        this.push({ bytes: apiVersionsUnsupportedResponse(h.correlationId), close: false });
        return;
      }
      this.badFrame(err);
      return;
    }
    const { header, body } = decoded;
    const route = routeOf(header.apiKey, this.server.options.rivuletKeys);
    if (!route || header.apiVersion < route.minVersion || header.apiVersion > route.maxVersion) {
      if (header.apiKey === ApiKey.ApiVersions) {
        this.push({ bytes: apiVersionsUnsupportedResponse(header.correlationId), close: false });
        return;
      }
      this.badFrame(new Error(`api ${header.apiKey} v${header.apiVersion} is not served`));
      return;
    }
    if (!this.state.authenticated && !route.beforeAuth) {
      this.server.log.warn({ spu: this.nodeId, apiKey: header.apiKey }, 'listener: request before authentication, closing');
      this.close('unauthenticated request');
      return;
    }
    this.server.stats.requests++;
    if (header.apiKey === ApiKey.ApiVersions) {
      const table = apiVersionsTable(this.server.options.rivuletKeys);
      this.push({ bytes: encodeResponse(ApiKey.ApiVersions, header.apiVersion, header.correlationId, { errorCode: 0, apiKeys: table, throttleTimeMs: 0 }), close: false });
      return;
    }
    const slot: Slot = { bytes: undefined, close: false };
    this.slots.push(slot);
    this.inFlight++;
    if (this.inFlight >= this.server.limits.maxInFlightPerConnection) this.socket.pause();
    const rc: RequestContext = { server: this.server, nodeId: this.nodeId, apiVersion: header.apiVersion, clientId: header.clientId, conn: this.state };
    const encode = (res: object, close: boolean): void => {
      try {
        slot.bytes = isChunkedResponse(res) ? res.encodeChunks(header.correlationId, header.apiVersion) : encodeResponse(header.apiKey, header.apiVersion, header.correlationId, res);
        slot.close = close;
      } catch (err) {
        this.fail(slot, header.apiKey, err); // a handler built a body the codec refuses: a bug
      }
    };
    route.handler(rc, body).then(
      (res) => {
        if (res === null) slot.bytes = null;
        else encode(res, false);
        if (header.apiKey === RivuletApiKey.ClusterShutdown && res !== null) slot.shutdown = true;
      },
      (err: unknown) => {
        if (err instanceof CloseAfter) encode(err.response, true);
        else this.fail(slot, header.apiKey, err);
      },
    ).finally(() => {
      this.inFlight--;
      if (this.state.authenticated) clearTimeout(this.authTimer);
      this.flush();
      if (this.inFlight < this.server.limits.maxInFlightPerConnection && !this.closed) this.socket.resume();
    });
  }

  /** A handler failed unexpectedly: log it, answer nothing, close after earlier answers. */
  private fail(slot: Slot, apiKey: number, err: unknown): void {
    this.server.log.error({ spu: this.nodeId, apiKey, err }, 'listener: handler failed');
    slot.bytes = null;
    slot.close = true;
  }

  private push(slot: Slot): void {
    this.slots.push(slot);
    this.flush();
  }

  /** Write every finished response at the head of the order. */
  private flush(): void {
    if (this.slots[0]?.bytes === undefined) return;
    this.socket.cork(); // every answer ready now goes out in one writev
    try {
      while (this.slots.length > 0 && this.slots[0]!.bytes !== undefined) {
        const s = this.slots.shift()!;
        if (s.bytes && !this.closed) {
          if (s.bytes instanceof Uint8Array) this.socket.write(s.bytes);
          else for (const chunk of s.bytes) this.socket.write(chunk);
        }
        if (s.shutdown) this.socket.write(new Uint8Array(0), () => this.onClusterShutdown());
        if (s.close) {
          this.socket.uncork();
          this.socket.end(() => this.close('closed after answer'));
          return;
        }
      }
    } finally {
      this.socket.uncork();
    }
  }
}
