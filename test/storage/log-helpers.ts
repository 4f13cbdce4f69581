/**
 * Shared helpers for the partition log tests: batch factories, temp dirs, byte comparison,
 * a FileOps wrapper that can fault writes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encodeBatch } from '../../src/storage/record-batch.js';
import { nodeFileOps, type FileOps } from '../../src/storage/file-ops.js';

/** Deterministic bytes from a seed (xorshift). */
export function pseudoBytes(seed: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

export interface BatchSpec {
  records: number;
  valueBytes: number;
  seed?: number;
  timestamp?: number;
  baseOffset?: number;
  epoch?: number;
}

export function makeBatch(spec: BatchSpec): Uint8Array {
  const seed = spec.seed ?? 1;
  const recs = [];
  for (let i = 0; i < spec.records; i++) {
    recs.push({ key: i % 3 === 0 ? null : pseudoBytes(seed + i + 1000, 4), value: pseudoBytes(seed * 31 + i, spec.valueBytes) });
  }
  return encodeBatch(recs, {
    baseOffset: spec.baseOffset ?? 0,
    partitionLeaderEpoch: spec.epoch ?? 0,
    timestamp: spec.timestamp ?? 1_000,
  });
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

export function tempDir(prefix = 'rivulet-log-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** FileOps whose next write(s) can be made to fail: throw `code`, optionally after a partial write. */
export class FaultyFileOps implements FileOps {
  /** When set, the next writeSync writes `partialBytes` (if > 0) then throws an error with this code. */
  failNextWrite: { code: string; partialBytes: number } | null = null;
  /** When > 0, each writeSync writes at most this many bytes (short writes, no error). */
  shortWriteBytes = 0;
  /** When set, the next openSync of a path matching `match` throws an error with `code`. */
  failNextOpen: { code: string; match: RegExp } | null = null;
  writes = 0;

  constructor(private readonly inner: FileOps = nodeFileOps) {}

  openSync(p: string, flags: 'r' | 'r+' | 'w' | 'w+'): number {
    const f = this.failNextOpen;
    if (f !== null && f.match.test(p)) {
      this.failNextOpen = null;
      throw Object.assign(new Error(`${f.code}: injected fault, open ${p}`), { code: f.code });
    }
    return this.inner.openSync(p, flags);
  }
  closeSync(fd: number): void {
    this.inner.closeSync(fd);
  }
  readSync(fd: number, buf: Uint8Array, off: number, len: number, pos: number): number {
    return this.inner.readSync(fd, buf, off, len, pos);
  }
  writeSync(fd: number, buf: Uint8Array, off: number, len: number, pos: number): number {
    this.writes++;
    const f = this.failNextWrite;
    if (f !== null) {
      this.failNextWrite = null;
      if (f.partialBytes > 0) this.inner.writeSync(fd, buf, off, Math.min(len, f.partialBytes), pos);
      throw Object.assign(new Error(`${f.code}: injected fault, write`), { code: f.code });
    }
    const n = this.shortWriteBytes > 0 ? Math.min(len, this.shortWriteBytes) : len;
    return this.inner.writeSync(fd, buf, off, n, pos);
  }
  fsyncSync(fd: number): void {
    this.inner.fsyncSync(fd);
  }
  ftruncateSync(fd: number, len: number): void {
    this.inner.ftruncateSync(fd, len);
  }
  fstatSync(fd: number): { size: number } {
    return this.inner.fstatSync(fd);
  }
  readdirSync(dir: string): string[] {
    return this.inner.readdirSync(dir);
  }
  mkdirSync(dir: string, opts: { recursive: true }): unknown {
    return this.inner.mkdirSync(dir, opts);
  }
  unlinkSync(p: string): void {
    this.inner.unlinkSync(p);
  }
  renameSync(a: string, b: string): void {
    this.inner.renameSync(a, b);
  }
  existsSync(p: string): boolean {
    return this.inner.existsSync(p);
  }
  rmSync(p: string, opts: { recursive: true; force: true }): void {
    this.inner.rmSync(p, opts);
  }
}
