/**
 * The behaviour registry both hosts use to start actors by name. The SC's behaviour co-hosts the
 * group coordinator (actors/groups/hosted.ts); 'groups' runs the coordinator alone.
 */
import type { BehaviorRegistry } from '../src/runtime/actor.js';
import { createSc } from './sc/sc.js';
import { createSpu } from './spu/spu.js';
import { createReplica } from './replica/replica.js';
import { createGroupCoordinator } from './groups/coordinator.js';
import { withGroupCoordinator } from './groups/hosted.js';

export const BEHAVIORS: BehaviorRegistry = {
  sc: withGroupCoordinator(createSc),
  spu: createSpu,
  replica: createReplica,
  groups: createGroupCoordinator,
};

export { createSc, createSpu, createReplica };
