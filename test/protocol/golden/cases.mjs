/** Every golden case, in one list (ids are unique: <Api>.v<N>.<kind>.<source>[.<variant>]). */
import { apiVersionsCases, metadataCases, produceCases } from './cases-core.mjs';
import { fetchCases } from './cases-fetch.mjs';

export function allCases() {
  const cases = [...apiVersionsCases(), ...metadataCases(), ...produceCases(), ...fetchCases()];
  const ids = new Set();
  for (const c of cases) {
    if (ids.has(c.id)) throw new Error(`duplicate golden case ${c.id}`);
    ids.add(c.id);
  }
  return cases;
}

export const resolveBody = async (c) => (typeof c.body === 'function' ? c.body() : c.body);
