/**
 * `npm start`: an in-process rivulet cluster in a Node app, no external broker.
 *
 * Starts one SPU (memory mode), creates topic 'orders' with 3 partitions, produces 100,000
 * records of ~100 B without awaiting each one (send() in a loop, then flush()), reads every
 * partition back from the beginning, prints the partition table and the throughput, shuts down.
 *
 * Invariant checked on the way: every produced record is read back exactly once, in offset order,
 * on the partition its send() acknowledged, with the same key.
 */
import { Cluster, Offset } from '../src/index.js';

const TOPIC = 'orders';
const PARTITIONS = 3;
const RECORDS = 100_000;
/** Value bytes per record; with a 12-byte key a record carries ~100 B of payload. */
const VALUE_BYTES = 88;

const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmtBytes = (bytes: number): string => {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
};
const rate = (count: number, bytes: number, ms: number): string =>
  `${fmtInt((count * 1000) / ms)} records/s, ${((bytes / 1e6) * 1000 / ms).toFixed(1)} MB/s`;

/** A plain padded table (cli-table3 is not a dependency). */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]): string => cells.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].map((l) => `  ${l}`).join('\n');
}

function orderValue(i: number): string {
  const body = `{"id":${i},"item":"widget-${i % 97}","qty":${(i % 9) + 1},"note":"`;
  return body.padEnd(VALUE_BYTES - 2, 'x') + '"}';
}

async function main(): Promise<void> {
  const cluster = await Cluster.start({ spus: 1 });
  try {
    console.log('rivulet embedded demo: 1 SPU, in memory');
    await cluster.admin.createTopic(TOPIC, { partitions: PARTITIONS, replicationFactor: 1 });
    console.log(`created topic '${TOPIC}' with ${PARTITIONS} partitions`);

    // Produce: fire every send() without awaiting it, then flush once.
    const producer = await cluster.producer(TOPIC, { acks: 1 });
    const keys: string[] = [];
    const sends: PromiseLike<{ partition: number; offset: number }>[] = [];
    let payloadBytes = 0;
    const produceStart = performance.now();
    for (let i = 0; i < RECORDS; i++) {
      const key = `order-${String(i).padStart(6, '0')}`;
      const value = orderValue(i);
      keys.push(key);
      payloadBytes += key.length + value.length;
      sends.push(producer.send(key, value));
    }
    await producer.flush(); // every record is acknowledged (or flush throws)
    const produceMs = performance.now() - produceStart;
    const acks = await Promise.all(sends); // each send's { partition, offset }
    console.log(`produced ${fmtInt(RECORDS)} records (${fmtBytes(payloadBytes)}) in ${(produceMs / 1000).toFixed(2)} s: ${rate(RECORDS, payloadBytes, produceMs)}`);

    // Where each record went, to check the read-back against it.
    const expected: string[][] = Array.from({ length: PARTITIONS }, () => []);
    acks.forEach(({ partition, offset }, i) => {
      expected[partition]![offset] = keys[i]!;
    });

    // Consume every partition from the beginning until it is drained.
    const decoder = new TextDecoder();
    let consumed = 0;
    let consumedBytes = 0;
    const consumeStart = performance.now();
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const want = expected[partition]!;
      if (want.length === 0) continue;
      const consumer = await cluster.consumer(TOPIC, { partition, offset: Offset.beginning() });
      let next = 0;
      for await (const record of consumer) {
        const key = record.key === null ? null : decoder.decode(record.key);
        if (record.offset !== next || key !== want[next]) {
          throw new Error(`partition ${partition}: expected offset ${next} key ${want[next]}, got offset ${record.offset} key ${key}`);
        }
        consumedBytes += (record.key?.length ?? 0) + record.value.length;
        next++;
        if (next === want.length) break;
      }
      consumed += next;
    }
    const consumeMs = performance.now() - consumeStart;
    console.log(`consumed ${fmtInt(consumed)} records (${fmtBytes(consumedBytes)}) in ${(consumeMs / 1000).toFixed(2)} s: ${rate(consumed, consumedBytes, consumeMs)}`);
    console.log(consumed === RECORDS ? 'every record read back once, in order, on its partition' : `MISSING ${RECORDS - consumed} records`);

    const partitions = await cluster.admin.listPartitions();
    console.log('');
    console.log(
      table(
        ['TOPIC', 'PARTITION', 'LEADER', 'REPLICAS', 'RESOLUTION', 'SIZE', 'BASE', 'HW', 'LEO'],
        partitions.map((p) => [
          p.topic,
          String(p.partition),
          String(p.leader),
          `[${p.replicas.join(', ')}]`,
          p.resolution,
          fmtBytes(p.sizeBytes),
          String(p.base),
          String(p.hw),
          String(p.leo),
        ]),
      ),
    );
    console.log('');
    if (consumed !== RECORDS) process.exitCode = 1;
  } finally {
    await cluster.shutdown();
  }
  console.log('cluster shut down');
}

main().catch((err: unknown) => {
  console.error(`embedded demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
