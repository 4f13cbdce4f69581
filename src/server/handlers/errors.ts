/**
 * How handlers turn what went wrong into wire error codes: a RivuletError maps through the
 * one-to-one table in src/runtime/wire-codes.ts; anything else is UNKNOWN_SERVER_ERROR (-1) and is
 * logged, because it is a bug, not an operating error.
 */
import type { Logger } from 'pino';
import { RivuletError } from '../../runtime/errors.js';
import { toWire } from '../../runtime/wire-codes.js';

export interface WireError {
  errorCode: number;
  errorMessage: string | null;
}

export function wireError(err: unknown, log?: Logger): WireError {
  if (err instanceof RivuletError) return { errorCode: toWire(err.code), errorMessage: err.message };
  log?.error({ err }, 'listener: unexpected error in a handler');
  return { errorCode: -1, errorMessage: err instanceof Error ? err.message : String(err) };
}

/** Kafka wire codes handlers use directly. */
export const Wire = {
  NONE: 0,
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  LEADER_NOT_AVAILABLE: 5,
  NOT_LEADER_OR_FOLLOWER: 6,
  INVALID_TOPIC: 17,
  INVALID_REQUIRED_ACKS: 21,
  UNSUPPORTED_SASL_MECHANISM: 33,
  ILLEGAL_SASL_STATE: 34,
  UNSUPPORTED_VERSION: 35,
  INVALID_PARTITIONS: 37,
  INVALID_CONFIG: 40,
  INVALID_REQUEST: 42,
  SASL_AUTHENTICATION_FAILED: 58,
  UNKNOWN_TOPIC_ID: 100,
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 53,
  UNSUPPORTED_COMPRESSION_TYPE: 76,
  INVALID_RECORD: 87,
  UNKNOWN_SERVER_ERROR: -1,
} as const;
