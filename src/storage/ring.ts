/**
 * SharedArrayBuffer ring — one writer, many readers in other threads, variable-size frames read in
 * place. This module is the public entry point; the pieces live in:
 *   ring-layout.ts  header/frame layout (drawn there), createRing, position protocol
 *   ring-writer.ts  RingWriter ('overwrite' log-tail ring / 'backpressure' produce ring)
 *   ring-reader.ts  RingReader (next / stillValid / release / waitForData[Async])
 *   ring-wait.ts    wait/wake protocol (waitForData, waitForSpace)
 *   ring-grow.ts    GrowingRingWriter (log-tail rings that start small and double) and followRing
 *
 * Positions are monotonic logical byte positions (JS numbers, exact up to 2^53 - 2^32); they stay
 * correct past 2^32 (64-bit values published as [hi, lo, hi] int32 triples, see ring-layout.ts).
 */
export { RingCounter, RingMode, RingLimits, createRing } from './ring-layout.js';
export { RingWriter } from './ring-writer.js';
export { RingReader } from './ring-reader.js';
export { GrowingRingWriter, followRing, continueReader, type RingStep } from './ring-grow.js';
