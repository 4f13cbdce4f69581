/**
 * Kafka's ConsumerProtocol encodings (the opaque bytes of JoinGroup metadata and SyncGroup
 * assignments with protocol type "consumer"), so rivulet's group consumer can share a group with
 * kafkajs and other Kafka clients, and its round-robin assignor — advertised under kafkajs's name
 * 'RoundRobinAssigner' with kafkajs's algorithm, so either side may lead the group.
 *
 *   Subscription v0: int16 version, [string topic], bytes userData
 *   Assignment   v0: int16 version, [string topic, [int32 partition]], bytes userData
 * Newer versions append fields; decoders read the v0 prefix of any version.
 */
import { Reader } from '../protocol/reader.js';
import { Writer } from '../protocol/writer.js';

export const CONSUMER_PROTOCOL_TYPE = 'consumer';
export const ROUND_ROBIN = 'RoundRobinAssigner';

export interface Subscription { topics: string[]; userData: Uint8Array | null }
/** topic → partitions */
export type Assignment = Map<string, number[]>;

export function encodeSubscription(topics: readonly string[]): Uint8Array {
  const w = new Writer(64).int16(0).arrayLength(topics.length);
  for (const t of topics) w.string(t);
  return w.nullableBytes(new Uint8Array(0)).finish();
}

export function decodeSubscription(bytes: Uint8Array): Subscription {
  const r = new Reader(bytes);
  r.int16();
  const topics = r.array((x) => x.string(), false, 2);
  const userData = r.remaining > 0 ? r.nullableBytes() : null;
  return { topics, userData };
}

export function encodeAssignment(assignment: Assignment): Uint8Array {
  const w = new Writer(64).int16(0).arrayLength(assignment.size);
  for (const [topic, partitions] of assignment) {
    w.string(topic).arrayLength(partitions.length);
    for (const p of partitions) w.int32(p);
  }
  return w.nullableBytes(new Uint8Array(0)).finish();
}

/** An assignment's partitions; empty bytes (some coordinators send them) = nothing assigned. */
export function decodeAssignment(bytes: Uint8Array): Assignment {
  const out: Assignment = new Map();
  if (bytes.length < 2) return out;
  const r = new Reader(bytes);
  r.int16();
  for (const [topic, partitions] of r.array((x) => [x.string(), x.array((y) => y.int32(), false, 4)] as const, false, 6)) {
    out.set(topic, [...(out.get(topic) ?? []), ...partitions]);
  }
  return out;
}

/**
 * kafkajs's RoundRobinAssigner, per topic: members sorted by id, partition p of a topic goes to
 * the (p mod n)-th of the n members subscribed to it. `partitionsOf(topic)` gives a topic's count.
 */
export function roundRobinAssign(
  members: { memberId: string; topics: readonly string[] }[],
  partitionsOf: (topic: string) => number,
): Map<string, Assignment> {
  const sorted = [...members].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  const out = new Map<string, Assignment>(sorted.map((m) => [m.memberId, new Map()]));
  const topics = [...new Set(sorted.flatMap((m) => m.topics))].sort();
  for (const topic of topics) {
    const subscribers = sorted.filter((m) => m.topics.includes(topic));
    const n = partitionsOf(topic);
    subscribers.forEach((m, i) => {
      const mine = Array.from({ length: n }, (_, p) => p).filter((p) => p % subscribers.length === i);
      out.get(m.memberId)!.set(topic, mine);
    });
  }
  return out;
}
