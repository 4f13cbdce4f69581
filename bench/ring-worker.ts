/**
 * Worker side of the bare-ring yardstick (bench/ring.ts): the physical limit of moving records
 * between two threads through a SharedArrayBuffer, with the least bookkeeping that still delivers
 * every record, in order, as its own frame. Not rivulet's production ring (src/storage/ring*.ts):
 * that one publishes every frame for many readers; this one is the floor the product is held to.
 *
 * Ring bytes (capacity C, a power of two; positions are u32 byte counters that wrap at 2^32,
 * offset = position & (C - 1); every frame starts 4-byte aligned):
 *
 *   frame  | len i32 (≥ 0) | payload: seq u32 LE, then len - 4 more bytes | pad to 4 |
 *   wrap   | -1 i32 | … unused up to C |      (the frame did not fit before the end: it starts at 0)
 *
 * Control Int32Array (one 64-byte line per word, so the two threads never share a line):
 *   [0]  go      0 → 1 by main; both workers wait on it, so only the transfer is timed
 *   [16] head    u32: the writer published every frame before it (Atomics.store, then notify)
 *   [32] tail    u32: the reader is done with every byte before it (Atomics.store, then notify)
 *
 * Why it is fast (and why rivulet's per-frame ring is ~2× slower at 100 B): the writer publishes
 * head once per `publishBytes` (not once per frame), so the two cores exchange one cache line per
 * ~16 KiB instead of per record; the reader copies everything published in one memcpy (≤ 64 KiB)
 * into its fetch buffer and walks the frames there — no per-record view, no per-record atomic;
 * small payloads are copied by the writer with word stores instead of a TypedArray.set call.
 * Waiting: spin on the peer's word, then Atomics.wait on it (the peer notifies at every publish,
 * which is rare), so a descheduled peer on a busy 2-core machine does not burn the other core.
 */
import { parentPort, workerData } from 'node:worker_threads';

export interface RingBenchWorkerData {
  role: 'writer' | 'reader';
  ring: SharedArrayBuffer;
  control: SharedArrayBuffer;
  recordBytes: number;
  records: number;
  publishBytes: number;
}

export const Ctl = { go: 0, head: 16, tail: 32, words: 48 } as const;
const WRAP_MARK = -1;
const FETCH_CHUNK_BYTES = 64 * 1024;
const SPIN_POLLS = 2_000;
const WAIT_MS = 1;
const DEADLINE_MS = 60_000;
/** Payloads up to this size are copied with Int32 stores; above it, TypedArray.set (memcpy). */
const WORD_COPY_MAX_BYTES = 256;
const SOURCES = 64;

const align4 = (n: number): number => (n + 3) & ~3;

/** Spins, then sleeps on ctl[index] until pred() holds; throws after DEADLINE_MS. */
function waitFor(ctl: Int32Array, index: number, pred: () => boolean): void {
  for (let i = 0; i < SPIN_POLLS; i++) if (pred()) return;
  const deadline = performance.now() + DEADLINE_MS;
  while (!pred()) {
    Atomics.wait(ctl, index, Atomics.load(ctl, index), WAIT_MS);
    if (performance.now() > deadline) throw new Error(`bare ring: peer made no progress for ${DEADLINE_MS} ms`);
  }
}

