/**
 * OTP-style restart policy: an actor that crashes is restarted after an exponential backoff;
 * more than `maxRestarts` crashes within `periodMs` escalates (the host stops the actor and tells
 * its owner — for a worker, the SC sees SPU loss).
 *
 * Invariant: decisions depend only on the crash times given (host time), so the sim replays them.
 */
export const RESTART_DEFAULTS = {
  maxRestarts: 5,
  periodMs: 10_000,
  backoffBaseMs: 50,
  backoffMaxMs: 2_000,
} as const;

export type RestartPolicy = { -readonly [K in keyof typeof RESTART_DEFAULTS]: number };

export type CrashDecision = { action: 'restart'; delayMs: number } | { action: 'escalate'; crashes: number };

export class RestartTracker {
  private readonly crashes = new Map<string, number[]>();

  constructor(private readonly policy: RestartPolicy = { ...RESTART_DEFAULTS }) {}

  onCrash(id: string, nowMs: number): CrashDecision {
    const recent = (this.crashes.get(id) ?? []).filter((t) => nowMs - t < this.policy.periodMs);
    recent.push(nowMs);
    this.crashes.set(id, recent);
    if (recent.length > this.policy.maxRestarts) return { action: 'escalate', crashes: recent.length };
    const delayMs = Math.min(this.policy.backoffMaxMs, this.policy.backoffBaseMs * 2 ** (recent.length - 1));
    return { action: 'restart', delayMs };
  }

  forget(id: string): void {
    this.crashes.delete(id);
  }
}
