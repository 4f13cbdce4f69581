/**
 * Produce frames: how the main thread hands record batches to a worker through the worker's
 * produce ring (SAB, backpressure mode) without structured clone.
 *
 *   offset  size  field
 *        0     4  reqId        u32 (little-endian)
 *        4     1  acks         0 | 1 | 2 (= 'all')
 *        5     1  reserved     0
 *        6     2  toBytes      u16: length of the target actor id (UTF-8)
 *        8     n  to           target actor id
 *   8+n→pad8   …  batch        one RecordBatch v2, in place
 *
 * Invariant: a frame is written whole before it is published; the worker releases it only
 * after the replica's `receive` returned (the batch view is valid during receive only).
 */
import { assert } from '../runtime/errors.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
export const PRODUCE_FRAME = { headerBytes: 8, maxTargetBytes: 1024 } as const;

export type AcksCode = 0 | 1 | 2;
export const acksToCode = (a: 0 | 1 | 'all'): AcksCode => (a === 'all' ? 2 : a);
export const codeToAcks = (c: number): 0 | 1 | 'all' => (c === 2 ? 'all' : c === 1 ? 1 : 0);

const pad8 = (n: number) => (n + 7) & ~7;

export function encodedTarget(to: string): Uint8Array {
  const t = enc.encode(to);
  assert(t.length <= PRODUCE_FRAME.maxTargetBytes, `target id too long: ${t.length}`);
  return t;
}

export function produceFrameBytes(target: Uint8Array, batchBytes: number): number {
  return pad8(PRODUCE_FRAME.headerBytes + target.length) + batchBytes;
}

export function writeProduceFrame(dst: Uint8Array, reqId: number, acks: AcksCode, target: Uint8Array, batch: Uint8Array): void {
  const dv = new DataView(dst.buffer, dst.byteOffset, dst.byteLength);
  dv.setUint32(0, reqId >>> 0, true);
  dv.setUint8(4, acks);
  dv.setUint8(5, 0);
  dv.setUint16(6, target.length, true);
  dst.set(target, PRODUCE_FRAME.headerBytes);
  dst.set(batch, pad8(PRODUCE_FRAME.headerBytes + target.length));
}

export interface ProduceFrame {
  reqId: number;
  acks: 0 | 1 | 'all';
  to: string;
  batch: Uint8Array;
}

export function readProduceFrame(frame: Uint8Array): ProduceFrame {
  const dv = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const toBytes = dv.getUint16(6, true);
  assert(PRODUCE_FRAME.headerBytes + toBytes <= frame.length, 'produce frame target overruns frame');
  const to = dec.decode(frame.subarray(PRODUCE_FRAME.headerBytes, PRODUCE_FRAME.headerBytes + toBytes));
  return {
    reqId: dv.getUint32(0, true),
    acks: codeToAcks(dv.getUint8(4)),
    to,
    batch: frame.subarray(pad8(PRODUCE_FRAME.headerBytes + toBytes)),
  };
}
