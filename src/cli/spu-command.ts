/**
 * `rivulet spu list [-O json]` (DESIGN §8): the cluster's SPUs, `ID STATUS ADDRESS REPLICAS`
 * (REPLICAS: how many partition replicas the SPU hosts), sorted by id.
 */
import type { Command } from 'commander';
import { action, homeOption, json, outputOption, println, table, withClient, type OutputFormat } from './cli-io.js';

export const SPU_COLUMNS = ['ID', 'STATUS', 'ADDRESS', 'REPLICAS'] as const;

export function registerSpuCommand(program: Command): void {
  const spu = program.command('spu').description('inspect the SPUs (streaming processing units)');
  spu
    .command('list')
    .description(`list the SPUs: ${SPU_COLUMNS.join(' ')}`)
    .addOption(outputOption())
    .addOption(homeOption())
    .action(
      action(async (opts: { output: OutputFormat; home?: string }) => {
        const spus = [...(await withClient(opts.home, (c) => c.admin.listSpus()))].sort((a, b) => a.id - b.id);
        if (opts.output === 'json') await println(json(spus));
        else await println(table([...SPU_COLUMNS], spus.map((s) => [s.id, s.status, s.address, s.replicas])));
      }),
    );
}
