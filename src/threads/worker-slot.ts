/**
 * One worker thread as the main thread sees it: the Worker, its comlink control channel, its
 * produce lane (the writer of its SAB produce ring) and the actors placed on it.
 * `launchWorker` starts the thread; the WorkerPool wires it into the mesh, the ThreadHost into the
 * directory.
 */
import { Worker, MessageChannel } from 'node:worker_threads';
import type { ActorId } from '../runtime/actor.js';
import { createRing } from '../storage/index.js';
import { ControlRpc } from './control-rpc.js';
import type { Envelope, WorkerInit } from './envelope.js';
import { ProduceLane } from './produce-lane.js';
import { compiledSibling } from '../runtime/compiled-path.js';

export interface WorkerSlot {
  index: number;
  spuId: number;
  worker: Worker;
  control: ControlRpc;
  produceRing: SharedArrayBuffer;
  /** The main thread's writer of `produceRing` (created with the slot). */
  lane: ProduceLane;
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
  opts: { storage: WorkerInit['storage']; placement: WorkerInit['placement']; heartbeatMs: number; produceRingBytes: number; logLevel?: string },
): WorkerSlot {
  const control = new MessageChannel();
  const init: WorkerInit = {
    workerIndex: index, spuIds: [spuId], placement: opts.placement, storage: opts.storage, heartbeatMs: opts.heartbeatMs, control: control.port2,
  };
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
  const slot = { index, spuId, worker, control: new ControlRpc(control.port1, index), produceRing, actors: new Set(), ready, exited: false } as WorkerSlot;
  slot.lane = new ProduceLane(slot); // the lane reads the slot (exited, index): set after it
  return slot;
}
