/**
 * Subscribers (every host's onEvent): several subscribers in order, unsubscribe, and an emit that
 * is not disturbed by (un)subscribing during it.
 */
import { describe, it, expect } from 'vitest';
import { Subscribers } from '../../src/runtime/subscribers.js';

describe('Subscribers', () => {
  it('calls every subscriber in order until it unsubscribes', () => {
    const s = new Subscribers<number>();
    const seen: string[] = [];
    const offA = s.add((v) => seen.push(`a${v}`));
    s.add((v) => seen.push(`b${v}`));
    const twice = (v: number) => seen.push(`c${v}`);
    const offC1 = s.add(twice);
    s.add(twice);
    s.emit(1);
    offA();
    offC1();
    offC1(); // idempotent
    s.emit(2);
    expect(seen).toEqual(['a1', 'b1', 'c1', 'c1', 'b2', 'c2']);
    expect(s.size).toBe(2);
  });

  it('lets a subscriber unsubscribe others, or subscribe, during an emit', () => {
    const s = new Subscribers<number>();
    const seen: string[] = [];
    let offB = () => {};
    s.add(() => {
      seen.push('a');
      offB();
      s.add(() => seen.push('late'));
    });
    offB = s.add(() => seen.push('b'));
    s.emit(1);
    expect(seen).toEqual(['a', 'b']); // this emit calls whoever was subscribed when it started
    s.emit(2);
    expect(seen).toEqual(['a', 'b', 'a', 'late']);
  });
});
