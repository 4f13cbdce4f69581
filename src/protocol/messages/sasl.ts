/**
 * SaslHandshake (key 17), served 0–1, never flexible; SaslAuthenticate (key 36), served 0–2,
 * flexible from 2. Source: Kafka SaslHandshake/SaslAuthenticate{Request,Response}.json.
 *
 * Handshake v0 means raw size-prefixed SASL tokens follow (outside Kafka framing); v1 means
 * tokens travel in SaslAuthenticate. PLAIN authBytes = [authzid] NUL authcid NUL password.
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

export const SaslAuthenticateRequest = {
  apiKey: 36,
  name: 'SaslAuthenticateRequest',
  type: 'request',
  validVersions: '0-2',
  flexibleVersions: '2+',
  fields: [{ name: 'authBytes', type: 'bytes', versions: '0+' }],
} as const satisfies MessageSchema;

export const SaslAuthenticateResponse = {
  apiKey: 36,
  name: 'SaslAuthenticateResponse',
  type: 'response',
  validVersions: '0-2',
  flexibleVersions: '2+',
  fields: [
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
    { name: 'authBytes', type: 'bytes', versions: '0+' },
    { name: 'sessionLifetimeMs', type: 'int64', versions: '1+', default: 0n },
  ],
} as const satisfies MessageSchema;
