/** Every golden case, in one list (ids are unique: <Api>.v<N>.<kind>.<source>[.<variant>]). */
import { apiVersionsCases, metadataCases, produceCases } from './cases-core.mjs';
import { fetchCases } from './cases-fetch.mjs';
import { createPartitionsCases, createTopicsCases, deleteTopicsCases, listOffsetsCases } from './cases-admin.mjs';
import { describeConfigsCases, initProducerIdCases, saslCases } from './cases-admin2.mjs';
import { findCoordinatorCases, heartbeatCases, joinGroupCases, leaveGroupCases, syncGroupCases } from './cases-groups.mjs';
import { describeGroupsCases, listGroupsCases, offsetCommitCases, offsetFetchCases } from './cases-offsets.mjs';

export function allCases() {
  const cases = [
    ...apiVersionsCases(), ...metadataCases(), ...produceCases(), ...fetchCases(),
    ...listOffsetsCases(), ...createTopicsCases(), ...deleteTopicsCases(), ...createPartitionsCases(),
    ...describeConfigsCases(), ...initProducerIdCases(), ...saslCases(),
    ...findCoordinatorCases(), ...joinGroupCases(), ...syncGroupCases(), ...heartbeatCases(), ...leaveGroupCases(),
    ...offsetCommitCases(), ...offsetFetchCases(), ...describeGroupsCases(), ...listGroupsCases(),
  ];
  const ids = new Set();
  for (const c of cases) {
    if (ids.has(c.id)) throw new Error(`duplicate golden case ${c.id}`);
    ids.add(c.id);
  }
  return cases;
}

export const resolveBody = async (c) => (typeof c.body === 'function' ? c.body() : c.body);
