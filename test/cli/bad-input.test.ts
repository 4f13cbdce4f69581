/**
 * Bad input to the data-plane commands: each gives exactly one `error: …` line on stderr, no
 * stack trace, nothing on stdout, exit 1 (the cluster refused: unknown topic, bad name, offset
 * below BASE or past the end, no such partition, no cluster) or 2 (a usage error: malformed or
 * negative numbers, `--acks 7`, two start flags, an unknown option) — and no data changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, expectOneLineError, startHome, type CliHome } from './cli-fixture.js';

let h: CliHome;
beforeAll(async () => {
  h = await startHome(1);
  await h.cluster.admin.createTopic('kept', { partitions: 2 });
  await h.cluster.admin.createTopic('trimmed', { segmentBytes: 1024, maxPartitionBytes: 4096 });
  const p = await h.cluster.producer('trimmed');
  // Many small batches, so that segments roll and size retention removes the oldest.
  for (let i = 0; i < 50; i++) await p.sendBatch(Array.from({ length: 10 }, (_, j) => ({ value: `record ${i * 10 + j} ${'y'.repeat(30)}` })));
  const kept = await h.cluster.producer('kept');
  await kept.sendBatch(Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })));
  for (let i = 0; i < 100; i++) {
    if ((await h.cluster.admin.listPartitions()).find((x) => x.topic === 'trimmed')!.base > 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
});
afterAll(async () => {
  await h?.stop();
});

/** Everything a bad command could have changed. */
async function snapshot(): Promise<unknown> {
  const [topics, parts] = await Promise.all([h.cluster.admin.listTopics(), h.cluster.admin.listPartitions()]);
  return { topics, parts: parts.map((p) => ({ topic: p.topic, partition: p.partition, base: p.base, hw: p.hw, leo: p.leo })) };
}

const CASES: { args: string[]; code: number; message: RegExp; noHome?: boolean }[] = [
  { args: ['consume', 'nope', '-B', '-d'], code: 1, message: /unknown topic 'nope'/ },
  { args: ['produce', 'nope'], code: 1, message: /unknown topic 'nope'/ },
  { args: ['topic', 'describe', 'nope'], code: 1, message: /unknown topic 'nope'/ },
  { args: ['topic', 'delete', 'nope'], code: 1, message: /unknown topic 'nope'/ },
  { args: ['topic', 'create', 'Bad_Name!'], code: 1, message: /invalid topic name "Bad_Name!"/ },
  { args: ['topic', 'create', 'kept'], code: 1, message: /topic 'kept' already exists/ },
  { args: ['topic', 'create', 'toomany', '-r', '3'], code: 1, message: /replication factor 3/ },
  { args: ['topic', 'create', 'x', '--segment-size', '12XB'], code: 2, message: /--segment-size.*'12XB' is invalid/ },
  { args: ['topic', 'create', 'x', '--retention-time', 'soon'], code: 2, message: /--retention-time.*'soon' is invalid/ },
  { args: ['topic', 'create', 'x', '-p', '0'], code: 2, message: /--partitions.*'0' is invalid/ },
  { args: ['consume', 'kept', '--start', '-5'], code: 2, message: /--start.*'-5' is invalid\. expected an integer ≥ 0/ },
  { args: ['consume', 'kept', '--start', '12abc'], code: 2, message: /--start.*'12abc' is invalid/ },
  { args: ['consume', 'kept', '-H', '-1'], code: 2, message: /--head.*'-1' is invalid/ },
  { args: ['consume', 'trimmed', '--start', '0', '-d'], code: 1, message: /offset 0 is below BASE \d+ of topic 'trimmed' partition 0/ },
  { args: ['consume', 'kept', '--start', '1000', '-d'], code: 1, message: /offset 1000 is past the end of topic 'kept' partition 0 \(LEO \d+\)/ },
  { args: ['consume', 'kept', '-p', '2', '-B', '-d'], code: 1, message: /topic 'kept' has no partition 2 \(it has 2/ },
  { args: ['consume', 'kept', '-p', '-1'], code: 2, message: /--partition.*'-1' is invalid/ },
  { args: ['consume', 'kept', '-B', '--start', '3'], code: 2, message: /use one of -B, -H, -T and --start, not -B and --start/ },
  { args: ['consume', 'kept', '--isolation', 'dirty'], code: 2, message: /--isolation.*'dirty' is invalid/ },
  { args: ['consume', 'kept', '-O', 'yaml'], code: 2, message: /--output.*'yaml' is invalid/ },
  { args: ['produce', 'kept', '--acks', '7'], code: 2, message: /--acks.*'7' is invalid\. expected 0, 1 or all/ },
  { args: ['produce', 'kept', '-f', '/no/such/file.txt'], code: 1, message: /cannot read '\/no\/such\/file\.txt': no such file/ },
  { args: ['partition', 'list', '--bogus'], code: 2, message: /unknown option '--bogus'/ },
  { args: ['partition', 'list'], code: 1, message: /no cluster is running at .*`rivulet cluster create`/, noHome: true },
  { args: ['consume', 'kept', '-B', '-d'], code: 1, message: /no cluster is running at .*`rivulet cluster create`/, noHome: true },
];

describe('bad input to topic, produce, consume, partition', () => {
  it('gives one clear line, the right exit code, no stack trace, and changes no data', async () => {
    const before = await snapshot();
    expect((before as { parts: { topic: string; base: number }[] }).parts.find((p) => p.topic === 'trimmed')!.base).toBeGreaterThan(0);
    const input = 'would be a record\n';
    const results = await Promise.all(CASES.map((c) => cli(c.args, c.noHome ? { input } : { home: h.home, input })));
    for (const [i, r] of results.entries()) {
      const c = CASES[i]!;
      const what = `rivulet ${c.args.join(' ')} → ${JSON.stringify(r.stderr)}`;
      expect(r.code, what).toBe(c.code);
      expect(expectOneLineError(r), what).toMatch(c.message);
      expect(r.stdout, what).toBe('');
    }
    expect(await snapshot()).toEqual(before);
  });
});
