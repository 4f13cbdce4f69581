/**
 * The behaviour registry both hosts use to start actors by name.
 */
import type { BehaviorRegistry } from '../src/runtime/actor.js';
import { createSc } from './sc/sc.js';
import { createSpu } from './spu/spu.js';
import { createReplica } from './replica/replica.js';

export const BEHAVIORS: BehaviorRegistry = {
  sc: createSc,
  spu: createSpu,
  replica: createReplica,
};

export { createSc, createSpu, createReplica };
