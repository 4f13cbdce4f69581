/**
 * Request and response headers.
 *
 *   Request header v0:  ApiKey int16 | ApiVersion int16 | CorrelationId int32
 *   Request header v1:  v0 | ClientId nullable STRING (int16 length, -1 = null)
 *   Request header v2:  v1 | TAGGED_FIELDS            (ClientId stays NON-compact)
 *   Response header v0: CorrelationId int32
 *   Response header v1: v0 | TAGGED_FIELDS
 *
 * Which version: a flexible request version uses request header v2 and response header v1,
 * otherwise v1 / v0 — except ApiVersions responses, which always use response header v0 so a
 * client that does not yet know the broker's versions can read them (KIP-511).
 * v0 request headers are only for ControlledShutdown v0, which we do not serve; they are
 * encodable and decodable here for completeness.
 *
 * Invariants: tagged fields in headers are validated and skipped on decode, written empty on
 * encode. ClientId is decoded leniently (invalid UTF-8 becomes U+FFFD) so that a header can
 * always be reported back; everything else is strict. Only ProtocolError is thrown.
 */
import { malformed } from './errors.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

export type RequestHeaderVersion = 0 | 1 | 2;
export type ResponseHeaderVersion = 0 | 1;

const lenientUtf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Reads ApiKey, ApiVersion, CorrelationId (and ClientId for v1+); not the v2 tagged fields. */
export function readRequestHeaderPrefix(r: Reader, version: RequestHeaderVersion): RequestHeader {
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const correlationId = r.int32();
  let clientId: string | null = null;
  if (version >= 1) {
    const n = r.stringLength(false);
    clientId = n < 0 ? null : lenientUtf8.decode(r.raw(n));
  }
  return { apiKey, apiVersion, correlationId, clientId };
}

export function readRequestHeader(r: Reader, version: RequestHeaderVersion): RequestHeader {
  const h = readRequestHeaderPrefix(r, version);
  if (version === 2) r.skipTaggedFields();
  return h;
}

export function writeRequestHeader(w: Writer, h: RequestHeader, version: RequestHeaderVersion): void {
  w.int16(h.apiKey).int16(h.apiVersion).int32(h.correlationId);
  if (version >= 1) w.nullableString(h.clientId, false);
  else if (h.clientId !== null && h.clientId !== '') throw malformed('request header v0 has no ClientId');
  if (version === 2) w.taggedFields();
}

export function readResponseHeader(r: Reader, version: ResponseHeaderVersion): { correlationId: number } {
  const correlationId = r.int32();
  if (version === 1) r.skipTaggedFields();
  return { correlationId };
}

export function writeResponseHeader(w: Writer, correlationId: number, version: ResponseHeaderVersion): void {
  w.int32(correlationId);
  if (version === 1) w.taggedFields();
}
