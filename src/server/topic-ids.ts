/**
 * Topic ids (KIP-516) for the API versions that name topics by UUID (Metadata v10+, Fetch v13+,
 * DeleteTopics v6, CreateTopics v7). rivulet does not store ids: a topic's id is derived from its
 * name (SHA-256, formatted as a version-4-style UUID), so every listener and every restart agree.
 * Departure from Kafka: a topic deleted and created again under the same name keeps its id.
 */
import crypto from 'node:crypto';

export const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

const cache = new Map<string, string>();

export function topicIdOf(name: string): string {
  let id = cache.get(name);
  if (id === undefined) {
    const h = crypto.createHash('sha256').update(`rivulet-topic:${name}`).digest();
    h[6] = (h[6]! & 0x0f) | 0x40;
    h[8] = (h[8]! & 0x3f) | 0x80;
    const x = h.subarray(0, 16).toString('hex');
    id = `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
    if (cache.size > 100_000) cache.clear();
    cache.set(name, id);
  }
  return id;
}

/** The topic with this id among `names`, or undefined. */
export function topicNameIn(id: string, names: Iterable<string>): string | undefined {
  for (const n of names) if (topicIdOf(n) === id) return n;
  return undefined;
}
