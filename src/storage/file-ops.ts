/**
 * FileOps: the synchronous file operations the disk log uses, injectable so that the simulator
 * (and tests) can fault them: throw (ENOSPC, EIO), write partially, lose unflushed bytes.
 * `nodeFileOps` is the real thing (node:fs sync API).
 *
 * Contract the log relies on (and a fault model must keep):
 * - writeSync/readSync take an explicit file position and return the byte count moved, which may
 *   be short; the log loops and treats 0 progress as an error.
 * - Errors are thrown as objects with a string `code` (Node style: 'ENOSPC', 'EIO', …).
 *
 * Also: helpers built only on FileOps (whole-file read/write, atomic replace, error mapping).
 */
import * as fs from 'node:fs';
import { OutOfSpaceError, StorageError, type RivuletError } from './errors.js';

export interface FileOps {
  openSync(path: string, flags: 'r' | 'r+' | 'w' | 'w+'): number;
  closeSync(fd: number): void;
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  fsyncSync(fd: number): void;
  ftruncateSync(fd: number, length: number): void;
  fstatSync(fd: number): { size: number };
  readdirSync(dir: string): string[];
  mkdirSync(dir: string, opts: { recursive: true }): unknown;
  unlinkSync(path: string): void;
  renameSync(from: string, to: string): void;
  existsSync(path: string): boolean;
  rmSync(path: string, opts: { recursive: true; force: true }): void;
}

export const nodeFileOps: FileOps = {
  openSync: (p, flags) => fs.openSync(p, flags),
  closeSync: (fd) => fs.closeSync(fd),
  readSync: (fd, buf, off, len, pos) => fs.readSync(fd, buf, off, len, pos),
  writeSync: (fd, buf, off, len, pos) => fs.writeSync(fd, buf, off, len, pos),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  ftruncateSync: (fd, len) => fs.ftruncateSync(fd, len),
  fstatSync: (fd) => fs.fstatSync(fd),
  readdirSync: (dir) => fs.readdirSync(dir),
  mkdirSync: (dir, opts) => fs.mkdirSync(dir, opts),
  unlinkSync: (p) => fs.unlinkSync(p),
  renameSync: (a, b) => fs.renameSync(a, b),
  existsSync: (p) => fs.existsSync(p),
  rmSync: (p, opts) => fs.rmSync(p, opts),
};

/** Largest single file the helpers below read whole (checkpoints, indexes). */
const MAX_WHOLE_FILE_BYTES = 64 * 1024 * 1024;

function errCode(err: unknown): string {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string'
    ? (err as { code: string }).code
    : '';
}

/** ENOSPC / EDQUOT become OUT_OF_SPACE; anything else a STORAGE_ERROR. Rivulet errors pass. */
export function mapFsError(err: unknown, what: string, path: string): RivuletError {
  const code = errCode(err);
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new OutOfSpaceError(`no space left on device: ${what} ${path}`, { path, cause: code });
  }
  return new StorageError(`${what} ${path} failed: ${message}`, { path, cause: code || message });
}

/** Write all of `bytes` at `position`, looping over short writes. Throws the raw fs error. */
export function writeFully(ops: FileOps, fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.byteLength) {
    const n = ops.writeSync(fd, bytes, done, bytes.byteLength - done, position + done);
    if (!(n > 0)) throw Object.assign(new Error(`write made no progress (${n})`), { code: 'EIO' });
    done += n;
  }
}

/** Read exactly `length` bytes at `position` into a fresh buffer; throws if the file is shorter. */
export function readFully(ops: FileOps, fd: number, length: number, position: number): Uint8Array {
  // Uninitialised memory (no zeroing): every byte is overwritten below or we throw. A plain
  // Uint8Array view, not a Buffer, so callers' .slice() copies as usual.
  const raw = Buffer.allocUnsafeSlow(length);
  const out = new Uint8Array(raw.buffer, raw.byteOffset, length);
  let done = 0;
  while (done < length) {
    const n = ops.readSync(fd, out, done, length - done, position + done);
    if (!(n > 0)) throw Object.assign(new Error(`unexpected end of file at ${position + done}`), { code: 'EIO' });
    done += n;
  }
  return out;
}

/** Contents of a whole file, or null when it does not exist. */
export function readWholeFile(ops: FileOps, path: string): Uint8Array | null {
  if (!ops.existsSync(path)) return null;
  const fd = ops.openSync(path, 'r');
  try {
    const size = ops.fstatSync(fd).size;
    if (size > MAX_WHOLE_FILE_BYTES) throw new StorageError(`file ${path} too large (${size} bytes)`, { path, size });
    return readFully(ops, fd, size, 0);
  } finally {
    ops.closeSync(fd);
  }
}

/** Replace `path` atomically: write `path.tmp`, optionally fsync, rename over `path`. */
export function writeFileAtomic(ops: FileOps, path: string, bytes: Uint8Array, fsync: boolean): void {
  const tmp = `${path}.tmp`;
  const fd = ops.openSync(tmp, 'w');
  try {
    writeFully(ops, fd, bytes, 0);
    if (fsync) ops.fsyncSync(fd);
  } finally {
    ops.closeSync(fd);
  }
  ops.renameSync(tmp, path);
}

/** fsync a directory (new/renamed entries durable). Best effort: some platforms refuse. */
export function fsyncDir(ops: FileOps, dir: string): void {
  let fd = -1;
  try {
    fd = ops.openSync(dir, 'r');
    ops.fsyncSync(fd);
  } catch {
    // Directory fsync is not supported everywhere (e.g. Windows); data files are still synced.
  } finally {
    if (fd >= 0) ops.closeSync(fd);
  }
}
