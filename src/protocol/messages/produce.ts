/**
 * Produce (key 0), served 3–9; flexible from 9. Source: Kafka Produce{Request,Response}.json.
 *
 * topicData[].partitionData[].records is the raw RecordBatch v2 bytes (one batch per
 * partition from real clients), decoded as a zero-copy subarray of the frame, never parsed here.
 * acks = 0 requests get no response at all (the server's business, not the codec's).
 */
import type { MessageSchema } from '../schema-types.js';

export const ProduceRequest = {
  apiKey: 0,
  name: 'ProduceRequest',
  type: 'request',
  validVersions: '3-9',
  flexibleVersions: '9+',
  fields: [
    { name: 'transactionalId', type: 'string', versions: '3+', nullableVersions: '3+', default: null },
    { name: 'acks', type: 'int16', versions: '0+' },
    { name: 'timeoutMs', type: 'int32', versions: '0+' },
    {
      name: 'topicData', type: '[]struct', versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+' },
        {
          name: 'partitionData', type: '[]struct', versions: '0+',
          fields: [
            { name: 'index', type: 'int32', versions: '0+' },
            { name: 'records', type: 'records', versions: '0+', nullableVersions: '0+' },
          ],
        },
      ],
    },
  ],
} as const satisfies MessageSchema;

export const ProduceResponse = {
  apiKey: 0,
  name: 'ProduceResponse',
  type: 'response',
  validVersions: '3-9',
  flexibleVersions: '9+',
  fields: [
    {
      name: 'responses', type: '[]struct', versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+' },
        {
          name: 'partitionResponses', type: '[]struct', versions: '0+',
          fields: [
            { name: 'index', type: 'int32', versions: '0+' },
            { name: 'errorCode', type: 'int16', versions: '0+' },
            { name: 'baseOffset', type: 'int64', versions: '0+' },
            { name: 'logAppendTimeMs', type: 'int64', versions: '2+', default: -1n },
            { name: 'logStartOffset', type: 'int64', versions: '5+', default: -1n },
            {
              name: 'recordErrors', type: '[]struct', versions: '8+',
              fields: [
                { name: 'batchIndex', type: 'int32', versions: '8+' },
                { name: 'batchIndexErrorMessage', type: 'string', versions: '8+', nullableVersions: '8+', default: null },
              ],
            },
            { name: 'errorMessage', type: 'string', versions: '8+', nullableVersions: '8+', default: null },
          ],
        },
      ],
    },
    { name: 'throttleTimeMs', type: 'int32', versions: '1+', default: 0 },
  ],
} as const satisfies MessageSchema;
