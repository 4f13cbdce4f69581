/**
 * The partition resolution state machine (DESIGN §6): exactly the table's transitions are allowed,
 * and OutOfSpace → Online only on the SPU's report of space. A fast-check walk over random
 * (target, cause) requests never leaves the table.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { isAllowedTransition, transition, ALL_RESOLUTIONS, type TransitionCause } from '../../actors/sc/partition-status.js';
import type { Resolution } from '../../actors/messages.js';

const TABLE: [Resolution, Resolution][] = [
  ['Offline', 'Online'], ['Offline', 'ElectionLeaderFound'], ['Online', 'LeaderOffline'], ['Online', 'OutOfSpace'],
  ['LeaderOffline', 'ElectionLeaderFound'], ['LeaderOffline', 'Online'], ['LeaderOffline', 'Offline'],
  ['ElectionLeaderFound', 'Online'], ['ElectionLeaderFound', 'LeaderOffline'], ['OutOfSpace', 'Online'], ['OutOfSpace', 'LeaderOffline'],
];
const CAUSES: TransitionCause[] = ['leader-report', 'space-available', 'spu-lost', 'election', 'no-leader'];

describe('partition status transitions', () => {
  it('allows exactly the DESIGN table', () => {
    for (const from of ALL_RESOLUTIONS) {
      for (const to of ALL_RESOLUTIONS) {
        if (from === to) continue;
        expect(isAllowedTransition(from, to)).toBe(TABLE.some(([a, b]) => a === from && b === to));
      }
    }
  });

  it('never applies a transition outside the table; OutOfSpace clears only with space', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...ALL_RESOLUTIONS), fc.constantFrom(...CAUSES)), { maxLength: 60 }),
        (steps) => {
          let state: Resolution = 'Offline';
          for (const [to, cause] of steps) {
            const r = transition(state, to, cause);
            if (r.ok && r.to !== state) {
              expect(TABLE.some(([a, b]) => a === state && b === to)).toBe(true);
              if (state === 'OutOfSpace' && to === 'Online') expect(cause).toBe('space-available');
              state = r.to;
            }
          }
        },
      ),
      { seed: 3, numRuns: 500 },
    );
  });
});
