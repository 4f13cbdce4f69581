/**
 * FrameSplitter — turns a TCP byte stream into whole Kafka frames.
 *
 *   stream: | int32 size | size bytes | int32 size | size bytes | …
 *
 * push(chunk) returns every frame completed by that chunk, each WITHOUT its size prefix, in
 * stream order. Chunks may split anywhere (inside the size prefix too).
 *
 * Invariants:
 * - A declared size < 0 is refused (MALFORMED) and a size > maxFrameBytes is refused
 *   (FRAME_TOO_LARGE) as soon as the 4 size bytes are in — before any of the frame is buffered.
 *   After a refusal the splitter is poisoned: every later push throws the same error (the
 *   stream cannot be resynchronised; the connection must close).
 * - Memory held is bounded by maxFrameBytes + 4 plus the caller's current chunk: partial frames
 *   are kept as a list of chunk slices, concatenated once, when complete (nothing is
 *   pre-allocated from a declared size).
 * - A frame that lies inside one pushed chunk is returned as a subarray of that chunk (zero
 *   copy); the caller must not mutate a chunk after pushing it.
 * - With `reusedChunks` (the caller reads the socket into one buffer it reuses) no frame and no
 *   held part is a view of a pushed chunk: every byte is copied before push returns — once: a
 *   frame of at most `preallocateBytes` is collected straight into its own buffer, allocated when
 *   its size is known (the only allocation from a declared size, bounded by that option); a
 *   larger one is kept as copied parts until complete.
 * - Only ProtocolError is thrown.
 */
import { ProtocolError } from './errors.js';

/** Kafka's socket.request.max.bytes default: 100 MiB. */
export const DEFAULT_MAX_FRAME_BYTES = 100 * 1024 * 1024;

export interface FrameSplitterOptions {
  maxFrameBytes?: number;
  /** Pushed chunks are overwritten after push returns: copy every byte out (see the invariants). */
  reusedChunks?: boolean;
  /** With reusedChunks: frames up to this size are collected into a buffer of their size (default 8 MiB). */
  preallocateBytes?: number;
}

const DEFAULT_PREALLOCATE_BYTES = 8 * 1024 * 1024;

/**
 * n bytes, not zero-filled (the caller writes every one), as a plain Uint8Array: a Buffer's
 * subarray() is a JS function that builds a FastBuffer, much slower than the built-in one that
 * consumers call per record on the batches inside a frame.
 */
function uninitialized(n: number): Uint8Array {
  const b = Buffer.allocUnsafe(n);
  return new Uint8Array(b.buffer, b.byteOffset, n);
}

function copyOf(chunk: Uint8Array, start: number, end: number): Uint8Array {
  const out = uninitialized(end - start); // every byte is written now
  out.set(chunk.subarray(start, end));
  return out;
}

export class FrameSplitter {
  readonly maxFrameBytes: number;
  private parts: Uint8Array[] = [];
  private buffered = 0;
  /** Size of the frame being collected, or -1 while its prefix is incomplete. */
  private need = -1;
  private failure: ProtocolError | undefined;
  private readonly reused: boolean;
  private readonly preallocate: number;
  /** reusedChunks: the frame being collected into its own buffer (buffered bytes written so far). */
  private frame: Uint8Array | undefined;

  constructor(opts: FrameSplitterOptions = {}) {
    this.reused = opts.reusedChunks === true;
    this.preallocate = opts.preallocateBytes ?? DEFAULT_PREALLOCATE_BYTES;
    this.maxFrameBytes = opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    if (!Number.isInteger(this.maxFrameBytes) || this.maxFrameBytes < 0 || this.maxFrameBytes > 0x7fffffff) {
      throw new RangeError(`maxFrameBytes must be an int32 >= 0, got ${this.maxFrameBytes}`);
    }
  }

  /** Bytes held for an incomplete frame (including a partial size prefix). */
  get pendingBytes(): number {
    return this.buffered;
  }

  push(chunk: Uint8Array): Uint8Array[] {
    if (this.failure) throw this.failure;
    const out: Uint8Array[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (this.need < 0) {
        const take = Math.min(4 - this.buffered, chunk.length - at);
        this.parts.push(this.reused ? copyOf(chunk, at, at + take) : chunk.subarray(at, at + take));
        this.buffered += take;
        at += take;
        if (this.buffered < 4) break;
        const p = this.take(4);
        const size = ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) | 0;
        this.check(size);
        this.need = size;
      }
      const take = Math.min(this.need - this.buffered, chunk.length - at);
      if (this.buffered === 0 && take === this.need && this.frame === undefined) {
        // Whole frame inside this chunk: zero copy, unless the chunk is reused.
        out.push(this.reused ? copyOf(chunk, at, at + take) : chunk.subarray(at, at + take));
      } else if (this.reused && this.need <= this.preallocate) {
        const frame = (this.frame ??= uninitialized(this.need)); // every byte is written before it is returned
        frame.set(chunk.subarray(at, at + take), this.buffered);
        this.buffered += take;
        if (this.buffered < this.need) break;
        out.push(frame);
        this.frame = undefined;
        this.buffered = 0;
      } else if (this.reused) {
        this.parts.push(copyOf(chunk, at, at + take));
        this.buffered += take;
        if (this.buffered < this.need) break;
        out.push(this.take(this.need));
      } else {
        this.parts.push(chunk.subarray(at, at + take));
        this.buffered += take;
        if (this.buffered < this.need) {
          at += take;
          break;
        }
        out.push(this.take(this.need));
      }
      at += take;
      this.need = -1;
    }
    return out;
  }

  private check(size: number): void {
    if (size < 0) this.failure = new ProtocolError('MALFORMED', `negative frame size ${size}`);
    else if (size > this.maxFrameBytes) {
      this.failure = new ProtocolError('FRAME_TOO_LARGE', `frame of ${size} bytes exceeds ${this.maxFrameBytes}`);
    }
    if (this.failure) {
      this.parts = [];
      this.buffered = 0;
      throw this.failure;
    }
  }

  /** Concatenate and clear all buffered parts (exactly n bytes). */
  private take(n: number): Uint8Array {
    const parts = this.parts;
    this.parts = [];
    this.buffered = 0;
    if (parts.length === 1 && parts[0]!.length === n) return parts[0]!;
    const out = new Uint8Array(n);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}
