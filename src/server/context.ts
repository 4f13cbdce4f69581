/**
 * What every request handler sees: the cluster backend, the metadata view, the brokers (one per
 * SPU, each with its own port), the token, limits, the log, and the request's own header plus the
 * broker (SPU) whose port it arrived on.
 */
import type { TailSession } from './tail-fetch.js';
import type { Logger } from 'pino';
import type { ServerBackend } from './backend.js';
import type { ServerLimits } from './limits.js';
import type { MetadataView } from './metadata-view.js';

export interface BrokerAddress {
  nodeId: number;
  host: string;
  port: number;
}

export interface ServerOptions {
  /** Create a topic (1 partition, RF 1) when a client asks Metadata for an unknown one and allows it. Default false. */
  autoCreateTopics: boolean;
  /** SASL/PLAIN password for user `rivulet`; undefined = no auth. */
  token: string | undefined;
  /** Serve rivulet's private keys (default). false: only Apache Kafka's keys, like a plain Kafka broker. */
  rivuletKeys: boolean;
}

export interface ServerContext {
  readonly backend: ServerBackend;
  readonly view: MetadataView;
  readonly limits: ServerLimits;
  readonly options: ServerOptions;
  readonly log: Logger;
  brokers(): BrokerAddress[];
  /** Counters for the logs. */
  readonly stats: { connections: number; requests: number; refusedConnections: number; badFrames: number };
}

/** Per-connection state a handler may read or change (SASL progress). */
export interface ConnectionState {
  authenticated: boolean;
  saslMechanism: string | undefined;
  /** The connection's tail readers for Fetch (backend.fetchSession), made on its first Fetch. */
  fetchSession?: TailSession;
}

export interface RequestContext {
  readonly server: ServerContext;
  /** The SPU whose listener port this connection came in on. */
  readonly nodeId: number;
  readonly apiVersion: number;
  readonly clientId: string | null;
  readonly conn: ConnectionState;
}
