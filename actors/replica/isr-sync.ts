/**
 * The leader's side of SC-approved in-sync sets (actors/sc/isr.ts): it sends the SC the set
 * LeaderState proposes (AlterIsr, based on the version it last applied) and applies only sets the
 * SC sends that are newer than the one it has (IsrChanged, or a repeated assignment).
 *
 * Invariant: versions applied only grow; a leader that started from its spawn arguments (after a
 * restart) knows no version (-1) and waits for every replica until the SC tells it the set — its
 * first report carries version -1, and the SC answers any stale version with the current set.
 */
import type { Context } from '../../src/runtime/actor.js';
import { toSc } from '../send.js';
import type { LeaderState } from './leader-state.js';

export class IsrSync {
  /** Version of the SC's in-sync set last applied; -1: none yet. */
  version = -1;

  constructor(private readonly topic: string, private readonly partition: number, private readonly spuId: number) {}

  /** Ask the SC for the set the leader wants now, if it wants a change; true when asked. */
  propose(ctx: Context, state: LeaderState, leo: number, epoch: number): boolean {
    const isr = state.proposal(leo, ctx.now());
    if (!isr) return false;
    toSc(ctx, { type: 'AlterIsr', topic: this.topic, partition: this.partition, spuId: this.spuId, epoch, isrVersion: this.version, isr });
    return true;
  }

  /** Whether a set of version `v` from the SC is newer than ours (then it is now ours). */
  accept(v: number): boolean {
    if (v <= this.version) return false;
    this.version = v;
    return true;
  }
}
