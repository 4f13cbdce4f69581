/**
 * The listener's view of topics, partitions and SPUs: the SC's last reports (leaders,
 * resolutions, replicas), reused for up to `maxAgeMs` and dropped at once on any partition
 * status event or topic create/delete, so Metadata answers and leader checks follow elections.
 *
 * Invariant: a view is never older than the last status event the listener saw.
 */
import type { PartitionInfo, SpuInfo, TopicSpec } from '../../actors/messages.js';
import type { ServerBackend } from './backend.js';

export interface ClusterView {
  partitions: PartitionInfo[];
  spus: SpuInfo[];
  topics: TopicSpec[];
  /** topic → its partitions, by index. */
  byTopic: Map<string, PartitionInfo[]>;
}

export class MetadataView {
  private view: ClusterView | undefined;
  private loading: Promise<ClusterView> | undefined;
  private takenAtMs = 0;
  private readonly unsubscribe: () => void;

  constructor(private readonly backend: ServerBackend, private readonly maxAgeMs: number) {
    this.unsubscribe = backend.onStatus(() => this.invalidate());
  }

  invalidate(): void {
    this.view = undefined;
  }

  async get(): Promise<ClusterView> {
    if (this.view && Date.now() - this.takenAtMs <= this.maxAgeMs) return this.view;
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async load(): Promise<ClusterView> {
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
    this.view = { partitions, spus, topics, byTopic };
    this.takenAtMs = Date.now();
    return this.view;
  }

  close(): void {
    this.unsubscribe();
  }
}
