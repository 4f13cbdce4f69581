/**
 * Nothing on the hot path allocates per record (issue #16): `await producer.sendBatch(records,
 * { metadata: false })` with Uint8Array keys and values, and reading consumed batches by index
 * (`count`, `offsetAt`, `valueSizeAt`, `keySizeAt`, `timestampDeltaAt`), allocate per call and per
 * batch only. Measured in a child process (test/fixtures/alloc-probe.mjs) with V8's sampling heap
 * profiler, as the marginal bytes of one more record when calls carry 400 vs 1,600 records: on
 * the thread host (producer, consumer, acks and tail rings on the measured main thread) and on the
 * simulator (the SPU, replica and storage code on the measured thread too).
 *
 * The controls show that the probe sees a per-record allocation when there is one: `send()` returns
 * a receipt per record and default `sendBatch` resolves with a RecordMetadata per record, both by
 * API. Bytes, not time: nothing here depends on the machine's speed.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const PROBE = path.join(here, '../fixtures/alloc-probe.mjs');

interface Phase { perRecord: number; top: [string, number][] }
type Probe = Record<'sendBatch' | 'read' | 'send' | 'sendBatchMetadata', Phase>;

function probe(host: 'threads' | 'sim'): Promise<Probe> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [PROBE, host], { timeout: 90_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`alloc probe (${host}) failed: ${err.message}\n${stderr}`));
      resolve(JSON.parse(stdout.trim().split('\n').pop()!) as Probe);
    });
  });
}

/** Fewer bytes than the smallest object (a per-record object would cost ≥ 12 bytes per record). */
const PER_RECORD_LIMIT_BYTES = 4;

describe.each(['threads', 'sim'] as const)('allocation per record (%s host)', (host) => {
  it('sendBatch of Uint8Arrays and batch reads allocate nothing per record; send() receipts and metadata arrays do', async () => {
    const r = await probe(host);
    const show = (p: Phase) => `${p.perRecord} B/record; top: ${p.top.map(([f, b]) => `${f} ${b}`).join(', ')}`;
    expect(r.sendBatch.perRecord, show(r.sendBatch)).toBeLessThan(PER_RECORD_LIMIT_BYTES);
    expect(r.read.perRecord, show(r.read)).toBeLessThan(PER_RECORD_LIMIT_BYTES);
    expect(r.send.perRecord, show(r.send)).toBeGreaterThan(16);
    expect(r.sendBatchMetadata.perRecord, show(r.sendBatchMetadata)).toBeGreaterThan(16);
  });
});
