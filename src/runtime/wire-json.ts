/**
 * JSON for rivulet's private API keys: plain JSON plus the two things actor messages carry that
 * JSON does not — ±Infinity (a topic's `retentionMs: Infinity`) and bytes (a group member's
 * protocol metadata and assignment, as Uint8Array). Both directions of the wire use it.
 *
 * Invariant: parse(stringify(v)) deep-equals v for plain data with numbers (incl. ±Infinity),
 * strings, booleans, null, arrays, objects and Uint8Arrays (Buffers come back as Uint8Arrays).
 */
const POS_INF = '__+Infinity__';
const NEG_INF = '__-Infinity__';
const BYTES = '$bytes';

export const wireJson = {
  stringify(value: unknown): string {
    return JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
      const raw = (this as Record<string, unknown>)[key]; // before Buffer#toJSON ran
      if (raw instanceof Uint8Array) return { [BYTES]: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') };
      return v === Infinity ? POS_INF : v === -Infinity ? NEG_INF : v;
    });
  },
  parse(text: string): unknown {
    return JSON.parse(text, (_k, v: unknown) => {
      if (v === POS_INF) return Infinity;
      if (v === NEG_INF) return -Infinity;
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
        const b = (v as Record<string, unknown>)[BYTES];
        if (typeof b === 'string' && Object.keys(v).length === 1) return new Uint8Array(Buffer.from(b, 'base64'));
      }
      return v;
    });
  },
};
