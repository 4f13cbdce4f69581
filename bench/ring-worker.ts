/**
 * Worker side of the bare-ring benchmark (bench/ring.ts): one thread writes `records` frames of
 * `recordBytes` into a backpressure ring, the other reads each frame in place and touches it (one
 * byte per 64-byte line plus the last byte). Both wait on the control word before starting so the
 * main thread times only the transfer.
 *
 *   control Int32Array: [0] go flag (0 → 1 by main)
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RingReader, RingWriter } from '../src/storage/ring.js';

export interface RingBenchWorkerData {
  role: 'writer' | 'reader';
  sab: SharedArrayBuffer;
  control: SharedArrayBuffer;
  recordBytes: number;
  records: number;
}

const MAX_WAIT_MS = 30_000;

function runWriter(d: RingBenchWorkerData, go: () => void): void {
  const writer = new RingWriter(d.sab, { mode: 'backpressure' });
  const payload = new Uint8Array(d.recordBytes);
  for (let i = 0; i < payload.length; i++) payload[i] = i & 0xff;
  go();
  for (let i = 0; i < d.records; i++) {
    payload[0] = i & 0xff;
    while (writer.write(payload) < 0) {
      // Full: wait for the reader's release() (polls briefly, then sleeps).
      if (!writer.waitForSpace(payload.length, MAX_WAIT_MS)) throw new Error(`bare ring writer: no room for ${MAX_WAIT_MS} ms`);
    }
  }
  writer.close();
}

function runReader(d: RingBenchWorkerData, go: () => void): { frames: number; checksum: number } {
  const reader = new RingReader(d.sab);
  go();
  let frames = 0;
  let checksum = 0;
  while (frames < d.records) {
    const frame = reader.next();
    if (frame === null) {
      reader.release();
      if (!reader.waitForData(MAX_WAIT_MS)) throw new Error(`bare ring reader: no data for ${MAX_WAIT_MS} ms`);
      if (reader.closed) break;
      continue;
    }
    const n = frame.length;
    for (let i = 0; i < n; i += 64) checksum = (checksum + frame[i]!) | 0;
    checksum = (checksum + frame[n - 1]!) | 0;
    frames++;
    if ((frames & 31) === 0) reader.release();
  }
  reader.release();
  return { frames, checksum };
}

const data = workerData as RingBenchWorkerData;
const port = parentPort!;
const control = new Int32Array(data.control);
const waitForGo = (): void => {
  port.postMessage({ type: 'ready' });
  while (Atomics.load(control, 0) === 0) Atomics.wait(control, 0, 0, MAX_WAIT_MS);
};
if (data.role === 'writer') {
  runWriter(data, waitForGo);
  port.postMessage({ type: 'done' });
} else {
  const result = runReader(data, waitForGo);
  port.postMessage({ type: 'done', ...result });
}
