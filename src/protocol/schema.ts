/**
 * The generic schema interpreter: encodes and decodes any MessageSchema at any declared version.
 *
 * Invariants:
 * - decode consumes exactly the bytes given: trailing bytes are MALFORMED, so a truncated
 *   encoding can never decode to something else (decoding is prefix-deterministic, so a proper
 *   prefix that decoded would have to end where the full encoding does).
 * - decode yields every declared field (absent or unsent tagged fields at their default),
 *   fields in declaration order; bytes/records alias the input (zero copy).
 * - Unknown tagged fields are skipped; a known tagged field must fill its declared size exactly;
 *   tags may come in any order (Kafka's readers accept that) but never twice.
 * - encode fills undefined fields with their defaults, ignores fields absent at the version,
 *   writes a tagged field only when its encoding differs from its default's, and refuses null
 *   where the version does not allow it (MALFORMED).
 * - Only ProtocolError escapes either direction.
 */
import { ProtocolError, malformed } from './errors.js';
import { Reader } from './reader.js';
import { compileStruct, defaultOf, type CField, type CStruct } from './schema-compile.js';
import type { BodyOf, MessageInput, MessageSchema } from './schema-types.js';
import { inRange } from './versions.js';
import { Writer } from './writer.js';

/** Where a length prefix was written (for tests that make lengths lie). */
export interface LengthMark {
  at: number;
  width: 'int16' | 'int32' | 'uvarint';
}
export interface EncodeOptions {
  trace?: LengthMark[];
}

export function isFlexible(schema: MessageSchema, version: number): boolean {
  return inRange(version, schema.flexibleVersions);
}

export function checkVersion(schema: MessageSchema, version: number): void {
  if (!Number.isInteger(version) || !inRange(version, schema.validVersions)) {
    throw new ProtocolError('UNSUPPORTED_VERSION', `${schema.name} v${version} is not supported (${schema.validVersions})`);
  }
}

function plan(schema: MessageSchema, version: number): CStruct {
  checkVersion(schema, version);
  return compileStruct(schema.fields, version, isFlexible(schema, version));
}

// ---------------------------------------------------------------- decode

export function decodeMessage<S extends MessageSchema>(schema: S, version: number, bytes: Uint8Array): BodyOf<S> {
  return readMessage(schema, version, new Reader(bytes));
}

/** Decode from a reader that must end exactly where the message ends. */
export function readMessage<S extends MessageSchema>(schema: S, version: number, r: Reader): BodyOf<S> {
  const c = plan(schema, version);
  try {
    const body = readStruct(r, c);
    r.expectEnd(schema.name);
    return body as BodyOf<S>;
  } catch (e) {
    if (e instanceof ProtocolError) throw e;
    throw malformed(`${schema.name} v${version}: ${(e as Error).message}`); // defensive: nothing else may escape
  }
}

function readStruct(r: Reader, c: CStruct): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const f of c.order) o[f.name] = f.mode === 'positional' ? readField(r, f, c.flexible) : defaultOf(f.spec);
  if (c.flexible) {
    const n = r.uvarint();
    if (n * 2 > r.remaining) throw malformed(`${n} tagged fields cannot fit in ${r.remaining} bytes`);
    const seen = new Set<number>();
    for (let i = 0; i < n; i++) {
      const tag = r.uvarint();
      if (seen.has(tag)) throw malformed(`tagged field ${tag} repeated`);
      seen.add(tag);
      const size = r.uvarint();
      const sub = r.sub(size);
      const f = c.byTag.get(tag);
      if (!f) continue; // unknown tag: skipped
      o[f.name] = readField(sub, f, true);
      sub.expectEnd(`tagged field ${f.name}`);
    }
  }
  return o;
}

function readField(r: Reader, f: CField, flex: boolean): unknown {
  if (!f.array) return readOne(r, f, flex, f.nullable);
  const n = r.arrayLength(flex, elementMinSize(f, flex));
  if (n < 0) {
    if (!f.nullable) throw malformed(`${f.name}: null array where not nullable`);
    return null;
  }
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(readOne(r, f, flex, false));
  return out;
}

function elementMinSize(f: CField, flex: boolean): number {
  switch (f.kind) {
    case 'struct':
      return f.struct!.minSize;
    case 'string':
      return flex ? 1 : 2;
    case 'int8':
    case 'bool':
      return 1;
    case 'int16':
      return 2;
    case 'int32':
      return 4;
    case 'uuid':
      return 16;
    default:
      return 8;
  }
}

