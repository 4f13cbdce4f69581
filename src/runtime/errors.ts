/**
 * Operating errors: typed classes with a stable `code` and a `retriable` flag.
 *
 * Invariants:
 * - Every error that can reach a user is a RivuletError with a code from `ErrorCode`.
 * - Errors crossing a thread boundary travel as plain data `{ code, message, data }`
 *   (`toPlainError`) and are rebuilt on the other side (`fromPlainError`) with the same class.
 * - Broken invariants are NOT RivuletErrors: they are `AssertionError`s (see `assert`), which
 *   crash the actor for its supervisor.
 */

export const ErrorCode = {
  OUT_OF_SPACE: 'OUT_OF_SPACE',
  OFFSET_OUT_OF_RANGE: 'OFFSET_OUT_OF_RANGE',
  CORRUPT_BATCH: 'CORRUPT_BATCH',
  RECORD_TOO_LARGE: 'RECORD_TOO_LARGE',
  NOT_LEADER: 'NOT_LEADER',
  UNKNOWN_TOPIC: 'UNKNOWN_TOPIC',
  UNKNOWN_PARTITION: 'UNKNOWN_PARTITION',
  TOPIC_EXISTS: 'TOPIC_EXISTS',
  INVALID_NAME: 'INVALID_NAME',
  INVALID_CONFIG: 'INVALID_CONFIG',
  INVALID_REPLICATION: 'INVALID_REPLICATION',
  MAILBOX_FULL: 'MAILBOX_FULL',
  TIMEOUT: 'TIMEOUT',
  WORKER_EXITED: 'WORKER_EXITED',
  CLUSTER_CLOSED: 'CLUSTER_CLOSED',
  STORAGE_ERROR: 'STORAGE_ERROR',
  INTERNAL: 'INTERNAL',
  /** The server does not offer this operation (e.g. a rivulet-only call against a real Kafka). */
  UNSUPPORTED: 'UNSUPPORTED',
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  /** Wrong or missing token (SASL/PLAIN). */
  AUTH_FAILED: 'AUTH_FAILED',
  /** The peer sent bytes that are not the protocol (malformed frame, unexpected response). */
  PROTOCOL_ERROR: 'PROTOCOL_ERROR',
  /** A network connection failed or closed before the answer came. */
  CONNECTION_ERROR: 'CONNECTION_ERROR',
  /** An idempotent batch whose sequence does not follow the last one the leader stored (a gap). */
  OUT_OF_ORDER_SEQUENCE: 'OUT_OF_ORDER_SEQUENCE',
  /** An idempotent batch from an older producer epoch than the leader has seen (fenced). */
  INVALID_PRODUCER_EPOCH: 'INVALID_PRODUCER_EPOCH',
  /** acks=all while the in-sync set is smaller than the topic's minInSyncReplicas. */
  NOT_ENOUGH_REPLICAS: 'NOT_ENOUGH_REPLICAS',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes a client may retry after a while (leadership moves, space frees, timeouts pass). */
const RETRIABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  ErrorCode.OUT_OF_SPACE,
  ErrorCode.NOT_LEADER,
  ErrorCode.MAILBOX_FULL,
  ErrorCode.TIMEOUT,
  ErrorCode.WORKER_EXITED,
  ErrorCode.CONNECTION_ERROR,
  ErrorCode.NOT_ENOUGH_REPLICAS,
]);

export type ErrorData = Record<string, unknown>;

export interface PlainError {
  code: ErrorCode;
  message: string;
  data: ErrorData;
}

export class RivuletError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly data: ErrorData;

  constructor(code: ErrorCode, message: string, data: ErrorData = {}) {
    super(message);
    this.name = 'RivuletError';
    this.code = code;
    this.retriable = RETRIABLE.has(code);
    this.data = data;
  }
}

export class OutOfSpaceError extends RivuletError {
  constructor(message: string, data: ErrorData = {}) {
    super(ErrorCode.OUT_OF_SPACE, message, data);
    this.name = 'OutOfSpaceError';
  }
}

export class OffsetOutOfRangeError extends RivuletError {
  constructor(message: string, data: ErrorData = {}) {
    super(ErrorCode.OFFSET_OUT_OF_RANGE, message, data);
    this.name = 'OffsetOutOfRangeError';
  }
}

export class CorruptBatchError extends RivuletError {
  constructor(message: string, data: ErrorData = {}) {
    super(ErrorCode.CORRUPT_BATCH, message, data);
    this.name = 'CorruptBatchError';
  }
}

export class RecordTooLargeError extends RivuletError {
  constructor(message: string, data: ErrorData = {}) {
    super(ErrorCode.RECORD_TOO_LARGE, message, data);
    this.name = 'RecordTooLargeError';
  }
}

export class StorageError extends RivuletError {
  constructor(message: string, data: ErrorData = {}) {
    super(ErrorCode.STORAGE_ERROR, message, data);
    this.name = 'StorageError';
  }
}

const CLASS_BY_CODE: Partial<Record<ErrorCode, new (message: string, data?: ErrorData) => RivuletError>> = {
  [ErrorCode.OUT_OF_SPACE]: OutOfSpaceError,
  [ErrorCode.OFFSET_OUT_OF_RANGE]: OffsetOutOfRangeError,
  [ErrorCode.CORRUPT_BATCH]: CorruptBatchError,
  [ErrorCode.RECORD_TOO_LARGE]: RecordTooLargeError,
  [ErrorCode.STORAGE_ERROR]: StorageError,
};

export function toPlainError(err: unknown): PlainError {
  if (err instanceof RivuletError) return { code: err.code, message: err.message, data: { ...err.data } };
  const message = err instanceof Error ? err.message : String(err);
  return { code: ErrorCode.INTERNAL, message, data: {} };
}

export function fromPlainError(plain: PlainError): RivuletError {
  const Cls = CLASS_BY_CODE[plain.code];
  return Cls ? new Cls(plain.message, plain.data) : new RivuletError(plain.code, plain.message, plain.data);
}

export function isPlainError(x: unknown): x is PlainError {
  return typeof x === 'object' && x !== null && typeof (x as PlainError).code === 'string' && typeof (x as PlainError).message === 'string';
}

/** A broken invariant. Never caught by operating-error handlers; crashes the actor. */
export class AssertionError extends Error {
  constructor(message: string) {
    super(`assertion failed: ${message}`);
    this.name = 'AssertionError';
  }
}

export function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new AssertionError(message);
}
