/**
 * The fault-injection example keeps working: an app tested on the simulator under a leader crash,
 * a restart and a network partition invoices every acknowledged order, seed after seed.
 */
import { describe, it, expect } from 'vitest';
import { runOne } from '../../examples/fault-injection.js';

describe('examples/fault-injection', () => {
  it('passes its seeds', async () => {
    for (let seed = 1; seed <= 5; seed++) expect(await runOne(seed)).toEqual({ seed, ok: true });
  });
});
