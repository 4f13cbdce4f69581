/**
 * piscina task for `rivulet sim --seeds N`: one seed's simulation is stateless CPU work (a pure
 * function of the seed), so seeds run in parallel on a worker pool.
 */
import { runSeed, type SimRunResult } from './sim-runner.js';

export default async function simSeed({ seed }: { seed: number }): Promise<SimRunResult> {
  return runSeed(seed);
}
