/**
 * One worker thread as the main thread sees it: the Worker, its comlink control channel, its
 * produce ring (SAB, backpressure mode), the actors placed on it, and its direct ports.
 * `launchWorker` starts the thread; the ThreadHost wires it into the mesh and the directory.
 */
import { Worker, MessageChannel, type MessagePort } from 'node:worker_threads';
import type { ActorId } from '../runtime/actor.js';
import { createRing } from '../storage/index.js';
import { ControlRpc } from './control-rpc.js';
import type { Envelope, WorkerInit } from './envelope.js';
import { compiledSibling } from '../runtime/compiled-path.js';

export interface WorkerSlot {
  index: number;
  spuId: number;
  worker: Worker;
  control: ControlRpc;
  produceRing: SharedArrayBuffer;
  ports: Map<number, MessagePort>;
  actors: Set<ActorId>;
  /** Resolves when the thread is online; rejects if it fails to start. */
  ready: Promise<void>;
  /** Set once the thread ended or is being ended (no new messages go to it). */
  exited: boolean;
}

const WORKER_SCRIPT = compiledSibling(import.meta.url, 'worker-main.js');

export function launchWorker(
  index: number,
  spuId: number,
  opts: { storage: WorkerInit['storage']; heartbeatMs: number; produceRingBytes: number; logLevel?: string },
): WorkerSlot {
  const control = new MessageChannel();
  const init: WorkerInit = { workerIndex: index, spuIds: [spuId], storage: opts.storage, heartbeatMs: opts.heartbeatMs, control: control.port2 };
  const worker = new Worker(WORKER_SCRIPT, {
    workerData: init,
    transferList: [control.port2],
    env: { ...process.env, RIVULET_LOG_LEVEL: opts.logLevel ?? 'silent' },
  });
  const produceRing = createRing(opts.produceRingBytes);
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('online', () => resolve());
    worker.once('error', reject);
  });
  ready.catch(() => {});
  worker.postMessage({ k: 'prodRing', sab: produceRing } satisfies Envelope);
  return {
    index, spuId, worker, control: new ControlRpc(control.port1, index), produceRing,
    ports: new Map(), actors: new Set(), ready, exited: false,
  };
}
