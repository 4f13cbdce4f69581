/**
 * One record inside a Kafka RecordBatch v2: size, write and read. No batch header here
 * (batch-builder.ts writes it, record-batch.ts reads it).
 *
 *   Record =>
 *     length          varint   bytes of everything below
 *     attributes      i8       0 (unused by Kafka; ignored when read)
 *     timestampDelta  varlong  timestamp - batch firstTimestamp
 *     offsetDelta     varint   offset - batch baseOffset
 *     keyLength       varint   -1 = null key
 *     key             bytes
 *     valueLength     varint   -1 = null value (read back as an empty value, see below)
 *     value           bytes
 *     headerCount     varint
 *     Header =>       keyLength varint (≥ 0), key utf8, valueLength varint (-1 = null), value bytes
 *
 * Invariants:
 * - writeRecord writes exactly varintSize(body) + body bytes, body = recordBodySize(…); the
 *   caller reserved them. No allocation per record (strings are UTF-8 encoded by hand).
 * - readRecord never reads past `end`, requires the record's fields to fill its length exactly
 *   and reports any violation as CorruptBatchError (never a RangeError, never a wrong record).
 * - A null value on the wire (kafkajs tombstones) decodes to an empty Uint8Array; a null header
 *   value decodes to an empty Uint8Array too. Keys keep null.
 */
import { CorruptBatchError } from './errors.js';
import { type Cursor, readVarint, readVarlong, varintSize, varlongSize, writeVarint, writeVarlong } from './varint.js';

export interface RecordHeader {
  key: string;
  value: Uint8Array;
}

export interface Record {
  offset: number;
  timestamp: number;
  key: Uint8Array | null;
  value: Uint8Array;
  headers: RecordHeader[];
}

/** Smallest record body: attributes, timestampDelta, offsetDelta, key len, value len, header count. */
export const MIN_RECORD_BODY_BYTES = 6;
/** Smallest record including its length varint. */
export const MIN_RECORD_BYTES = MIN_RECORD_BODY_BYTES + 1;

/** Below this many bytes a JS loop beats the native copy call. */
const SMALL_COPY_BYTES = 32;

