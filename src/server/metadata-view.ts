/**
 * The listener's view of topics, partitions and SPUs: the SC's last reports (leaders,
 * resolutions, replicas), reused for up to `maxAgeMs` and dropped at once on any partition
 * status event or topic create/delete, so Metadata answers and leader checks follow elections.
 *
 * Invariant: a view is never older than the last status event the listener saw.
 */
import type { PartitionInfo, SpuInfo, TopicSpec } from '../../actors/messages.js';
import type { ServerBackend } from './backend.js';
import { topicNameIn } from './topic-ids.js';

export interface ClusterView {
  partitions: PartitionInfo[];
  spus: SpuInfo[];
  topics: TopicSpec[];
  /** topic → its partitions, by index. */
  byTopic: Map<string, PartitionInfo[]>;
}

/** Misses within this long of a miss-driven reload share it. */
const MISS_RELOAD_MS = 100;

export class MetadataView {
  private view: ClusterView | undefined;
  private loading: Promise<ClusterView> | undefined;
  private takenAtMs = 0;
  /** Bumped by every invalidation: a load that started before one is not kept. */
  private generation = 0;
  private readonly unsubscribe: () => void;

  constructor(private readonly backend: ServerBackend, private readonly maxAgeMs: number) {
    this.unsubscribe = backend.onStatus(() => this.invalidate());
  }

  invalidate(): void {
    this.view = undefined;
    this.generation++;
    this.loading = undefined;
  }

  async get(): Promise<ClusterView> {
    if (this.view && Date.now() - this.takenAtMs <= this.maxAgeMs) return this.view;
    if (!this.loading) {
      const p = this.load(this.generation).finally(() => {
        if (this.loading === p) this.loading = undefined;
      });
      this.loading = p;
    }
    return this.loading;
  }

  /** A partition's entry; on a miss the view is reloaded once (it may predate the topic). */
  async partition(topic: string, partition: number): Promise<PartitionInfo | undefined> {
    const hit = (await this.get()).byTopic.get(topic)?.[partition];
    if (hit) return hit;
    return (await this.reloadForMiss()).byTopic.get(topic)?.[partition];
  }

  /** The topic whose id (KIP-516) is `id`; on a miss the view is reloaded once. */
  async topicNameOf(id: string): Promise<string | undefined> {
    const hit = topicNameIn(id, (await this.get()).byTopic.keys());
    if (hit !== undefined) return hit;
    return topicNameIn(id, (await this.reloadForMiss()).byTopic.keys());
  }

  private missReload: Promise<ClusterView> | undefined;
  private missReloadAtMs = -Infinity;

  /**
   * The reload a miss waits for: at most one per MISS_RELOAD_MS, shared by every miss meanwhile,
   * so requests for unknown topics (a client's typo, or a flood) cannot turn into one full SC
   * reload each.
   */
  private reloadForMiss(): Promise<ClusterView> {
    const now = Date.now();
    if (!this.missReload || now - this.missReloadAtMs > MISS_RELOAD_MS) {
      this.missReloadAtMs = now;
      this.invalidate();
      this.missReload = this.get();
    }
    return this.missReload;
  }

  private async load(generation: number): Promise<ClusterView> {
    const [partitions, spus, topics] = await Promise.all([
      this.backend.admin<PartitionInfo[]>({ op: 'listPartitions', fresh: false }),
      this.backend.admin<SpuInfo[]>({ op: 'listSpus' }),
      this.backend.admin<TopicSpec[]>({ op: 'listTopics' }),
    ]);
    const byTopic = new Map<string, PartitionInfo[]>();
    for (const p of partitions) {
      let list = byTopic.get(p.topic);
      if (!list) byTopic.set(p.topic, (list = []));
      list[p.partition] = p;
    }
    const view = { partitions, spus, topics, byTopic };
    if (generation === this.generation) {
      this.view = view;
      this.takenAtMs = Date.now();
    }
    return view;
  }

  close(): void {
    this.unsubscribe();
  }
}
