/**
 * Bad input poisons nothing (issue 14 items 3–5): every public entry checks its arguments before
 * touching shared state and answers with a typed RivuletError (INVALID_ARGUMENT, INVALID_CONFIG,
 * OFFSET_OUT_OF_RANGE as OffsetOutOfRangeError). A bad record between good ones in the same batch
 * is refused alone: the good ones are stored, in order. Consumers end promptly on close() and
 * when the cluster shuts down, also while waiting at the log end.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { Cluster, ErrorCode, Offset, OffsetOutOfRangeError, RivuletError, type OffsetSpec } from '../../src/index.js';
import { tempDir } from '../helpers.js';

const dec = new TextDecoder();

async function refusedWith(p: Promise<unknown> | (() => unknown), code: string): Promise<RivuletError> {
  let err: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    err = e;
  }
  expect(err, `expected ${code}`).toBeInstanceOf(RivuletError);
  expect((err as RivuletError).code).toBe(code);
  return err as RivuletError;
}

const BAD_VALUES: [string, unknown][] = [
  ['number', 42], ['object', { a: 1 }], ['ArrayBuffer', new ArrayBuffer(4)], ['DataView', new DataView(new ArrayBuffer(4))],
  ['array', [1, 2, 3]], ['Uint16Array', new Uint16Array([1, 2])], ['boolean', true], ['undefined', undefined],
];

describe('input validation (simulator: fast)', () => {
  it('a bad record gets INVALID_ARGUMENT at the call; the good ones around it are stored, in order', async () => {
    const c = await Cluster.start({ spus: 1, simulation: { seed: 14 } });
    try {
      await c.admin.createTopic('in', { partitions: 1 });
      const p = await c.producer('in', { acks: 1 });
      const sends: Promise<unknown>[] = [];
      let good = 0;
      // All in one linger window, so the good records share batches with the bad calls.
      sends.push(p.send(null, `good-${good++}`));
      for (const [what, v] of BAD_VALUES) {
        sends.push(refusedWith(p.send(null, v as never), ErrorCode.INVALID_ARGUMENT).then((e) => expect(e.message).toMatch(/value/)));
        sends.push(p.send(null, `good-${good++}`));
        if (what !== 'undefined') {
          sends.push(refusedWith(p.send(v as never, 'v'), ErrorCode.INVALID_ARGUMENT).then((e) => expect(e.message).toMatch(/key/)));
          sends.push(p.send(`k${good}`, `good-${good++}`));
        }
      }
      sends.push(refusedWith(p.send(7 as never, 'numeric key'), ErrorCode.INVALID_ARGUMENT));
      sends.push(refusedWith(p.send(null, 'x', { headers: [{ key: 'h', value: 5 as never }] }), ErrorCode.INVALID_ARGUMENT));
      sends.push(refusedWith(p.send(null, 'x', { partition: -1 }), ErrorCode.INVALID_ARGUMENT));
      sends.push(refusedWith(p.send(null, 'x', { timestamp: NaN }), ErrorCode.INVALID_ARGUMENT));
      sends.push(p.send(Buffer.from('buf-key'), Buffer.from(`good-${good++}`)));
      sends.push(p.send(null, new Uint8Array([...Buffer.from(`good-${good++}`)])));
      // sendBatch: the bad record is refused alone, the call rejects, the others are stored in order.
      const batch = p.sendBatch([{ value: `good-${good++}` }, { value: 42 as never }, { value: `good-${good++}` }]);
      await refusedWith(batch, ErrorCode.INVALID_ARGUMENT);
      await Promise.all(sends);
      await p.flush();
      const cons = await c.consumer('in', { offset: Offset.beginning() });
      const got: string[] = [];
      for await (const r of cons) {
        got.push(dec.decode(r.value));
        if (got.length === good) break;
      }
      expect(got).toEqual(Array.from({ length: good }, (_, i) => `good-${i}`));
      expect((await c.admin.listPartitions())[0]!.leo).toBe(good);
      // An unawaited bad send is reported by flush(), and poisons nothing.
      void p.send(null, { not: 'bytes' } as never);
      const after = p.send(null, 'after');
      await refusedWith(p.flush(), ErrorCode.INVALID_ARGUMENT);
      expect((await after).offset).toBe(good);
    } finally {
      await c.shutdown();
    }
  });

  it('producer options, topic configs, offsets and consumer options are checked up front', async () => {
    const c = await Cluster.start({ spus: 1, simulation: { seed: 15 } });
    try {
      await refusedWith(c.admin.createTopic('cfg', { retentionMS: 5 } as never), ErrorCode.INVALID_CONFIG);
      await refusedWith(c.admin.createTopic('cfg', { partitions: 1.5 }), ErrorCode.INVALID_CONFIG);
      expect(await c.admin.listTopics()).toEqual([]); // nothing half-created
      await c.admin.createTopic('cfg', { partitions: 1 });
      await refusedWith(c.producer('cfg', { ack: 1 } as never), ErrorCode.INVALID_CONFIG);
      await refusedWith(c.producer('cfg', { acks: 0, idempotent: true }), ErrorCode.INVALID_CONFIG);
      await refusedWith(c.producer('cfg', { maxInFlight: 33 }), ErrorCode.INVALID_CONFIG);
      await refusedWith(c.producer('cfg', { lingerMs: -1 }), ErrorCode.INVALID_CONFIG);
      // Offsets: malformed specs at once, out of range when the consumer is created.
      await refusedWith(() => Offset.absolute(NaN), ErrorCode.INVALID_ARGUMENT);
      await refusedWith(() => Offset.fromEnd(-2), ErrorCode.INVALID_ARGUMENT);
      await refusedWith(c.consumer('cfg', { offset: { kind: 'bogus' } as unknown as OffsetSpec }), ErrorCode.INVALID_ARGUMENT);
      await refusedWith(c.consumer('cfg', { offset: { kind: 'absolute', offset: -1 } }), ErrorCode.INVALID_ARGUMENT);
      await refusedWith(c.consumer('cfg', { isolation: 'dirty' as never }), ErrorCode.INVALID_ARGUMENT);
      await refusedWith(c.consumer('cfg', { fromOffset: 3 } as never), ErrorCode.INVALID_ARGUMENT);
      const err = await refusedWith(c.consumer('cfg', { offset: Offset.absolute(3) }), ErrorCode.OFFSET_OUT_OF_RANGE);
      expect(err).toBeInstanceOf(OffsetOutOfRangeError);
    } finally {
      await c.shutdown();
    }
  });
});

describe('Cluster.start options', () => {
  it('refuses bad options with INVALID_CONFIG before starting anything', async () => {
    const bad: [string, unknown][] = [
      ['heartbeatMs', { heartbeatMs: -1 }], ['threads', { threads: 'bogus' }], ['ringBytes', { ringBytes: 1000 }],
      ['ringBytes', { ringBytes: 1024 }], ['simulation.seed', { simulation: { seed: NaN } }], ['spus', { spus: 0 }],
      ['spuTimeoutMs', { heartbeatMs: 500, spuTimeoutMs: 400 }], ['storageBytes', { storageBytes: -5 }],
      ['produceRingBytes', { produceRingBytes: 3 << 20 }], ['unknown', { spu: 3 }], ['logLevel', { logLevel: 'loud' }],
    ];
    for (const [what, opts] of bad) {
      const started = Date.now();
      const e = await refusedWith(Cluster.start(opts as never), ErrorCode.INVALID_CONFIG);
      expect(e.message, what).toContain(what === 'unknown' ? 'spu' : what);
      expect(Date.now() - started).toBeLessThan(1_000);
    }
  });

  it('a home that is a file (or under one) is a clear INVALID_CONFIG, not a raw EEXIST', async () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'not-a-dir');
      fs.writeFileSync(file, 'x');
      const e = await refusedWith(Cluster.start({ home: file }), ErrorCode.INVALID_CONFIG);
      expect(e.message).toMatch(/is a file, not a directory/);
      await refusedWith(Cluster.start({ home: path.join(file, 'sub') }), ErrorCode.INVALID_CONFIG);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('consumers end', () => {
  for (const [name, opts] of [['threads', {}], ['sim', { simulation: { seed: 16 } }]] as const) {
    it(`a consumer waiting at the log end ends within a second of close() and of shutdown() (${name})`, async () => {
      const c = await Cluster.start({ spus: 1, ...opts });
      let shutDown = false;
      try {
        await c.admin.createTopic('tail', { partitions: 1 });
        const p = await c.producer('tail', { acks: 1 });
        await p.send(null, 'one');
        const waitAtEnd = async (cons: Awaited<ReturnType<typeof c.consumer>>) => {
          const seen: string[] = [];
          for await (const r of cons) seen.push(dec.decode(r.value));
          return seen;
        };
        // close(): the loop returns.
        const a = await c.consumer('tail', { offset: Offset.beginning(), waitMs: 5_000 });
        const aDone = waitAtEnd(a);
        await new Promise((r) => setTimeout(r, 300));
        let t = Date.now();
        a.close();
        expect(await aDone).toEqual(['one']);
        expect(Date.now() - t).toBeLessThan(1_000);
        // shutdown(): the loop ends with CLUSTER_CLOSED.
        const b = await c.consumer('tail', { offset: Offset.beginning(), waitMs: 5_000 });
        const bDone = waitAtEnd(b).then(() => 'returned', (e: unknown) => (e as RivuletError).code);
        await new Promise((r) => setTimeout(r, 300));
        t = Date.now();
        shutDown = true;
        await c.shutdown();
        expect(['returned', ErrorCode.CLUSTER_CLOSED]).toContain(await bDone);
        expect(Date.now() - t).toBeLessThan(1_000);
      } finally {
        if (!shutDown) await c.shutdown();
      }
    });
  }
});