function readOne(r: Reader, f: CField, flex: boolean, nullable: boolean): unknown {
  switch (f.kind) {
    case 'int8':
      return r.int8();
    case 'int16':
      return r.int16();
    case 'int32':
      return r.int32();
    case 'int64':
      return r.int64();
    case 'float64':
      return r.float64();
    case 'bool':
      return r.bool();
    case 'uuid':
      return r.uuid();
    case 'string': {
      const n = r.stringLength(flex);
      if (n >= 0) return r.utf8(n);
      if (!nullable) throw malformed(`${f.name}: null string where not nullable`);
      return null;
    }
    case 'bytes':
    case 'records': {
      const n = r.bytesLength(flex);
      if (n >= 0) return r.raw(n);
      if (!nullable) throw malformed(`${f.name}: null bytes where not nullable`);
      return null;
    }
    case 'struct':
      return readStruct(r, f.struct!);
  }
}

// ---------------------------------------------------------------- encode

export function encodeMessage<S extends MessageSchema>(
  schema: S,
  version: number,
  body: MessageInput<S> | undefined,
  opts: EncodeOptions = {},
): Uint8Array {
  const w = new Writer();
  writeMessage(w, schema, version, body, opts);
  return w.finish();
}

export function writeMessage<S extends MessageSchema>(
  w: Writer,
  schema: S,
  version: number,
  body: MessageInput<S> | undefined,
  opts: EncodeOptions = {},
): void {
  const c = plan(schema, version);
  try {
    writeStruct(w, c, body, opts.trace);
  } catch (e) {
    if (e instanceof ProtocolError) throw e;
    throw malformed(`${schema.name} v${version}: cannot encode: ${(e as Error).message}`);
  }
}

const defaultEncoding = new WeakMap<CField, Uint8Array>();

function writeStruct(w: Writer, c: CStruct, value: unknown, trace: LengthMark[] | undefined): void {
  if (value !== undefined && (value === null || typeof value !== 'object')) throw malformed('expected an object');
  const o = (value ?? {}) as Record<string, unknown>;
  for (const f of c.positional) writeField(w, f, o[f.name], c.flexible, trace);
  if (!c.flexible) return;
  const out: { f: CField; data: Uint8Array; marks: LengthMark[] | undefined }[] = [];
  for (const f of c.tagged) {
    const v = o[f.name];
    if (v === undefined) continue;
    const tw = new Writer(64);
    const marks: LengthMark[] | undefined = trace ? [] : undefined;
    writeField(tw, f, v, true, marks);
    const data = tw.finish();
    let def = defaultEncoding.get(f);
    if (!def) {
      const dw = new Writer(16);
      writeField(dw, f, undefined, true, undefined);
      defaultEncoding.set(f, (def = dw.finish().slice()));
    }
    if (!bytesEqual(data, def)) out.push({ f, data, marks });
  }
  w.uvarint(out.length);
  for (const { f, data, marks } of out) {
    w.uvarint(f.tag);
    trace?.push({ at: w.pos, width: 'uvarint' });
    w.uvarint(data.length);
    const base = w.pos;
    w.raw(data);
    if (trace && marks) for (const m of marks) trace.push({ at: base + m.at, width: m.width });
  }
}

function writeField(w: Writer, f: CField, v: unknown, flex: boolean, trace: LengthMark[] | undefined): void {
  if (v === undefined) v = defaultOf(f.spec);
  if (!f.array) return writeOne(w, f, v, flex, f.nullable, trace);
  trace?.push({ at: w.pos, width: flex ? 'uvarint' : 'int32' });
  if (v === null) {
    if (!f.nullable) throw malformed(`${f.name}: null array where not nullable`);
    w.arrayLength(-1, flex);
    return;
  }
  if (!Array.isArray(v)) throw malformed(`${f.name}: expected an array`);
  w.arrayLength(v.length, flex);
  for (const item of v) writeOne(w, f, item, flex, false, trace);
}

function writeOne(w: Writer, f: CField, v: unknown, flex: boolean, nullable: boolean, trace: LengthMark[] | undefined): void {
  if (v === null && !nullable) throw malformed(`${f.name}: null where not nullable`);
  if (v === undefined && f.array) throw malformed(`${f.name}: undefined array element`);
  switch (f.kind) {
    case 'int8':
      w.int8(v as number);
      return;
    case 'int16':
      w.int16(v as number);
      return;
    case 'int32':
      w.int32(v as number);
      return;
    case 'int64':
      w.int64(v as bigint | number);
      return;
    case 'float64':
      w.float64(v as number);
      return;
    case 'bool':
      w.bool(v as boolean);
      return;
    case 'uuid':
      w.uuid(v as string);
      return;
    case 'string':
      trace?.push({ at: w.pos, width: flex ? 'uvarint' : 'int16' });
      w.nullableString(v as string | null, flex);
      return;
    case 'bytes':
    case 'records':
      trace?.push({ at: w.pos, width: flex ? 'uvarint' : 'int32' });
      w.nullableBytes(v as Uint8Array | null, flex);
      return;
    case 'struct':
      writeStruct(w, f.struct!, v, trace);
      return;
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
