/**
 * rivulet's private APIs (keys 32000–32005, above every Apache Kafka key), each version 0 only,
 * never flexible. Other clients never send them; ApiVersions advertises them.
 *
 *   request  = payload BYTES                                   (a UTF-8 JSON document)
 *   response = errorCode INT16 | errorMessage nullable STRING | payload BYTES (UTF-8 JSON)
 *
 * One pair of schemas per key (identical shapes; apiKey differs) so the registry stays uniform.
 */
import type { MessageSchema } from '../schema-types.js';

export const RivuletApiKey = {
  PartitionList: 32000,
  SpuList: 32001,
  ClusterShutdown: 32002,
  Fault: 32003,
  Admin: 32004,
  /** Consumer-group coordinator requests (join, sync, heartbeat, leave, commits, listings) for rivulet's own client. */
  Group: 32005,
} as const;
export type RivuletApiKey = (typeof RivuletApiKey)[keyof typeof RivuletApiKey];

const requestFields = [{ name: 'payload', type: 'bytes', versions: '0+' }] as const;
const responseFields = [
  { name: 'errorCode', type: 'int16', versions: '0+' },
  { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
  { name: 'payload', type: 'bytes', versions: '0+' },
] as const;

function pair<K extends RivuletApiKey, N extends string>(apiKey: K, name: N) {
  const request = {
    apiKey, name: `${name}Request` as const, type: 'request', validVersions: '0', flexibleVersions: 'none', fields: requestFields,
  } as const satisfies MessageSchema;
  const response = {
    apiKey, name: `${name}Response` as const, type: 'response', validVersions: '0', flexibleVersions: 'none', fields: responseFields,
  } as const satisfies MessageSchema;
  return { request, response };
}

export const RivuletPartitionList = pair(RivuletApiKey.PartitionList, 'RivuletPartitionList');
export const RivuletSpuList = pair(RivuletApiKey.SpuList, 'RivuletSpuList');
export const RivuletClusterShutdown = pair(RivuletApiKey.ClusterShutdown, 'RivuletClusterShutdown');
export const RivuletFault = pair(RivuletApiKey.Fault, 'RivuletFault');
export const RivuletAdmin = pair(RivuletApiKey.Admin, 'RivuletAdmin');
export const RivuletGroup = pair(RivuletApiKey.Group, 'RivuletGroup');
