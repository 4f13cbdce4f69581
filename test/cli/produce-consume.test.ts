/**
 * `rivulet produce` and `rivulet consume` through the real CLI against an embedded cluster found
 * through its home: 1,000 lines from a file with a key separator come back exactly (values, and
 * `key<sep>value` with -k), the start flags (-B, -H, -T, --start) and --end pick the right
 * offsets, `-O json` parses, stdin works, and Ctrl-C ends a following consume promptly with exit 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Offset } from '../../src/index.js';
import { cli, collect, lines, spawnCli, startHome, tmpFile, type CliHome } from './cli-fixture.js';

const N = 1000;
const keyOf = (i: number) => `key-${i}`;
const valueOf = (i: number) => `value ${i}: spaces, a | bar, ünïcode ✓`;
const input = Array.from({ length: N }, (_, i) => `${keyOf(i)}|${valueOf(i)}`);

let h: CliHome;
beforeAll(async () => {
  h = await startHome(1);
  await h.cluster.admin.createTopic('lines');
  await h.cluster.admin.createTopic('follow');
  await h.cluster.admin.createTopic('stdin');
});
afterAll(async () => {
  await h?.stop();
});

describe('rivulet produce / consume', () => {
  it('produces 1,000 lines from a file with a key separator and consumes them back exactly', async () => {
    const file = tmpFile('lines.txt', `${input.join('\n')}\n`);
    const p = await cli(['produce', 'lines', '-f', file, '--key-separator', '|'], { home: h.home });
    expect(p.stderr).toBe('');
    expect(p.code).toBe(0);
    expect(p.stdout).toBe(`${N} records acknowledged (topic "lines", acks=all)\n`);

    // The cluster holds each line's key and value, at offsets 0..999.
    const consumer = await h.cluster.consumer('lines', { offset: Offset.beginning() });
    const first = (await consumer.batches().next()).value!.records[0]!;
    consumer.close();
    expect(first.offset).toBe(0);
    expect(Buffer.from(first.key!).toString()).toBe(keyOf(0));
    expect(Buffer.from(first.value).toString()).toBe(valueOf(0));

    const [values, keyed, json] = await Promise.all([
      cli(['consume', 'lines', '-B', '-d'], { home: h.home }),
      cli(['consume', 'lines', '-B', '-d', '-k', '--key-separator', '|'], { home: h.home }),
      cli(['consume', 'lines', '-B', '-d', '-O', 'json'], { home: h.home }),
    ]);
    expect(values.code).toBe(0);
    expect(values.stdout).toBe(input.map((_, i) => `${valueOf(i)}\n`).join(''));
    expect(keyed.stdout).toBe(`${input.join('\n')}\n`);
    const objs = lines(json.stdout).map((l) => JSON.parse(l));
    expect(objs).toHaveLength(N);
    expect(objs[7]).toMatchObject({ partition: 0, offset: 7, key: keyOf(7), value: valueOf(7) });
    expect(typeof objs[7].timestamp).toBe('number');
  });

  it('starts at -H, -T and --start, stops at --end', async () => {
    const [head, tail, range, headEnd, def] = await Promise.all([
      cli(['consume', 'lines', '-H', '990', '-d'], { home: h.home }),
      cli(['consume', 'lines', '-T', '3', '-d', '-k', '--key-separator', '|'], { home: h.home }),
      cli(['consume', 'lines', '--start', '100', '--end', '104', '-O', 'json'], { home: h.home }), // --end alone exits
      cli(['consume', 'lines', '-B', '--end', '2'], { home: h.home }),
      cli(['consume', 'lines', '-d'], { home: h.home }), // default: from the end
    ]);
    expect(head.code).toBe(0);
    expect(lines(head.stdout)).toEqual(Array.from({ length: 10 }, (_, i) => valueOf(990 + i)));
    expect(lines(tail.stdout)).toEqual(input.slice(-3));
    expect(lines(range.stdout).map((l) => JSON.parse(l).offset)).toEqual([100, 101, 102, 103, 104]);
    expect(range.code).toBe(0);
    expect(lines(headEnd.stdout)).toEqual([valueOf(0), valueOf(1), valueOf(2)]);
    expect(def.code).toBe(0);
    expect(def.stdout).toBe('');
  });

  it('produces from stdin, lines without the separator as records without a key, with acks 1 and 0', async () => {
    const one = await cli(['produce', 'stdin', '--key-separator', '=', '--acks', '1'], { home: h.home, input: 'a=1\nno separator\n=empty key\n\nlast=x=y' });
    expect(one.code).toBe(0);
    expect(one.stdout).toBe('5 records acknowledged (topic "stdin", acks=1)\n');
    const zero = await cli(['produce', 'stdin', '--acks', '0'], { home: h.home, input: 'fire\nforget\n' });
    expect(zero.code).toBe(0);
    expect(zero.stdout).toBe('2 records sent (topic "stdin", acks=0: not acknowledged)\n');
    const back = await cli(['consume', 'stdin', '-B', '-d', '-O', 'json', '--isolation', 'read_uncommitted'], { home: h.home });
    expect(lines(back.stdout).map((l) => { const o = JSON.parse(l); return [o.key, o.value]; })).toEqual([
      ['a', '1'], [null, 'no separator'], ['', 'empty key'], [null, ''], ['last', 'x=y'], [null, 'fire'], [null, 'forget'],
    ]);
  });

  it('follows the log until Ctrl-C, then exits 0 promptly', async () => {
    const child = spawnCli(['consume', 'follow'], { home: h.home });
    const done = collect(child);
    let seen = '';
    child.stdout!.on('data', (d: string) => (seen += d));
    // It starts at the end, so produce until it has printed a record (it may connect after the first sends).
    const producer = await h.cluster.producer('follow');
    for (let i = 0; !seen.includes('\n') && i < 200; i++) {
      await producer.send(null, `live ${i}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen).toMatch(/^live \d+\n/);
    const sent = Date.now();
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(0);
    expect(r.signal).toBeNull();
    expect(r.stderr).toBe('');
    expect(Date.now() - sent).toBeLessThan(3000);
    const printed = lines(r.stdout).map((l) => Number(l.split(' ')[1]));
    expect(printed).toEqual(Array.from({ length: printed.length }, (_, i) => printed[0]! + i)); // in order, no gaps
  });
});
