/**
 * DeleteTopics (key 20), served 0–6; flexible from 4. Source: Kafka DeleteTopics{Request,Response}.json.
 *
 * v0–5 name topics in `topicNames`; v6 uses `topics[]` of (name | topicId).
 */
import type { MessageSchema } from '../schema-types.js';

export const DeleteTopicsRequest = {
  apiKey: 20,
  name: 'DeleteTopicsRequest',
  type: 'request',
  validVersions: '0-6',
  flexibleVersions: '4+',
  fields: [
    {
      name: 'topics', type: '[]struct', versions: '6+',
      fields: [
        { name: 'name', type: 'string', versions: '6+', nullableVersions: '6+', default: null },
        { name: 'topicId', type: 'uuid', versions: '6+' },
      ],
    },
    { name: 'topicNames', type: '[]string', versions: '0-5' },
    { name: 'timeoutMs', type: 'int32', versions: '0+' },
  ],
} as const satisfies MessageSchema;

export const DeleteTopicsResponse = {
  apiKey: 20,
  name: 'DeleteTopicsResponse',
  type: 'response',
  validVersions: '0-6',
  flexibleVersions: '4+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    {
      name: 'responses', type: '[]struct', versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+', nullableVersions: '6+' },
        { name: 'topicId', type: 'uuid', versions: '6+' },
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'errorMessage', type: 'string', versions: '5+', nullableVersions: '5+', default: null },
      ],
    },
  ],
} as const satisfies MessageSchema;
