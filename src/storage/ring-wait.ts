/**
 * SAB ring wait/wake protocol (used by RingReader for data and RingWriter for room).
 *
 * A waiting side: read the notify word, THEN raise the waiters flag, re-check its condition, and
 * sleep on the notify word (Atomics.wait in workers, Atomics.waitAsync on the main thread), until
 * its deadline. The event side (a commit for data, a release for room): after publishing, one
 * Atomics.load of the flag; only if raised does it clear it (Atomics.exchange), bump the notify
 * word and Atomics.notify — one wake per sleep, not one per event. With seq-cst Atomics either the
 * sleeper sees the event when it re-checks, or the event side sees the flag: no lost wake-up.
 * Early or stale wake-ups are absorbed: the sleeper re-arms and sleeps again until its deadline.
 *
 * Invariants: every wait is bounded (RingLimits.maxWaitMs); blocking waits poll a bounded number of
 * times (RingLimits.waitSpinPolls) before sleeping.
 */
import { assert } from './errors.js';
import { RingLimits } from './ring-layout.js';

export function checkWaitTimeout(timeoutMs: number): void {
  if (!(timeoutMs >= 0 && timeoutMs <= RingLimits.maxWaitMs)) {
    assert(false, `ring wait timeout must be 0..${RingLimits.maxWaitMs} ms, got ${timeoutMs}`);
  }
}

type WaitAsyncResult = { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
/** Atomics.waitAsync (Node 20 has it; TypeScript's ES2023 lib does not declare it). */
export const atomicsWaitAsync = (Atomics as unknown as {
  waitAsync: (a: Int32Array, index: number, value: number, timeoutMs: number) => WaitAsyncResult;
}).waitAsync;

/**
 * Arms a wait: reads the notify word, THEN raises the waiters flag. The side that clears the flag
 * bumps the notify word afterwards, so the wait either sees the bump (not-equal / woken) or the flag
 * stays raised for the next event; callers re-check their condition in between (seq-cst Atomics:
 * no lost wake-up). Returns the notify value to wait on.
 */
export function armWait(i32: Int32Array, notifyWord: number, waitersWord: number): number {
  const seq = Atomics.load(i32, notifyWord);
  Atomics.store(i32, waitersWord, 1);
  return seq;
}

/** The event side: wake sleepers if the flag is raised (one load on the fast path). */
export function wakeWaiters(i32: Int32Array, notifyWord: number, waitersWord: number): void {
  if (Atomics.load(i32, waitersWord) !== 0 && Atomics.exchange(i32, waitersWord, 0) !== 0) {
    Atomics.add(i32, notifyWord, 1);
    Atomics.notify(i32, notifyWord);
  }
}

/** Polls `ready`, then sleeps on notifyWord (Atomics.wait) until ready or the deadline. */
export function blockUntil(i32: Int32Array, notifyWord: number, waitersWord: number, timeoutMs: number, ready: () => boolean): boolean {
  checkWaitTimeout(timeoutMs);
  for (let poll = 0; poll < RingLimits.waitSpinPolls; poll++) if (ready()) return true;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const seq = armWait(i32, notifyWord, waitersWord);
    if (ready()) return true;
    const remainingMs = deadline - performance.now();
    if (remainingMs <= 0) return false;
    Atomics.wait(i32, notifyWord, seq, remainingMs);
  }
}

/** As blockUntil without blocking the thread (Atomics.waitAsync) and without polling. */
export async function waitUntil(i32: Int32Array, notifyWord: number, waitersWord: number, timeoutMs: number, ready: () => boolean): Promise<boolean> {
  checkWaitTimeout(timeoutMs);
  if (ready()) return true;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const seq = armWait(i32, notifyWord, waitersWord);
    if (ready()) return true;
    const remainingMs = deadline - performance.now();
    if (remainingMs <= 0) return false;
    const result = atomicsWaitAsync(i32, notifyWord, seq, remainingMs);
    if (result.async) await result.value;
  }
}
