/**
 * SaslHandshake (key 17), served 0–1, never flexible (not even its header: request header v1,
 * response header v0). Source: Kafka SaslHandshake{Request,Response}.json.
 *
 * v0 means raw size-prefixed SASL tokens follow outside Kafka framing; v1 means the tokens travel
 * in SaslAuthenticate. An unsupported mechanism is answered with UNSUPPORTED_SASL_MECHANISM (33)
 * and the enabled list.
 */
import type { MessageSchema } from '../schema-types.js';

export const SaslHandshakeRequest = {
  apiKey: 17,
  name: 'SaslHandshakeRequest',
  type: 'request',
  validVersions: '0-1',
  flexibleVersions: 'none',
  fields: [{ name: 'mechanism', type: 'string', versions: '0+' }],
} as const satisfies MessageSchema;

export const SaslHandshakeResponse = {
  apiKey: 17,
  name: 'SaslHandshakeResponse',
  type: 'response',
  validVersions: '0-1',
  flexibleVersions: 'none',
  fields: [
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'mechanisms', type: '[]string', versions: '0+' },
  ],
} as const satisfies MessageSchema;
