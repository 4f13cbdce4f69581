/**
 * SaslAuthenticate (key 36), served 0–2, flexible from 2. Source: Kafka SaslAuthenticate{Request,Response}.json.
 *
 * PLAIN authBytes = [authzid] NUL authcid NUL password. sessionLifetimeMs 0 = no re-authentication
 * (KIP-368 otherwise). Failure: SASL_AUTHENTICATION_FAILED (58).
 */
import type { MessageSchema } from '../schema-types.js';

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
