/**
 * SC (streaming controller) behaviour: owns the cluster model (sc-state.ts) and routes each
 * message to the concern that handles it:
 *   liveness.ts     SPU registration, heartbeats, loss (timeout or SpuLost), exact confirmation
 *   reports.ts      replica reports: (incarnation, seq) order, sticky OutOfSpace, resolutions
 *   assignments.ts  ReplicaAssign/ReplicaRemove and their reconciliation against full heartbeats
 *   election.ts     a new leader for partitions whose leader is lost, epoch bump
 *   admin.ts        topics, listings, subscriptions, duplicate requests
 *   persistence.ts  saved metadata and its restore on start
 *   producer-ids.ts idempotent-producer ids, reserved in persisted blocks
 *   leader-balance.ts leadership back to preferred replicas (each tick, and rebalanceLeaders)
 *   isr.ts          in-sync sets: leaders' AlterIsr requests, lost SPUs dropped, versions
 *
 * Invariants:
 * - Only the configured SPU ids are confirmed; registrations from others are refused and logged.
 * - Every resolution change goes through `setResolution` (resolution.ts → partition-status.ts);
 *   rejected ones are logged, never applied.
 * - Out-of-space is sticky (persisted) and clears only on the leader's report of space.
 * - The persisted state is saved through ctx.storage after every metadata change.
 */
import type { Actor, Context, Message } from '../../src/runtime/actor.js';
import type { ScMessage } from '../messages.js';
import { messageGuard, scheduleSc, unexpected } from '../send.js';
import { onAdminRequest, onReportReply } from './admin.js';
import { onAlterIsr } from './isr.js';
import { onSpuContact, onSpuLost, onTick } from './liveness.js';
import { restore } from './persistence.js';
import { newScModel, type ScArgs, type ScModel } from './sc-state.js';

export type { ScArgs } from './sc-state.js';

const isScMessage = messageGuard<ScMessage>({
  SpuRegister: true, SpuHeartbeat: true, SpuLost: true, AdminRequest: true, ReportReply: true, ReportSyncTimeout: true, AlterIsr: true, Tick: true,
});

function receive(ctx: Context, m: ScModel, msg: ScMessage): void {
  switch (msg.type) {
    case 'SpuRegister':
    case 'SpuHeartbeat':
      return onSpuContact(ctx, m, msg);
    case 'SpuLost':
      return onSpuLost(ctx, m, msg.spuId);
    case 'Tick':
      return onTick(ctx, m);
    case 'AdminRequest':
      return onAdminRequest(ctx, m, msg);
    case 'ReportReply':
      return onReportReply(ctx, m, msg);
    case 'ReportSyncTimeout':
      return m.sync.onTimeout(msg.token);
    case 'AlterIsr':
      return onAlterIsr(ctx, m, msg);
  }
}

export function createSc(rawArgs: unknown): Actor {
  const m = newScModel(rawArgs as ScArgs);
  return {
    onStart(ctx: Context) {
      restore(ctx, m);
      scheduleSc(ctx, m.args.heartbeatMs, { type: 'Tick' });
    },
    receive(msg: Message, ctx: Context) {
      if (isScMessage(msg)) receive(ctx, m, msg);
      else unexpected(ctx, 'SC', msg);
    },
  };
}
