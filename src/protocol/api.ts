/**
 * Whole-message codecs: size prefix + header + body, for both directions of every served API.
 *
 *   request frame:  int32 size | request header (v1, or v2 if flexible) | body
 *   response frame: int32 size | response header (v0, or v1 if flexible — never for ApiVersions) | body
 *
 * encode* return size-prefixed frames; decode* take a frame WITHOUT its size prefix (what the
 * FrameSplitter yields). Decoded bytes/records alias the frame: do not reuse its buffer while
 * the body is alive.
 *
 * Errors (all ProtocolError): decodeRequest attaches the request header to UNKNOWN_API,
 * UNSUPPORTED_VERSION and body MALFORMED errors whenever the header itself decoded, so a
 * server can answer (ApiVersions: `apiVersionsUnsupportedResponse`) or log and close.
 */
import { ProtocolError } from './errors.js';
import {
  readRequestHeaderPrefix, readResponseHeader, writeRequestHeader, writeResponseHeader,
  type RequestHeader, type RequestHeaderVersion, type ResponseHeaderVersion,
} from './header.js';
import { Reader } from './reader.js';
import {
  ApiKey, MESSAGES, apiInfo, isFlexibleVersion, isServedApiKey,
  type AnyApiKey, type RequestBody, type RequestInput, type ResponseBody, type ResponseInput,
} from './registry.js';
import { checkVersion, readMessage, writeMessage } from './schema.js';
import type { MessageSchema } from './schema-types.js';
import { Writer } from './writer.js';

export type DecodedRequest = {
  [K in AnyApiKey]: { apiKey: K; header: RequestHeader; body: RequestBody<K> };
}[AnyApiKey];

export function requestHeaderVersion(apiKey: number, version: number): RequestHeaderVersion {
  return isFlexibleVersion(apiKey, version) ? 2 : 1;
}

export function responseHeaderVersion(apiKey: number, version: number): ResponseHeaderVersion {
  if (apiKey === ApiKey.ApiVersions) return 0;
  return isFlexibleVersion(apiKey, version) ? 1 : 0;
}

function schemaOf(apiKey: number, dir: 'request' | 'response'): MessageSchema {
  if (!isServedApiKey(apiKey)) throw new ProtocolError('UNKNOWN_API', `unknown api key ${apiKey}`);
  return MESSAGES[apiKey][dir];
}

function sizePrefixed(fill: (w: Writer) => void): Uint8Array {
  const w = new Writer();
  w.int32(0);
  fill(w);
  w.patchInt32(0, w.pos - 4);
  return w.finish();
}

export function encodeRequest<K extends AnyApiKey>(
  apiKey: K,
  version: number,
  correlationId: number,
  clientId: string | null,
  body: RequestInput<K>,
): Uint8Array {
  const schema = schemaOf(apiKey, 'request');
  checkVersion(schema, version);
  return sizePrefixed((w) => {
    writeRequestHeader(w, { apiKey, apiVersion: version, correlationId, clientId }, requestHeaderVersion(apiKey, version));
    writeMessage(w, schema, version, body as never);
  });
}

export function decodeRequest(frame: Uint8Array): DecodedRequest {
  const r = new Reader(frame);
  const header = readRequestHeaderPrefix(r, 1);
  const { apiKey, apiVersion } = header;
  if (!isServedApiKey(apiKey)) throw new ProtocolError('UNKNOWN_API', `unknown api key ${apiKey}`, header);
  const info = apiInfo(apiKey)!;
  if (!Number.isInteger(apiVersion) || apiVersion < info.minVersion || apiVersion > info.maxVersion) {
    throw new ProtocolError(
      'UNSUPPORTED_VERSION',
      `${info.name} v${apiVersion} is not supported (${info.minVersion}-${info.maxVersion})`,
      header,
    );
  }
  try {
    if (requestHeaderVersion(apiKey, apiVersion) === 2) r.skipTaggedFields();
    const body = readMessage(MESSAGES[apiKey].request, apiVersion, r);
    return { apiKey, header, body } as DecodedRequest;
  } catch (e) {
    if (e instanceof ProtocolError) e.header = header;
    throw e;
  }
}

export function encodeResponse<K extends AnyApiKey>(
  apiKey: K,
  version: number,
  correlationId: number,
  body: ResponseInput<K>,
): Uint8Array {
  const schema = schemaOf(apiKey, 'response');
  checkVersion(schema, version);
  return sizePrefixed((w) => {
    writeResponseHeader(w, correlationId, responseHeaderVersion(apiKey, version));
    writeMessage(w, schema, version, body as never);
  });
}

export function decodeResponse<K extends AnyApiKey>(
  apiKey: K,
  version: number,
  frame: Uint8Array,
): { correlationId: number; body: ResponseBody<K> } {
  const schema = schemaOf(apiKey, 'response');
  checkVersion(schema, version);
  const r = new Reader(frame);
  const { correlationId } = readResponseHeader(r, responseHeaderVersion(apiKey, version));
  return { correlationId, body: readMessage(schema, version, r) as ResponseBody<K> };
}

/** Body only (no size, no header): for tests, fixtures and embedding. */
export function encodeRequestBody<K extends AnyApiKey>(apiKey: K, version: number, body: RequestInput<K>): Uint8Array {
  const w = new Writer();
  writeMessage(w, schemaOf(apiKey, 'request'), version, body as never);
  return w.finish();
}
export function decodeRequestBody<K extends AnyApiKey>(apiKey: K, version: number, bytes: Uint8Array): RequestBody<K> {
  return readMessage(schemaOf(apiKey, 'request'), version, new Reader(bytes)) as RequestBody<K>;
}
export function encodeResponseBody<K extends AnyApiKey>(apiKey: K, version: number, body: ResponseInput<K>): Uint8Array {
  const w = new Writer();
  writeMessage(w, schemaOf(apiKey, 'response'), version, body as never);
  return w.finish();
}
export function decodeResponseBody<K extends AnyApiKey>(apiKey: K, version: number, bytes: Uint8Array): ResponseBody<K> {
  return readMessage(schemaOf(apiKey, 'response'), version, new Reader(bytes)) as ResponseBody<K>;
}
