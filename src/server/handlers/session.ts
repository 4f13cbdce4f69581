/**
 * Connection-level APIs: ApiVersions (answered before authentication, as the SASL sequence
 * requires), SaslHandshake and SaslAuthenticate (PLAIN: `[authzid] NUL user NUL password`, user
 * `rivulet`, password = the token; compared in constant time), and InitProducerId (ids from the SC).
 *
 * Invariants: a failed authentication answers SASL_AUTHENTICATION_FAILED and the connection
 * closes after that answer; a connection is authenticated only by a matching PLAIN token.
 */
import crypto from 'node:crypto';
import type { ProducerIdGrant } from '../../../actors/messages.js';
import type { RequestContext } from '../context.js';
import { Wire, wireError } from './errors.js';

export const SASL_USER = 'rivulet';
const MECHANISMS = ['PLAIN'];

/** Thrown by a handler to send its answer and then close the connection. */
export class CloseAfter {
  constructor(readonly response: object) {}
}

export async function saslHandshake(rc: RequestContext, body: { mechanism: string }) {
  // v0 means raw SASL tokens without Kafka framing follow, which this listener does not read.
  // (It is advertised anyway: librdkafka enables PLAIN only if SaslHandshake v0 is, then uses v1.)
  if (rc.apiVersion < 1) throw new CloseAfter({ errorCode: Wire.UNSUPPORTED_VERSION, mechanisms: MECHANISMS });
  if (body.mechanism !== 'PLAIN') throw new CloseAfter({ errorCode: Wire.UNSUPPORTED_SASL_MECHANISM, mechanisms: MECHANISMS });
  rc.conn.saslMechanism = 'PLAIN';
  return { errorCode: Wire.NONE, mechanisms: MECHANISMS };
}

function tokenMatches(given: string, token: string): boolean {
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(token).digest();
  return crypto.timingSafeEqual(a, b);
}

export async function saslAuthenticate(rc: RequestContext, body: { authBytes: Uint8Array }) {
  const failed = (why: string) => new CloseAfter({ errorCode: Wire.SASL_AUTHENTICATION_FAILED, errorMessage: why, authBytes: new Uint8Array(0), sessionLifetimeMs: 0n });
  if (rc.conn.saslMechanism !== 'PLAIN') throw new CloseAfter({ errorCode: Wire.ILLEGAL_SASL_STATE, errorMessage: 'SaslHandshake(PLAIN) must come first', authBytes: new Uint8Array(0), sessionLifetimeMs: 0n });
  const token = rc.server.options.token;
  const parts = Buffer.from(body.authBytes).toString('utf8').split('\0');
  if (parts.length !== 3) throw failed('malformed PLAIN token');
  const [, user, password] = parts as [string, string, string];
  if (user !== SASL_USER || token === undefined || !tokenMatches(password, token)) {
    rc.server.log.warn({ user, client: rc.clientId }, 'listener: authentication failed');
    throw failed('Authentication failed: invalid username or token');
  }
  rc.conn.authenticated = true;
  return { errorCode: Wire.NONE, errorMessage: null, authBytes: new Uint8Array(0), sessionLifetimeMs: 0n };
}

/**
 * InitProducerId: the same producer ids as the embedded producer's — granted by the SC, unique
 * across SC restarts (actors/sc/producer-ids.ts) — at epoch 0, so Kafka clients' idempotent
 * batches (kafkajs `idempotent: true`, librdkafka `enable.idempotence`) are deduplicated by the
 * leader like rivulet's own. Transactions are not offered.
 */
export async function initProducerId(rc: RequestContext, body: { transactionalId: string | null }) {
  if (body.transactionalId !== null) {
    return { throttleTimeMs: 0, errorCode: Wire.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, producerId: -1n, producerEpoch: -1 };
  }
  try {
    const g = await rc.server.backend.admin<ProducerIdGrant>({ op: 'initProducerId' });
    return { throttleTimeMs: 0, errorCode: Wire.NONE, producerId: BigInt(g.producerId), producerEpoch: g.producerEpoch };
  } catch (err) {
    return { throttleTimeMs: 0, errorCode: wireError(err, rc.server.log).errorCode, producerId: -1n, producerEpoch: -1 };
  }
}
