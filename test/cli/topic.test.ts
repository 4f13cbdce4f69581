/**
 * `rivulet topic create|list|describe|delete` and `spu list` through the real CLI against an
 * embedded cluster found through its home's run file: flags round-trip to the cluster's topic
 * config, tables for people, `-O json` for scripts, `--help` everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, lines, startHome, tableCells, type CliHome } from './cli-fixture.js';

let h: CliHome;
beforeAll(async () => {
  h = await startHome(2);
});
afterAll(async () => {
  await h?.stop();
});

describe('rivulet topic', () => {
  it('creates a topic whose flags round-trip to its config, lists, describes and deletes it', async () => {
    const created = await cli(
      ['topic', 'create', 'events', '-p', '2', '-r', '2', '--retention-time', '12h', '--segment-size', '1MiB', '--max-partition-size', '10MiB'],
      { home: h.home },
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout.trim()).toBe('topic "events" created');
    const plain = await cli(['topic', 'create', 'plain', '--home', h.home]); // --home instead of RIVULET_HOME
    expect(plain.code).toBe(0);

    const spec = (await h.cluster.admin.listTopics()).find((t) => t.name === 'events')!;
    expect(spec).toMatchObject({ partitions: 2, replicationFactor: 2, config: { retentionMs: 12 * 3600_000, segmentBytes: 1 << 20, maxPartitionBytes: 10 << 20 } });

    const [list, json, describeText, describeJson] = await Promise.all([
      cli(['topic', 'list'], { home: h.home }),
      cli(['topic', 'list', '-O', 'json'], { home: h.home }),
      cli(['topic', 'describe', 'events'], { home: h.home }),
      cli(['topic', 'describe', 'events', '-O', 'json'], { home: h.home }),
    ]);
    expect(list.code).toBe(0);
    const [header, ...rows] = lines(list.stdout);
    const cols = ['NAME', 'PARTITIONS', 'REPLICAS', 'RETENTION TIME', 'SEGMENT SIZE', 'MAX PARTITION SIZE', 'STATUS'];
    expect(header!.split(/\s{2,}/)).toEqual(cols);
    expect(rows.map((r) => tableCells(header!, r, cols))).toEqual([
      ['events', '2', '2', '12h', '1 MB', '10 MB', 'Online'],
      ['plain', '1', '1', '7d', '64 MB', 'unlimited', 'Online'],
    ]);
    expect(JSON.parse(json.stdout)).toEqual([
      { name: 'events', partitions: 2, replicationFactor: 2, config: { retentionMs: 43_200_000, segmentBytes: 1_048_576, maxPartitionBytes: 10_485_760 }, status: 'Online' },
      { name: 'plain', partitions: 1, replicationFactor: 1, config: { retentionMs: 604_800_000, segmentBytes: 67_108_864, maxPartitionBytes: null }, status: 'Online' },
    ]);
    expect(describeText.code).toBe(0);
    expect(describeText.stdout).toMatch(/^Name:\s+events$/m);
    expect(describeText.stdout).toMatch(/^Retention time:\s+12h$/m);
    expect(describeText.stdout).toMatch(/^Segment size:\s+1 MB$/m);
    expect(describeText.stdout).toMatch(/^Max partition size:\s+10 MB$/m);
    expect(describeText.stdout).toMatch(/^TOPIC\s+PARTITION\s+LEADER\s+REPLICAS\s+RESOLUTION\s+SIZE\s+BASE\s+HW\s+LEO/m);
    const d = JSON.parse(describeJson.stdout);
    expect(d.name).toBe('events');
    expect(d.partitionStatus).toHaveLength(2);

    const deleted = await cli(['topic', 'delete', 'events'], { home: h.home });
    expect(deleted.code).toBe(0);
    expect(deleted.stdout.trim()).toBe('topic "events" deleted');
    expect((await h.cluster.admin.listTopics()).map((t) => t.name)).toEqual(['plain']);
    expect((await h.cluster.admin.listPartitions()).map((p) => p.topic)).toEqual(['plain']);
  });

  it('lists the SPUs', async () => {
    const [table, json] = await Promise.all([cli(['spu', 'list'], { home: h.home }), cli(['spu', 'list', '-O', 'json'], { home: h.home })]);
    expect(table.code).toBe(0);
    const [header, ...rows] = lines(table.stdout);
    expect(header!.split(/\s{2,}/)).toEqual(['ID', 'STATUS', 'ADDRESS', 'REPLICAS']);
    expect(rows.map((r) => r.split(/\s+/).slice(0, 2))).toEqual([['1', 'online'], ['2', 'online']]);
    expect(JSON.parse(json.stdout).map((s: { id: number }) => s.id)).toEqual([1, 2]);
  });

  it('answers --help on every command', async () => {
    const commands = [
      [], ['topic'], ['topic', 'create'], ['topic', 'list'], ['topic', 'describe'], ['topic', 'delete'],
      ['produce'], ['consume'], ['partition'], ['partition', 'list'], ['spu'], ['spu', 'list'],
    ];
    const results = await Promise.all(commands.map((c) => cli([...c, '--help'])));
    for (const [i, r] of results.entries()) {
      expect(r.code, commands[i]!.join(' ')).toBe(0);
      expect(r.stdout).toContain('Usage: rivulet');
    }
    expect(results[2]!.stdout).toContain('--retention-time');
    expect(results[7]!.stdout).toContain('--disable-continuous');
  });
});