function runWriter(d: RingBenchWorkerData, ctl: Int32Array): void {
  const cap = d.ring.byteLength;
  const mask = cap - 1;
  const u8 = new Uint8Array(d.ring);
  const i32 = new Int32Array(d.ring);
  const n = d.recordBytes;
  const frame = 4 + align4(n);
  const words = align4(n) >> 2;
  // Distinct sources (not one hot cache line), as Int32 words and as bytes.
  const src32 = new Int32Array(SOURCES * words);
  for (let i = 0; i < src32.length; i++) src32[i] = Math.imul(i + 1, 0x9e3779b1);
  const srcBytes = Array.from({ length: SOURCES }, (_, s) => new Uint8Array(src32.buffer, s * words * 4, n));
  const wordCopy = n <= WORD_COPY_MAX_BYTES;
  let head = 0;
  let tail = 0; // cached; reloaded only when the ring looks full
  let published = 0;
  for (let seq = 0; seq < d.records; seq++) {
    let off = head & mask;
    const toEnd = cap - off;
    const need = toEnd < frame ? toEnd + frame : frame;
    if (cap - ((head - tail) >>> 0) < need) {
      tail = Atomics.load(ctl, Ctl.tail) >>> 0;
      if (cap - ((head - tail) >>> 0) < need) {
        Atomics.store(ctl, Ctl.head, head | 0); // let the reader drain what is there
        Atomics.notify(ctl, Ctl.head);
        published = head;
        waitFor(ctl, Ctl.tail, () => cap - ((head - (tail = Atomics.load(ctl, Ctl.tail) >>> 0)) >>> 0) >= need);
      }
    }
    if (toEnd < frame) {
      i32[off >> 2] = WRAP_MARK;
      head = (head + toEnd) >>> 0;
      off = 0;
    }
    const at = (off >> 2) + 1;
    i32[at - 1] = n;
    const s = seq & (SOURCES - 1);
    if (wordCopy) {
      const from = s * words;
      for (let w = 0; w < words; w++) i32[at + w] = src32[from + w]!;
    } else {
      u8.set(srcBytes[s]!, off + 4);
    }
    if (n >= 4) i32[at] = seq;
    head = (head + frame) >>> 0;
    if (((head - published) >>> 0) >= d.publishBytes) {
      Atomics.store(ctl, Ctl.head, head | 0);
      Atomics.notify(ctl, Ctl.head);
      published = head;
    }
  }
  Atomics.store(ctl, Ctl.head, head | 0);
  Atomics.notify(ctl, Ctl.head);
}

function runReader(d: RingBenchWorkerData, ctl: Int32Array): { frames: number; checksum: number } {
  const cap = d.ring.byteLength;
  const mask = cap - 1;
  const ring = new Uint8Array(d.ring);
  const chunkBytes = Math.max(FETCH_CHUNK_BYTES, 4 + align4(d.recordBytes));
  const fetch = new Uint8Array(chunkBytes);
  const fetch32 = new Int32Array(fetch.buffer);
  let tail = 0;
  let head = 0;
  let frames = 0;
  let checksum = 0;
  while (frames < d.records) {
    if (head === tail) {
      Atomics.store(ctl, Ctl.tail, tail | 0); // everything is consumed: give it all back
      Atomics.notify(ctl, Ctl.tail);
      waitFor(ctl, Ctl.head, () => (head = Atomics.load(ctl, Ctl.head) >>> 0) !== tail);
    }
    // One contiguous piece: up to the ring's end, the published head and the fetch chunk.
    const off = tail & mask;
    const bytes = Math.min((head - tail) >>> 0, cap - off, chunkBytes);
    fetch.set(ring.subarray(off, off + bytes));
    let p = 0;
    while (p + 4 <= bytes) {
      const len = fetch32[p >> 2]!;
      if (len === WRAP_MARK) {
        p = cap - off; // the rest of the ring is unused: continue at offset 0
        break;
      }
      const size = 4 + align4(len);
      if (p + size > bytes) break; // cut by the chunk: fetch it again next time
      if (len >= 4 && fetch32[(p >> 2) + 1] !== (frames | 0)) throw new Error(`bare ring: frame ${frames} carries seq ${fetch32[(p >> 2) + 1]}`);
      checksum = (checksum + fetch[p + 4 + len - 1]!) | 0;
      frames++;
      p += size;
    }
    tail = (tail + p) >>> 0;
    Atomics.store(ctl, Ctl.tail, tail | 0);
    Atomics.notify(ctl, Ctl.tail);
  }
  return { frames, checksum };
}

if (parentPort !== null && workerData !== null && typeof workerData === 'object' && 'role' in workerData) {
  const port = parentPort;
  const d = workerData as RingBenchWorkerData;
  const ctl = new Int32Array(d.control);
  port.postMessage({ type: 'ready' });
  while (Atomics.load(ctl, Ctl.go) === 0) Atomics.wait(ctl, Ctl.go, 0, DEADLINE_MS);
  const t0 = performance.now();
  if (d.role === 'writer') {
    runWriter(d, ctl);
    port.postMessage({ type: 'done', ms: performance.now() - t0 });
  } else {
    const r = runReader(d, ctl);
    port.postMessage({ type: 'done', ms: performance.now() - t0, ...r });
  }
}
