/**
 * Drives an ActorCore on a real event loop: a turn runs on setImmediate when there is mail, and
 * one real timer is armed for the earliest actor timer. After each drain the `afterDrain` hook
 * runs (the worker flushes its batched outboxes there).
 *
 * Invariant: at most one pending immediate and one armed timer per driver.
 */
import type { ActorCore } from '../runtime/actor-core.js';

export const DRIVER_LIMITS = { maxTurnsPerDrain: 64 } as const;

export class CoreDriver {
  private immediate: NodeJS.Immediate | null = null;
  private timer: NodeJS.Timeout | null = null;
  private timerDue = Infinity;
  private stopped = false;
  core!: ActorCore;

  constructor(private readonly afterDrain: () => void = () => {}) {}

  /** The core has work: drain soon. */
  wake = (): void => {
    if (this.stopped || this.immediate) return;
    this.immediate = setImmediate(this.drain);
  };

  drain = (): void => {
    this.immediate = null;
    if (this.stopped) return;
    const core = this.core;
    core.fireTimers();
    for (let i = 0; i < DRIVER_LIMITS.maxTurnsPerDrain && core.hasMail; i++) core.runTurn();
    this.afterDrain();
    if (core.hasMail) this.wake();
    this.arm();
  };

  private arm(): void {
    const due = this.core.nextTimerDue();
    if (due === undefined) return;
    if (this.timer && due >= this.timerDue) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerDue = Infinity;
      this.drain();
    }, Math.max(0, due - Date.now()));
  }

  stop(): void {
    this.stopped = true;
    if (this.immediate) clearImmediate(this.immediate);
    if (this.timer) clearTimeout(this.timer);
  }
}
