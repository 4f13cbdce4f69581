/**
 * `rivulet partition list` (issue 13, story 3) through the real CLI: exactly the columns
 * `TOPIC PARTITION LEADER REPLICAS RESOLUTION SIZE BASE HW LEO` in that order, one value per
 * column; REPLICAS as follower ids, SIZE human-readable; BASE > 0 once size retention removed a
 * segment (and consuming below it is refused); HW = LEO with every replica up; `-O json` parses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, expectOneLineError, lines, startHome, tableCells, tmpFile, type CliHome } from './cli-fixture.js';

const CONTRACT = ['TOPIC', 'PARTITION', 'LEADER', 'REPLICAS', 'RESOLUTION', 'SIZE', 'BASE', 'HW', 'LEO'];
const COLUMNS = [...CONTRACT, 'LRS'];

let h: CliHome;
beforeAll(async () => {
  h = await startHome(3);
});
afterAll(async () => {
  await h?.stop();
});

describe('rivulet partition list', () => {
  it('prints the exact columns, BASE > 0 after size retention, HW = LEO, and JSON', async () => {
    const home = { home: h.home };
    expect((await cli(['topic', 'create', 'trimmed', '-r', '3', '--segment-size', '4KiB', '--max-partition-size', '16KiB'], home)).code).toBe(0);
    expect((await cli(['topic', 'create', 'wide', '-p', '3', '-r', '2'], home)).code).toBe(0);
    const text = Array.from({ length: 3000 }, (_, i) => `record ${String(i).padStart(5, '0')} ${'x'.repeat(40)}`).join('\n');
    const file = tmpFile('records.txt', text);
    const produced = await Promise.all([cli(['produce', 'trimmed', '-f', file], home), cli(['produce', 'wide', '-f', file], home)]);
    expect(produced.map((p) => p.code)).toEqual([0, 0]);

    // Retention runs in the background: wait until it removed a segment of the trimmed topic.
    let base = 0;
    for (let i = 0; i < 100 && base === 0; i++) {
      base = (await h.cluster.admin.listPartitions()).find((p) => p.topic === 'trimmed')!.base;
      if (base === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(base).toBeGreaterThan(0);

    const [table, json] = await Promise.all([cli(['partition', 'list'], home), cli(['partition', 'list', '-O', 'json'], home)]);
    expect(table.code).toBe(0);
    expect(table.stderr).toBe('');
    const [header, ...rows] = lines(table.stdout);
    expect(header!.split(/\s{2,}/).slice(0, CONTRACT.length)).toEqual(CONTRACT);
    expect(header!.split(/\s{2,}/)).toEqual(COLUMNS);
    expect(rows).toHaveLength(4);
    const cells = rows.map((r) => tableCells(header!, r, COLUMNS));
    const byName = Object.fromEntries(cells.map((c) => [`${c[0]}/${c[1]}`, Object.fromEntries(COLUMNS.map((k, i) => [k, c[i]!]))]));
    expect(Object.keys(byName)).toEqual(['trimmed/0', 'wide/0', 'wide/1', 'wide/2']);
    for (const c of Object.values(byName)) {
      // One value per column: nothing spills into a neighbour.
      expect(c.LEADER).toMatch(/^[123]$/);
      expect(c.RESOLUTION).toBe('Online');
      expect(c.SIZE).toMatch(/^\d+(\.\d)? (B|KB|MB|GB)$/);
      for (const k of ['BASE', 'HW', 'LEO', 'LRS']) expect(c[k]).toMatch(/^\d+$/);
      expect(c.HW).toBe(c.LEO);
    }
    const t = byName['trimmed/0']!;
    expect(t.REPLICAS).toMatch(/^\[\d, \d\]$/);
    expect(JSON.parse(t.REPLICAS)).not.toContain(Number(t.LEADER));
    expect(Number(t.BASE)).toBeGreaterThanOrEqual(base);
    expect(t.LEO).toBe('3000');
    expect(t.LRS).toBe('3');
    expect(byName['wide/1']!.REPLICAS).toMatch(/^\[\d\]$/);
    expect(['wide/0', 'wide/1', 'wide/2'].reduce((n, k) => n + Number(byName[k]!.LEO), 0)).toBe(3000);

    const parts = JSON.parse(json.stdout) as { topic: string; base: number; hw: number; leo: number; sizeBytes: number; replicaStatus: { hw: number; leo: number }[] }[];
    expect(parts.map((p) => p.topic)).toEqual(['trimmed', 'wide', 'wide', 'wide']);
    const tj = parts[0]!;
    expect(tj.base).toBeGreaterThan(0);
    expect(tj.hw).toBe(tj.leo);
    expect(tj.replicaStatus).toHaveLength(3);
    for (const r of tj.replicaStatus) expect(r).toMatchObject({ hw: tj.leo, leo: tj.leo }); // every replica caught up

    // A consumer's offset compared with BASE: -B starts there, below it is refused.
    const [fromBase, below] = await Promise.all([
      cli(['consume', 'trimmed', '-B', '-d', '-O', 'json'], home),
      cli(['consume', 'trimmed', '--start', '0', '-d'], home),
    ]);
    const offsets = lines(fromBase.stdout).map((l) => JSON.parse(l).offset as number);
    expect(offsets[0]).toBeGreaterThanOrEqual(tj.base);
    expect(offsets.at(-1)).toBe(2999);
    expect(below.code).toBe(1);
    expect(expectOneLineError(below)).toMatch(/offset 0 is below BASE \d+ of topic 'trimmed' partition 0/);
    expect(below.stdout).toBe('');
  });
});
