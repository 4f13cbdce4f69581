/**
 * The remote rows' server child (bench/served-child.ts via bench/served-process.ts): it serves a
 * connect() client, answers its CPU time, and is gone once withServedChild settles — also when
 * the function given to it throws.
 */
import { describe, it, expect } from 'vitest';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const { withServedChild } = (await import(pathToFileURL(path.join(ROOT, 'dist', 'bench', 'served-process.js')).href)) as typeof import('../../bench/served-process.js');
const { connect, Offset } = await import('../../src/index.js');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('served child', () => {
  it('serves connect(), reports CPU, and is stopped afterwards', async () => {
    let pid = 0;
    const got = await withServedChild(async (s) => {
      pid = s.pid;
      expect(await s.cpuUs()).toBeGreaterThan(0);
      const client = await connect({ brokers: [s.bootstrap] });
      try {
        const producer = await client.producer('bench', { acks: 1 });
        await producer.send(null, Buffer.from('hello'));
        const consumer = await client.consumer('bench', { partition: 0, offset: Offset.absolute(0) });
        for await (const b of consumer.batches()) {
          consumer.close();
          return Buffer.from(b.valueAt(0)).toString();
        }
        return '';
      } finally {
        await client.close();
      }
    });
    expect(got).toBe('hello');
    expect(alive(pid)).toBe(false);
  }, 60_000);

  it('is stopped when the function throws', async () => {
    let pid = 0;
    await expect(withServedChild(async (s) => {
      pid = s.pid;
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(alive(pid)).toBe(false);
  }, 60_000);
});
