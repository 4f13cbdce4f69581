/**
 * Partition resolution state machine (DESIGN §6). The table below is the only source of allowed
 * transitions; `transition` rejects everything else (the SC logs the rejection and keeps the old
 * resolution). OutOfSpace is sticky: it leaves only to Online on the SPU's report that space is
 * available, or to LeaderOffline when the leader's SPU is lost.
 */
import { Resolution } from '../messages.js';

const ALLOWED: Readonly<Record<Resolution, readonly Resolution[]>> = {
  [Resolution.Offline]: [Resolution.Online, Resolution.ElectionLeaderFound],
  [Resolution.Online]: [Resolution.LeaderOffline, Resolution.OutOfSpace],
  [Resolution.LeaderOffline]: [Resolution.ElectionLeaderFound, Resolution.Online, Resolution.Offline],
  [Resolution.ElectionLeaderFound]: [Resolution.Online, Resolution.LeaderOffline],
  [Resolution.OutOfSpace]: [Resolution.Online, Resolution.LeaderOffline],
};

export function isAllowedTransition(from: Resolution, to: Resolution): boolean {
  return ALLOWED[from].includes(to);
}

export type TransitionCause = 'leader-report' | 'space-available' | 'spu-lost' | 'election' | 'no-leader';

export type TransitionResult = { ok: true; to: Resolution } | { ok: false; reason: string };

/**
 * Decide a transition. `OutOfSpace → Online` additionally requires cause 'space-available'
 * (the SPU reported space), never a plain leader report or reconnect.
 */
export function transition(from: Resolution, to: Resolution, cause: TransitionCause): TransitionResult {
  if (from === to) return { ok: true, to };
  if (!isAllowedTransition(from, to)) return { ok: false, reason: `${from} → ${to} is not an allowed transition` };
  if (from === Resolution.OutOfSpace && to === Resolution.Online && cause !== 'space-available') {
    return { ok: false, reason: `OutOfSpace clears only when the SPU reports space (cause: ${cause})` };
  }
  return { ok: true, to };
}

export const ALL_RESOLUTIONS: readonly Resolution[] = Object.values(Resolution);
