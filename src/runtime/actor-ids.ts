/**
 * Actor ids: the one place that spells their format. Every host, the link-cut model, the facade
 * and the actors build and parse ids only through these functions.
 *
 *   'sc'                                   the controller
 *   'spu-<spuId>'                          an SPU actor
 *   'replica:<topic>:<partition>@<spuId>'  a partition replica hosted by SPU <spuId>
 *   'client:<name>'                        a client outside the cluster (facade, listener, sim)
 *
 * Invariants: topic names never contain '@' or ':' (actors/names.ts validates them), so the last
 * '@' of a replica id always starts its SPU id; `nodeOf` is 0 for the SC and -1 for clients.
 */
export type ActorId = string;

export const SC_ID = 'sc';
const SPU_PREFIX = 'spu-';
const REPLICA_PREFIX = 'replica:';
const CLIENT_PREFIX = 'client:';

export const spuActorId = (spuId: number): ActorId => `${SPU_PREFIX}${spuId}`;
export const replicaActorId = (topic: string, partition: number, spuId: number): ActorId =>
  `${REPLICA_PREFIX}${topic}:${partition}@${spuId}`;
export const clientActorId = (name: string | number): ActorId => `${CLIENT_PREFIX}${name}`;

export const isSpuId = (id: ActorId): boolean => id.startsWith(SPU_PREFIX);
export const isReplicaId = (id: ActorId): boolean => id.startsWith(REPLICA_PREFIX);
export const isClientId = (id: ActorId): boolean => id.startsWith(CLIENT_PREFIX);

/** The SPU an SPU or replica actor belongs to; undefined for the SC and clients. */
export function spuOf(id: ActorId): number | undefined {
  if (isSpuId(id)) return Number(id.slice(SPU_PREFIX.length));
  if (isReplicaId(id)) {
    const at = id.lastIndexOf('@');
    if (at > 0) return Number(id.slice(at + 1));
  }
  return undefined;
}

/** An actor's node for network-partition models: its SPU, 0 for the SC, -1 for clients. */
export function nodeOf(id: ActorId): number {
  if (id === SC_ID) return 0;
  return spuOf(id) ?? -1;
}

/** Topic and partition of a replica id; undefined for other ids. */
export function replicaOf(id: ActorId): { topic: string; partition: number; spuId: number } | undefined {
  if (!isReplicaId(id)) return undefined;
  const at = id.lastIndexOf('@');
  const colon = id.lastIndexOf(':', at);
  if (at < 0 || colon < REPLICA_PREFIX.length) return undefined;
  return { topic: id.slice(REPLICA_PREFIX.length, colon), partition: Number(id.slice(colon + 1, at)), spuId: Number(id.slice(at + 1)) };
}
