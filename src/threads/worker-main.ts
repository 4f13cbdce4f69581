/**
 * Worker thread entry: hosts an ActorCore for the actors placed here (an SPU and its replicas, or
 * one replica). Routes sends locally, over direct MessagePorts to other workers (batched per
 * drain), or to the main thread; drains its produce rings on doorbells (an Atomics word it sleeps
 * on, ack-ring.ts); exposes a low-rate control API over comlink.
 *
 * Spawning: under the 'spu' placement an actor of this worker's SPU is started here at once and
 * main is told where it lives (`spawned`), so others can reach it; anything else (the 'replica'
 * placement, another SPU's actor, an id already running here) is a `spawnReq` main places.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import pino from 'pino';
import * as Comlink from 'comlink/dist/esm/comlink.mjs';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { ActorId, Message } from '../runtime/actor.js';
import { ActorCore, type CoreHost } from '../runtime/actor-core.js';
import { BEHAVIORS } from '../../actors/behaviors.js';
import { replicaActorId } from '../../actors/messages.js';
import { RingReader } from '../storage/index.js';
import { RivuletError, ErrorCode, toPlainError } from '../runtime/errors.js';
import { CoreDriver } from './core-driver.js';
import { actorLoggers } from './logging.js';
import { LinkCuts } from '../runtime/link-cuts.js';
import type { Envelope, WorkerInit } from './envelope.js';
import { MAIN_CLIENT_ID } from './envelope.js';
import { readProduceFrame } from './produce-frame.js';
import { AckRingWriter } from './ack-ring.js';
import type { ProduceAck } from '../../actors/messages.js';
import { ThreadStorage } from './thread-storage.js';

const init = workerData as WorkerInit;
const parent = parentPort!;
const base = pino({ level: process.env['RIVULET_LOG_LEVEL'] ?? 'silent' }).child({ worker: init.workerIndex });
const logger = actorLoggers(base);

const peers = new Map<number, MessagePort>();
const cuts = new LinkCuts();
const directory = new Map<ActorId, number>();
const outboxes = new Map<MessagePort | typeof parent, Envelope[]>();
const prodRings: RingReader[] = [];
/** Successful produce acks for main go here (ack-ring.ts), not through the parent port. */
let acks: AckRingWriter | null = null;
const storage = new ThreadStorage({
  ...init.storage,
  announceRing: (replica, sab) => post(parent, { k: 'ring', replica, sab }),
  replicaId: (spuId, topic, partition) => replicaActorId(topic, partition, spuId),
});

function post(port: MessagePort | typeof parent, env: Envelope): void {
  let box = outboxes.get(port);
  if (!box) outboxes.set(port, (box = []));
  box.push(env);
  driver.wake();
}

function flush(): void {
  acks?.wake();
  for (const [port, box] of outboxes) {
    if (box.length === 0) continue;
    port.postMessage(box.length === 1 ? box[0] : { k: 'batch', items: box.splice(0) });
    box.length = 0;
  }
}

function route(from: ActorId, to: ActorId, msg: Message): void {
  if (cuts.blocks(from, to)) return; // an injected network partition: the message is lost
  if (to === MAIN_CLIENT_ID && msg.type === 'ProduceAck' && acks !== null) {
    const a = msg as ProduceAck;
    if (a.error === undefined && acks.push(a.reqId, a.baseOffset, a.lastOffset)) return;
  }
  if (core.has(to)) {
    core.deliver(to, msg);
    return;
  }
  const w = directory.get(to);
  const port = w !== undefined ? peers.get(w) : undefined;
  post(port ?? parent, { k: 'msg', from, to, msg });
}

const driver = new CoreDriver(() => {
  drainProduceRings();
  flush();
  acks?.listen(driver.wake);
});
const host: CoreHost = {
  now: () => Date.now(),
  random: () => Math.random(),
  route,
  spawn: (spec, parentId) => {
    if (init.placement === 'spu' && init.spuIds.includes(spec.spuId) && !core.has(spec.id)) {
      core.spawnLocal(spec);
      post(parent, { k: 'spawned', id: spec.id, worker: init.workerIndex });
    } else post(parent, { k: 'spawnReq', spec, parent: parentId });
  },
  stop: (id) => (core.has(id) ? stopLocal(id) : post(parent, { k: 'stopReq', id })),
  storage,
  logger,
  wake: driver.wake,
  escalate: (id, err) => post(parent, { k: 'escalate', id, error: String(err) }),
};
const core = new ActorCore(host, BEHAVIORS);
driver.core = core;

function stopLocal(id: ActorId): void {
  core.stopLocal(id);
  post(parent, { k: 'stopped', id });
}

const PRODUCE_FRAMES_PER_DRAIN = 4096;
function drainProduceRings(): void {
  acks?.takeDoorbell();
  for (const r of prodRings) {
    let n = 0;
    for (let frame = r.next(); frame; frame = n < PRODUCE_FRAMES_PER_DRAIN ? r.next() : null) {
      n++;
      const f = readProduceFrame(frame);
      const msg = { type: 'Produce', reqId: f.reqId, replyTo: MAIN_CLIENT_ID, acks: f.acks, batch: f.batch };
      if (!core.deliverNow(f.to, msg)) {
        const err = new RivuletError(ErrorCode.NOT_LEADER, `replica ${f.to} is not running on this SPU (or restarting)`, { replica: f.to });
        post(parent, { k: 'produceError', reqId: f.reqId, error: toPlainError(err) });
      }
      r.release();
    }
    if (n >= PRODUCE_FRAMES_PER_DRAIN) driver.wake();
  }
}

function handle(env: Envelope): void {
  switch (env.k) {
    case 'batch':
      for (const e of env.items) handle(e);
      return;
    case 'msg':
      if (!core.deliver(env.to, env.msg)) {
        if (!core.has(env.to)) post(parent, env); // not here (moved or not yet started): main relays
      }
      return;
    case 'spawn':
      core.spawnLocal(env.spec);
      return;
    case 'stop':
      stopLocal(env.id);
      return;
    case 'route':
      if (env.worker === null) directory.delete(env.id);
      else directory.set(env.id, env.worker);
      return;
    case 'port':
      peers.set(env.peer, env.port);
      env.port.on('message', handle);
      return;
    case 'prodRing':
      prodRings.push(new RingReader(env.sab, { from: 'head' }));
      return;
    case 'ackRing':
      acks = new AckRingWriter(env.sab);
      acks.listen(driver.wake); // doorbells: main notifies the word (ack-ring.ts); re-armed after each drain
      return;
    case 'fault':
      if (env.op === 'crash') {
        setImmediate(() => {
          throw new Error(`injected crash of worker ${init.workerIndex}`);
        });
      } else if (env.op === 'fillStorage') storage.budget(env.spuId).fill();
      else storage.budget(env.spuId).unfill();
      if (env.ack !== undefined) post(parent, { k: 'faultAck', ack: env.ack });
      return;
    case 'cuts':
      cuts.set(env.spus);
      if (env.ack !== undefined) post(parent, { k: 'faultAck', ack: env.ack });
      return;
    case 'shutdown':
      core.stopAll();
      storage.closeAll();
      flush();
      driver.stop();
      parent.postMessage({ k: 'closed' });
      return;
    default:
      return;
  }
}

parent.on('message', handle);

Comlink.expose(
  {
    stats: () => ({ worker: init.workerIndex, actors: core.ids(), dropped: core.dropped, threadId: init.workerIndex }),
    ping: () => 'pong',
  },
  nodeEndpoint(init.control),
);
