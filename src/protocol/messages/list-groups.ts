/**
 * ListGroups (key 16), served 0–4; flexible from 3. Source: Kafka ListGroups{Request,Response}.json.
 *
 * statesFilter (v4+) empty = all states.
 */
import type { MessageSchema } from '../schema-types.js';

export const ListGroupsRequest = {
  apiKey: 16,
  name: 'ListGroupsRequest',
  type: 'request',
  validVersions: '0-4',
  flexibleVersions: '3+',
  fields: [
    { name: 'statesFilter', type: '[]string', versions: '4+' },
    { name: 'typesFilter', type: '[]string', versions: '5+' },
  ],
} as const satisfies MessageSchema;

export const ListGroupsResponse = {
  apiKey: 16,
  name: 'ListGroupsResponse',
  type: 'response',
  validVersions: '0-4',
  flexibleVersions: '3+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    {
      name: 'groups', type: '[]struct', versions: '0+',
      fields: [
        { name: 'groupId', type: 'string', versions: '0+' },
        { name: 'protocolType', type: 'string', versions: '0+' },
        { name: 'groupState', type: 'string', versions: '4+' },
        { name: 'groupType', type: 'string', versions: '5+' },
      ],
    },
  ],
} as const satisfies MessageSchema;
