/**
 * Storage's view of the operating errors: they live in the runtime (`src/runtime/errors.ts`), the
 * lowest layer, so every layer can raise them without importing storage. Re-exported here so the
 * storage barrel stays self-contained for its own callers.
 */
export * from '../runtime/errors.js';
