/**
 * ProtocolError — the one error type the wire-protocol codecs throw.
 *
 * Invariants:
 * - Every decoder in src/protocol throws only ProtocolError, whatever bytes it is given
 *   (truncated, lying lengths, random garbage). Anything else escaping a decoder is a bug.
 * - Encoders throw ProtocolError('MALFORMED') for values that cannot be represented on the
 *   wire (an int out of range, a string longer than 32767 bytes, a malformed uuid, …) and
 *   ProtocolError('UNSUPPORTED_VERSION' | 'UNKNOWN_API') for a version/key we have no schema for.
 * - `code` is stable and machine-readable; `message` is for humans.
 * - `header` is set when a request frame's header could be read before the failure, so a
 *   server can still answer (or log) with the client's correlation id, api key and version.
 * - Protocol errors are never retriable: the same bytes fail the same way.
 */

export const ProtocolErrorCode = {
  MALFORMED: 'MALFORMED',
  UNSUPPORTED_VERSION: 'UNSUPPORTED_VERSION',
  UNKNOWN_API: 'UNKNOWN_API',
  FRAME_TOO_LARGE: 'FRAME_TOO_LARGE',
} as const;
export type ProtocolErrorCode = (typeof ProtocolErrorCode)[keyof typeof ProtocolErrorCode];

/** The request header fields every request version shares (v1/v2 differ only in tagged fields). */
export interface RequestHeaderInfo {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  readonly code: ProtocolErrorCode;
  readonly retriable = false;
  /** Present when the failing frame was a request whose header decoded. */
  header?: RequestHeaderInfo;

  constructor(code: ProtocolErrorCode, message: string, header?: RequestHeaderInfo) {
    super(message);
    this.code = code;
    if (header !== undefined) this.header = header;
  }
}

export function malformed(message: string): ProtocolError {
  return new ProtocolError('MALFORMED', message);
}

export function isProtocolError(e: unknown): e is ProtocolError {
  return e instanceof ProtocolError;
}
