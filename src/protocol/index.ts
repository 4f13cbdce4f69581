/**
 * src/protocol — pure Kafka wire-protocol codecs (no sockets, no imports from outside this
 * folder). The public surface for the server (src/server) and rivulet's own client (src/remote).
 */
export { ProtocolError, ProtocolErrorCode, isProtocolError, type RequestHeaderInfo } from './errors.js';
export { Reader, safeNumber, type RawTaggedField } from './reader.js';
export { Writer } from './writer.js';
export {
  readRequestHeader, writeRequestHeader, readResponseHeader, writeResponseHeader,
  type RequestHeader, type RequestHeaderVersion, type ResponseHeaderVersion,
} from './header.js';
export {
  ApiKey, RivuletApiKey, MESSAGES, SERVED_APIS, apiInfo, isServedApiKey, isFlexibleVersion,
  type AnyApiKey, type ApiInfo, type RequestBody, type ResponseBody, type RequestInput, type ResponseInput,
} from './registry.js';
export {
  encodeRequest, decodeRequest, encodeResponse, decodeResponse,
  encodeRequestBody, decodeRequestBody, encodeResponseBody, decodeResponseBody,
  requestHeaderVersion, responseHeaderVersion, type DecodedRequest,
} from './api.js';
export { apiVersionsTable, apiVersionsUnsupportedResponse, type ApiVersionRange } from './api-versions.js';
export { FrameSplitter, DEFAULT_MAX_FRAME_BYTES, type FrameSplitterOptions } from './framing.js';
export { KafkaErrorCode, kafkaErrorName, type KafkaErrorName } from './kafka-errors.js';
export { encodeMessage, decodeMessage, type LengthMark, type EncodeOptions } from './schema.js';
export type { MessageSchema, FieldSpec, FieldType, Body, Input, BodyOf, MessageInput } from './schema-types.js';
