/**
 * `rivulet partition list [-O json]` (DESIGN §8, issue 13 story 3): one row per partition with
 * exactly the columns `TOPIC PARTITION LEADER REPLICAS RESOLUTION SIZE BASE HW LEO`, then `LRS`
 * (live replicas: how many are in sync, leader included) — one value per column, so an operator
 * can compare BASE with a consumer's offset after retention trimmed the log. REPLICAS lists the
 * follower ids (`[2, 3]`), SIZE is human-readable (`987.2 MB`). `-O json` prints the API's
 * partition records as they are.
 */
import type { Command } from 'commander';
import type { PartitionInfo } from '../index.js';
import { action, formatSize, homeOption, json, outputOption, println, table, withClient, type OutputFormat } from './cli-io.js';

/** The columns, in this order; the first nine are the contract. */
export const PARTITION_COLUMNS = ['TOPIC', 'PARTITION', 'LEADER', 'REPLICAS', 'RESOLUTION', 'SIZE', 'BASE', 'HW', 'LEO', 'LRS'] as const;

export function partitionRow(p: PartitionInfo): (string | number)[] {
  return [p.topic, p.partition, p.leader, `[${p.replicas.join(', ')}]`, p.resolution, formatSize(p.sizeBytes), p.base, p.hw, p.leo, p.inSync.length];
}

export const byTopicPartition = (a: PartitionInfo, b: PartitionInfo): number =>
  a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;

export function partitionTable(parts: PartitionInfo[]): string {
  return table([...PARTITION_COLUMNS], [...parts].sort(byTopicPartition).map(partitionRow));
}

export function registerPartitionCommand(program: Command): void {
  const partition = program.command('partition').description('inspect partitions');
  partition
    .command('list')
    .description(`list every partition: ${PARTITION_COLUMNS.join(' ')} (LRS: replicas in sync, leader included)`)
    .addOption(outputOption())
    .addOption(homeOption())
    .action(
      action(async (opts: { output: OutputFormat; home?: string }) => {
        const parts = await withClient(opts.home, (c) => c.admin.listPartitions());
        if (opts.output === 'json') await println(json([...parts].sort(byTopicPartition)));
        else if (parts.length === 0) await println('no partitions (create a topic with `rivulet topic create NAME`)');
        else await println(partitionTable(parts));
      }),
    );
}
