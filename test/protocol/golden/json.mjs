/**
 * Tagged JSON for fixtures (bigint and bytes survive a JSON round trip) and a normal form for
 * comparing values from different implementations.
 *
 *   bigint      ⇄ { "$bigint": "-1" }
 *   Uint8Array  ⇄ { "$hex": "00ff" }   (Buffers included; decoded back as Uint8Array)
 */

export function toTagged(v) {
  if (typeof v === 'bigint') return { $bigint: v.toString() };
  if (v instanceof Uint8Array) return { $hex: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex') };
  if (Array.isArray(v)) return v.map(toTagged);
  if (v !== null && typeof v === 'object') {
    const o = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined && typeof x !== 'function') o[k] = toTagged(x);
    return o;
  }
  return v;
}

export function fromTagged(v) {
  if (Array.isArray(v)) return v.map(fromTagged);
  if (v !== null && typeof v === 'object') {
    if (typeof v.$bigint === 'string') return BigInt(v.$bigint);
    if (typeof v.$hex === 'string') return new Uint8Array(Buffer.from(v.$hex, 'hex'));
    const o = {};
    for (const [k, x] of Object.entries(v)) o[k] = fromTagged(x);
    return o;
  }
  return v;
}

/** Normal form for cross-implementation comparison: tagged JSON. */
export const normalize = (v) => JSON.parse(JSON.stringify(toTagged(v)));

/** Paths where `expected` is not a subset of `actual` (arrays must match in length). */
export function subsetMismatches(actual, expected, path = '$') {
  if (expected === null || typeof expected !== 'object') {
    return actual === expected ? [] : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${JSON.stringify(actual)}`];
    if (actual.length !== expected.length) return [`${path}: expected ${expected.length} items, got ${actual.length}`];
    return expected.flatMap((e, i) => subsetMismatches(actual[i], e, `${path}[${i}]`));
  }
  if (actual === null || typeof actual !== 'object') return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
  return Object.entries(expected).flatMap(([k, e]) => subsetMismatches(actual[k], e, `${path}.${k}`));
}

export const hex = (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
export const unhex = (h) => new Uint8Array(Buffer.from(h, 'hex'));