/** UTF-8 byte length of `s`, with lone surrogates counted as U+FFFD (as TextEncoder/Buffer do). */
export function utf8Length(s: string): number {
  let n = 0;
  const len = s.length;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < len && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Write `s` as UTF-8 at buf[pos]; returns the position after it (utf8Length(s) bytes). */
export function writeUtf8(buf: Uint8Array, pos: number, s: string): number {
  const len = s.length;
  for (let i = 0; i < len; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      buf[pos++] = c;
    } else if (c < 0x800) {
      buf[pos++] = 0xc0 | (c >> 6);
      buf[pos++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < len && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
      buf[pos++] = 0xf0 | (c >> 18);
      buf[pos++] = 0x80 | ((c >> 12) & 0x3f);
      buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
      buf[pos++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // lone surrogate
      buf[pos++] = 0xe0 | (c >> 12);
      buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
      buf[pos++] = 0x80 | (c & 0x3f);
    }
  }
  return pos;
}

function writeRaw(buf: Uint8Array, pos: number, src: Uint8Array): number {
  const n = src.length;
  if (n < SMALL_COPY_BYTES) {
    for (let i = 0; i < n; i++) buf[pos + i] = src[i]!;
  } else {
    buf.set(src, pos);
  }
  return pos + n;
}

/** Bytes of the record body (everything after its length varint). */
export function recordBodySize(
  timestampDelta: number,
  offsetDelta: number,
  key: Uint8Array | null,
  value: Uint8Array,
  headers: readonly RecordHeader[] | undefined,
): number {
  let size = 1 + varlongSize(timestampDelta) + varintSize(offsetDelta);
  size += key === null ? 1 : varintSize(key.length) + key.length;
  size += varintSize(value.length) + value.length;
  const h = headers === undefined ? 0 : headers.length;
  size += varintSize(h);
  for (let i = 0; i < h; i++) {
    const header = headers![i]!;
    const keyBytes = utf8Length(header.key);
    size += varintSize(keyBytes) + keyBytes + varintSize(header.value.length) + header.value.length;
  }
  return size;
}

/** Write a whole record (length varint first) at buf[pos]; returns the position after it. */
export function writeRecord(
  buf: Uint8Array,
  pos: number,
  bodyBytes: number,
  timestampDelta: number,
  offsetDelta: number,
  key: Uint8Array | null,
  value: Uint8Array,
  headers: readonly RecordHeader[] | undefined,
): number {
  pos = writeVarint(buf, pos, bodyBytes);
  buf[pos++] = 0; // attributes
  pos = writeVarlong(buf, pos, timestampDelta);
  pos = writeVarint(buf, pos, offsetDelta);
  if (key === null) {
    buf[pos++] = 0x01; // zigzag(-1)
  } else {
    pos = writeVarint(buf, pos, key.length);
    pos = writeRaw(buf, pos, key);
  }
  pos = writeVarint(buf, pos, value.length);
  pos = writeRaw(buf, pos, value);
  const h = headers === undefined ? 0 : headers.length;
  pos = writeVarint(buf, pos, h);
  for (let i = 0; i < h; i++) {
    const header = headers![i]!;
    pos = writeVarint(buf, pos, utf8Length(header.key));
    pos = writeUtf8(buf, pos, header.key);
    pos = writeVarint(buf, pos, header.value.length);
    pos = writeRaw(buf, pos, header.value);
  }
  return pos;
}

const utf8Decoder = new TextDecoder('utf-8');

/** A CorruptBatchError naming the byte where a record went wrong (batch-view.ts too). */
export function corrupt(message: string, pos: number): CorruptBatchError {
  return new CorruptBatchError(`corrupt record: ${message} (at byte ${pos})`, { pos });
}

/** Read a length varint and check that many bytes fit before `end`; -1 is returned as is. */
export function readLength(bytes: Uint8Array, c: Cursor, end: number, what: string, nullable: boolean): number {
  const at = c.pos;
  const n = readVarint(bytes, c, end);
  if (n < (nullable ? -1 : 0)) throw corrupt(`${what} length ${n}`, at);
  if (n > end - c.pos) throw corrupt(`${what} length ${n} runs past the record end`, at);
  return n;
}

function take(bytes: Uint8Array, start: number, n: number, copy: boolean): Uint8Array {
  return copy ? bytes.slice(start, start + n) : bytes.subarray(start, start + n);
}

/**
 * Skip one record: read its length and move the cursor past it, checking it fits before `end`.
 * Used for the structural pre-scan of lazy iteration.
 */
export function skipRecord(bytes: Uint8Array, c: Cursor, end: number): void {
  const at = c.pos;
  const len = readVarint(bytes, c, end);
  if (len < MIN_RECORD_BODY_BYTES || len > end - c.pos) throw corrupt(`record length ${len}`, at);
  c.pos += len;
}

/**
 * Read the record at c.pos (length varint first), ending at or before `end`. Returns it with
 * `offset` = offsetDelta and `timestamp` = timestampDelta; the caller checks them and adds the
 * batch's baseOffset / firstTimestamp.
 */
export function readRecord(bytes: Uint8Array, c: Cursor, end: number, copy: boolean): Record {
  const at = c.pos;
  const len = readVarint(bytes, c, end);
  if (len < MIN_RECORD_BODY_BYTES || len > end - c.pos) throw corrupt(`record length ${len}`, at);
  const recordEnd = c.pos + len;
  c.pos++; // attributes: unused, ignored
  const timestampDelta = readVarlong(bytes, c, recordEnd);
  const offsetDelta = readVarint(bytes, c, recordEnd);
  const keyLength = readLength(bytes, c, recordEnd, 'key', true);
  let key: Uint8Array | null = null;
  if (keyLength >= 0) {
    key = take(bytes, c.pos, keyLength, copy);
    c.pos += keyLength;
  }
  const valueLength = readLength(bytes, c, recordEnd, 'value', true);
  const value = take(bytes, c.pos, valueLength < 0 ? 0 : valueLength, copy);
  if (valueLength > 0) c.pos += valueLength;
  const headerCount = readVarint(bytes, c, recordEnd);
  // every header takes at least 2 bytes (two length varints)
  if (headerCount < 0 || headerCount > (recordEnd - c.pos) / 2) throw corrupt(`header count ${headerCount}`, at);
  const headers: RecordHeader[] = [];
  for (let i = 0; i < headerCount; i++) {
    const keyBytes = readLength(bytes, c, recordEnd, 'header key', false);
    const headerKey = utf8Decoder.decode(bytes.subarray(c.pos, c.pos + keyBytes));
    c.pos += keyBytes;
    const valueBytes = readLength(bytes, c, recordEnd, 'header value', true);
    const headerValue = take(bytes, c.pos, valueBytes < 0 ? 0 : valueBytes, copy);
    if (valueBytes > 0) c.pos += valueBytes;
    headers.push({ key: headerKey, value: headerValue });
  }
  if (c.pos !== recordEnd) throw corrupt(`fields end at ${c.pos}, record length says ${recordEnd}`, at);
  return { offset: offsetDelta, timestamp: timestampDelta, key, value, headers };
}
