/**
 * `rivulet topic create|list|describe|delete` (DESIGN §8, flags after Fluvio's):
 *   topic create NAME [-p N] [-r N] [--retention-time 7d] [--segment-size 64MiB] [--max-partition-size SIZE]
 *   topic list [-O json]        NAME PARTITIONS REPLICAS RETENTION TIME SEGMENT SIZE MAX PARTITION SIZE STATUS
 *   topic describe NAME [-O json]   the topic's settings (defaults filled in) and its partitions
 *   topic delete NAME
 * Sizes are binary (64MB = 64MiB); durations use `ms` (7d, 12h, 30m). Names, shapes and configs
 * are validated by the cluster, whose one-line error is printed as it is.
 */
import type { Command } from 'commander';
import { DEFAULT_LOG_CONFIG, ErrorCode, RivuletError, type PartitionInfo, type TopicSpec } from '../index.js';
import {
  action, formatDuration, formatSize, homeOption, intArg, json, outputOption, parseDuration, parseSize, println, table, withClient,
  type OutputFormat,
} from './cli-io.js';
import { partitionTable } from './partition-command.js';

interface CreateOpts {
  partitions: number;
  replication: number;
  retentionTime?: number;
  segmentSize?: number;
  maxPartitionSize?: number;
  minInsyncReplicas?: number;
  home?: string;
}

/** A topic's effective settings: its config over the defaults (null = unlimited / forever). */
function effective(t: TopicSpec): { retentionMs: number | null; segmentBytes: number; maxPartitionBytes: number | null } {
  const c = { ...DEFAULT_LOG_CONFIG, ...t.config };
  const finite = (n: number | null | undefined): number | null => (typeof n === 'number' && Number.isFinite(n) ? n : null);
  return { retentionMs: finite(c.retentionMs), segmentBytes: c.segmentBytes, maxPartitionBytes: finite(c.maxPartitionBytes) };
}

/** `Online` when every partition is; otherwise the first other resolution, with a count. */
function status(parts: PartitionInfo[]): string {
  const off = parts.filter((p) => p.resolution !== 'Online');
  if (parts.length === 0) return 'Provisioning';
  return off.length === 0 ? 'Online' : `${off[0]!.resolution} (${off.length}/${parts.length})`;
}

function topicJson(t: TopicSpec, parts: PartitionInfo[]): object {
  return { name: t.name, partitions: t.partitions, replicationFactor: t.replicationFactor, config: { ...t.config, ...effective(t) }, status: status(parts) };
}

export function registerTopicCommand(program: Command): void {
  const topic = program.command('topic').description('create, list, describe and delete topics');

  topic
    .command('create')
    .description('create a topic')
    .argument('<name>', "topic name: lowercase letters, digits and '-'")
    .option('-p, --partitions <N>', 'number of partitions', intArg(1), 1)
    .option('-r, --replication <N>', 'replication factor (copies of each partition, on distinct SPUs)', intArg(1), 1)
    .option('--retention-time <time>', `remove segments older than this, e.g. 7d, 12h, 30m (default ${formatDuration(DEFAULT_LOG_CONFIG.retentionMs)})`, parseDuration)
    .option('--segment-size <size>', `roll to a new segment at this size, e.g. 64MiB (default ${formatSize(DEFAULT_LOG_CONFIG.segmentBytes)})`, parseSize)
    .option('--max-partition-size <size>', 'remove the oldest segments when a partition grows past this, e.g. 10GiB (default unlimited)', parseSize)
    .option('--min-insync-replicas <N>', 'acks=all needs at least this many replicas in sync (Kafka min.insync.replicas; default 1)', intArg(1))
    .addOption(homeOption())
    .action(
      action(async (name: string, o: CreateOpts) => {
        await withClient(o.home, (c) =>
          c.admin.createTopic(name, {
            partitions: o.partitions,
            replicationFactor: o.replication,
            ...(o.retentionTime !== undefined ? { retentionMs: o.retentionTime } : {}),
            ...(o.segmentSize !== undefined ? { segmentBytes: o.segmentSize } : {}),
            ...(o.maxPartitionSize !== undefined ? { maxPartitionBytes: o.maxPartitionSize } : {}),
            ...(o.minInsyncReplicas !== undefined ? { minInSyncReplicas: o.minInsyncReplicas } : {}),
          }),
        );
        await println(`topic "${name}" created`);
      }),
    );

  topic
    .command('list')
    .description('list topics')
    .addOption(outputOption())
    .addOption(homeOption())
    .action(
      action(async (o: { output: OutputFormat; home?: string }) => {
        const [topics, parts] = await withClient(o.home, (c) => Promise.all([c.admin.listTopics(), c.admin.listPartitions()]));
        const sorted = [...topics].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        const of = (t: TopicSpec) => parts.filter((p) => p.topic === t.name);
        if (o.output === 'json') return void (await println(json(sorted.map((t) => topicJson(t, of(t))))));
        if (sorted.length === 0) return void (await println('no topics (create one with `rivulet topic create NAME`)'));
        const rows = sorted.map((t) => {
          const e = effective(t);
          return [t.name, t.partitions, t.replicationFactor, formatDuration(e.retentionMs ?? Infinity), formatSize(e.segmentBytes), formatSize(e.maxPartitionBytes ?? Infinity), status(of(t))];
        });
        await println(table(['NAME', 'PARTITIONS', 'REPLICAS', 'RETENTION TIME', 'SEGMENT SIZE', 'MAX PARTITION SIZE', 'STATUS'], rows));
      }),
    );

  topic
    .command('describe')
    .description("show a topic's settings and partitions")
    .argument('<name>', 'topic name')
    .addOption(outputOption())
    .addOption(homeOption())
    .action(
      action(async (name: string, o: { output: OutputFormat; home?: string }) => {
        const [topics, all] = await withClient(o.home, (c) => Promise.all([c.admin.listTopics(), c.admin.listPartitions()]));
        const t = topics.find((x) => x.name === name);
        if (!t) throw new RivuletError(ErrorCode.UNKNOWN_TOPIC, `unknown topic '${name}'`);
        const parts = all.filter((p) => p.topic === name);
        if (o.output === 'json') return void (await println(json({ ...topicJson(t, parts), partitionStatus: parts })));
        const e = effective(t);
        const fields: [string, string | number][] = [
          ['Name', t.name],
          ['Partitions', t.partitions],
          ['Replication factor', t.replicationFactor],
          ['Retention time', formatDuration(e.retentionMs ?? Infinity)],
          ['Segment size', formatSize(e.segmentBytes)],
          ['Max partition size', formatSize(e.maxPartitionBytes ?? Infinity)],
          ['Status', status(parts)],
        ];
        const lines = fields.map(([k, v]) => `${`${k}:`.padEnd(20)}${v}`);
        await println([...lines, '', partitionTable(parts)].join('\n'));
      }),
    );

  topic
    .command('delete')
    .description('delete a topic and all its records')
    .argument('<name>', 'topic name')
    .addOption(homeOption())
    .action(
      action(async (name: string, o: { home?: string }) => {
        await withClient(o.home, (c) => c.admin.deleteTopic(name));
        await println(`topic "${name}" deleted`);
      }),
    );
}
