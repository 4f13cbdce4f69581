/**
 * Testing an app under faults, deterministically: `node dist/examples/fault-injection.js [N]`
 * runs seeds 1..N; `--seed S` replays one.
 *
 * The "app" is a tiny order pipeline: it reads `orders`, and for each order writes an invoice to
 * `invoices`. Each seed runs it on the simulator (virtual time, seeded network faults) while the
 * leader of `orders` crashes, a partition cuts an SPU off, and storage fills and frees. The check:
 * every acknowledged order has an invoice. A failing seed prints the line that replays it.
 */
import { Cluster, Offset, type Producer } from '../src/index.js';

/** The app under test: invoice every order from `from` on; returns where it stopped. */
export async function invoiceOrders(cluster: Cluster, invoices: Producer, from: number, count: number): Promise<number> {
  const orders = await cluster.consumer('orders', { offset: Offset.absolute(from) });
  let next = from;
  for await (const r of orders) {
    const order = JSON.parse(new TextDecoder().decode(r.value)) as { id: number; qty: number };
    await invoices.send(String(order.id), JSON.stringify({ order: order.id, amount: order.qty * 10 }));
    next = r.offset + 1;
    if (next >= from + count) break;
  }
  return next;
}

export async function runOne(seed: number): Promise<{ seed: number; ok: boolean; problem?: string }> {
  const network = (_f: string, _t: string, _m: unknown, prng: { chance(p: number): boolean; int(a: number, b: number): number }) =>
    prng.chance(0.1) ? { extraDelayMs: prng.int(1, 30) } : {};
  const cluster = await Cluster.start({ spus: 3, simulation: { seed, network } });
  try {
    await cluster.admin.createTopic('orders', { partitions: 1, replicationFactor: 3 });
    await cluster.admin.createTopic('invoices', { partitions: 1, replicationFactor: 3 });
    const orders = await cluster.producer('orders', { acks: 'all' });
    const invoices = await cluster.producer('invoices', { acks: 'all' });
    const acked: number[] = [];
    let processed = 0;
    const leaderOf = async (topic: string) => (await cluster.admin.listPartitions()).find((p) => p.topic === topic)!.leader;
    let crashed = 0;
    let cut = 0;
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 25; i++) {
        const id = round * 25 + i;
        await orders.send(String(id), JSON.stringify({ id, qty: 1 + (id % 5) }));
        acked.push(id);
      }
      if (round === 1) {
        // Faults hit a healthy cluster: wait until every replica is in sync (in virtual time).
        while ((await cluster.admin.listPartitions()).some((p) => p.inSync.length < 3)) await cluster.transport.sleep(100);
        await cluster.faults.crashSpu((crashed = await leaderOf('orders'))); // the orders leader dies…
      }
      if (round === 2) await cluster.faults.restartSpu(crashed); // …and comes back as a follower
      if (round === 3) await cluster.faults.disconnectSpu((cut = await leaderOf('invoices'))); // a partition
      processed = await invoiceOrders(cluster, invoices, processed, 25);
    }
    await cluster.faults.reconnectSpu(cut);
    // Check: every acknowledged order has an invoice (at least once).
    const seen = new Set<number>();
    const reader = await cluster.consumer('invoices', { offset: Offset.beginning() });
    const end = (await cluster.admin.listPartitions()).find((p) => p.topic === 'invoices')!.hw;
    for await (const r of reader) {
      seen.add((JSON.parse(new TextDecoder().decode(r.value)) as { order: number }).order);
      if (r.offset >= end - 1) break;
    }
    const missing = acked.filter((id) => !seen.has(id));
    return missing.length === 0 ? { seed, ok: true } : { seed, ok: false, problem: `orders without invoice: ${missing.slice(0, 10).join(', ')}` };
  } finally {
    await cluster.shutdown();
  }
}

async function main(): Promise<void> {
  // `fault-injection.js [N]` runs seeds 1..N (default 20); `--seed S` replays one.
  const at = process.argv.indexOf('--seed');
  const list = at > 0 ? [Number(process.argv[at + 1])] : Array.from({ length: Number(process.argv[2] ?? 20) }, (_, i) => i + 1);
  const seeds = list.length;
  let failed = 0;
  for (const seed of list) {
    const r = await runOne(seed).catch((err: unknown) => ({ seed, ok: false, problem: `the app failed: ${err instanceof Error ? err.message : String(err)}` }));
    if (!r.ok) {
      failed++;
      console.log(`seed ${seed}: FAILED — ${r.problem}\n  replay: node dist/examples/fault-injection.js --seed ${seed}`);
    }
  }
  console.log(`${seeds - failed} of ${seeds} seeds passed: every acknowledged order was invoiced despite a leader crash, a restart and a network partition`);
  process.exitCode = failed === 0 ? 0 : 1;
}

if (process.argv[1]?.endsWith('fault-injection.js')) void main();
