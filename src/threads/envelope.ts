/**
 * Plain-data envelopes exchanged between the main thread and workers, and between workers over
 * direct MessagePorts. Actor messages travel as `msg`; everything else is host control.
 * Workers batch envelopes bound for the same port into one `batch` post per drain.
 */
import type { ActorId, Message, SpawnSpec } from '../runtime/actor.js';
import type { PlainError } from '../runtime/errors.js';
import type { MessagePort } from 'node:worker_threads';
import { clientActorId } from '../runtime/actor-ids.js';

/** The main thread's client: the facade's transport receives replies under this id. */
export const MAIN_CLIENT_ID = clientActorId('main');

export type Envelope =
  | { k: 'msg'; from: ActorId; to: ActorId; msg: Message; hops?: number }
  | { k: 'batch'; items: Envelope[] }
  | { k: 'spawn'; spec: SpawnSpec }
  | { k: 'stop'; id: ActorId }
  /** A worker started an actor of its own SPU itself ('spu' placement): main registers its route. */
  | { k: 'spawned'; id: ActorId; worker: number }
  | { k: 'spawnReq'; spec: SpawnSpec; parent: ActorId }
  | { k: 'stopReq'; id: ActorId }
  | { k: 'stopped'; id: ActorId }
  | { k: 'route'; id: ActorId; worker: number | null }
  | { k: 'port'; peer: number; port: MessagePort }
  | { k: 'ring'; replica: ActorId; sab: SharedArrayBuffer }
  | { k: 'prodRing'; sab: SharedArrayBuffer }
  /** The worker's ack ring and doorbell word (ack-ring.ts), sent once by its produce lane. */
  | { k: 'ackRing'; sab: SharedArrayBuffer }
  | { k: 'produceError'; reqId: number; error: PlainError }
  | { k: 'escalate'; id: ActorId; error: string }
  /** Fault injection; with `ack`, the worker answers `faultAck` once it is in effect. */
  | { k: 'fault'; op: 'fillStorage' | 'freeStorage' | 'crash'; spuId: number; ack?: number }
  | { k: 'cuts'; spus: number[]; ack?: number }
  | { k: 'faultAck'; ack: number }
  | { k: 'shutdown' }
  | { k: 'closed' };

export interface WorkerInit {
  workerIndex: number;
  spuIds: number[];
  /** 'spu': the worker starts its SPU's replicas itself; 'replica': main places each on a worker. */
  placement: 'spu' | 'replica';
  storage: { mode: 'memory' | 'disk'; home?: string; storageBytes: number; ringBytes: number };
  heartbeatMs: number;
  control: MessagePort;
}
