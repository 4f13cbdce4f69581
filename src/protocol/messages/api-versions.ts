/**
 * ApiVersions (key 18), served 0–3; flexible from 3. Source: Kafka ApiVersions{Request,Response}.json.
 *
 * The response ALWAYS travels with response header v0 (no tagged fields), even at v3, so a
 * client can parse it before it knows anything about the broker (api.ts implements this).
 * For a request version above our range the broker answers a v0 body with UNSUPPORTED_VERSION
 * and the ApiVersions range only (KIP-511): see `apiVersionsUnsupportedResponse` in api.ts.
 */
import type { MessageSchema } from '../schema-types.js';

export const ApiVersionsRequest = {
  apiKey: 18,
  name: 'ApiVersionsRequest',
  type: 'request',
  validVersions: '0-3',
  flexibleVersions: '3+',
  fields: [
    { name: 'clientSoftwareName', type: 'string', versions: '3+' },
    { name: 'clientSoftwareVersion', type: 'string', versions: '3+' },
  ],
} as const satisfies MessageSchema;

export const ApiVersionsResponse = {
  apiKey: 18,
  name: 'ApiVersionsResponse',
  type: 'response',
  validVersions: '0-3',
  flexibleVersions: '3+',
  fields: [
    { name: 'errorCode', type: 'int16', versions: '0+' },
    {
      name: 'apiKeys', type: '[]struct', versions: '0+',
      fields: [
        { name: 'apiKey', type: 'int16', versions: '0+' },
        { name: 'minVersion', type: 'int16', versions: '0+' },
        { name: 'maxVersion', type: 'int16', versions: '0+' },
      ],
    },
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    {
      name: 'supportedFeatures', type: '[]struct', versions: '3+', tag: 0, taggedVersions: '3+',
      fields: [
        { name: 'name', type: 'string', versions: '3+' },
        { name: 'minVersion', type: 'int16', versions: '3+' },
        { name: 'maxVersion', type: 'int16', versions: '3+' },
      ],
    },
    { name: 'finalizedFeaturesEpoch', type: 'int64', versions: '3+', tag: 1, taggedVersions: '3+', default: -1n },
    {
      name: 'finalizedFeatures', type: '[]struct', versions: '3+', tag: 2, taggedVersions: '3+',
      fields: [
        { name: 'name', type: 'string', versions: '3+' },
        { name: 'maxVersionLevel', type: 'int16', versions: '3+' },
        { name: 'minVersionLevel', type: 'int16', versions: '3+' },
      ],
    },
    { name: 'zkMigrationReady', type: 'bool', versions: '3+', tag: 3, taggedVersions: '3+', default: false },
  ],
} as const satisfies MessageSchema;
