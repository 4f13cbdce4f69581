/**
 * comlink control RPC: answers arrive, a call past its deadline rejects with TIMEOUT, and every
 * pending call is rejected with WORKER_EXITED when the worker exits.
 */
import { describe, it, expect } from 'vitest';
import { Worker, MessageChannel } from 'node:worker_threads';
import { ControlRpc } from '../../src/threads/control-rpc.js';
import { ErrorCode } from '../../src/runtime/errors.js';

describe('ControlRpc', () => {
  it('answers, times out, and rejects pending calls when the worker exits', async () => {
    const ch = new MessageChannel();
    const worker = new Worker(new URL('../fixtures/control-worker.mjs', import.meta.url), {
      workerData: { control: ch.port2 },
      transferList: [ch.port2],
    });
    await new Promise((r) => worker.once('message', r));
    const rpc = new ControlRpc(ch.port1, 7);
    expect(await rpc.call('stats')).toMatchObject({ worker: 7, actors: ['a'] });
    await expect(rpc.call('ping', 50)).rejects.toMatchObject({ code: ErrorCode.TIMEOUT });
    const pending = rpc.call('ping', 60_000);
    worker.on('exit', () => rpc.workerExited());
    await worker.terminate();
    await expect(pending).rejects.toMatchObject({ code: ErrorCode.WORKER_EXITED });
    await expect(rpc.call('stats')).rejects.toMatchObject({ code: ErrorCode.WORKER_EXITED });
  });
});
