/**
 * ApiVersions helpers for a server.
 *
 * - `apiVersionsTable()`: the apiKeys[] a server advertises — every served key (Kafka's and
 *   rivulet's private ones) with its served range, ascending by key.
 * - `apiVersionsUnsupportedResponse(correlationId)`: the KIP-511 answer to an ApiVersions
 *   request whose version we do not serve: a v0-format body (response header v0) with
 *   errorCode 35 UNSUPPORTED_VERSION and only the ApiVersions key and its range, so the client
 *   (librdkafka, kafkajs) retries at a version we do serve.
 */
import { encodeResponse } from './api.js';
import { KafkaErrorCode } from './kafka-errors.js';
import { ApiKey, SERVED_APIS, apiInfo } from './registry.js';

export interface ApiVersionRange {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

export function apiVersionsTable(): ApiVersionRange[] {
  return SERVED_APIS.map((a) => ({ apiKey: a.apiKey, minVersion: a.minVersion, maxVersion: a.maxVersion }));
}

export function apiVersionsUnsupportedResponse(correlationId: number): Uint8Array {
  const own = apiInfo(ApiKey.ApiVersions)!;
  return encodeResponse(ApiKey.ApiVersions, 0, correlationId, {
    errorCode: KafkaErrorCode.UNSUPPORTED_VERSION,
    apiKeys: [{ apiKey: ApiKey.ApiVersions, minVersion: own.minVersion, maxVersion: own.maxVersion }],
  });
}
