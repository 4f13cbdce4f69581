/**
 * Testing an existing Kafka app in Node — no Docker, no JVM: `node dist/examples/kafka-app-test.js`.
 *
 * The "app" is ordinary kafkajs code, unchanged for the test: a billing service that reads
 * `orders` in the consumer group `billing` and writes one invoice per order to `invoices`. The test
 * starts an in-process rivulet (`Cluster.start()`), serves it over the Kafka protocol
 * (`cluster.listen()`), points the app's kafkajs client at it, runs two instances of the service
 * (one group: the partitions are split between them), sends orders — and in the middle crashes the
 * SPU (broker) leading `orders` partition 0, sends more, and brings it back. The check: every order
 * sent gets an invoice. The app's clients see what they would see from Kafka: a broker gone,
 * NOT_LEADER_OR_FOLLOWER, new leaders in Metadata, a consumer group that keeps its offsets.
 */
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { Cluster } from '../src/index.js';

// ---- the app under test (plain kafkajs) -------------------------------------------------------

export interface BillingService {
  stop(): Promise<void>;
}

export async function startBillingService(kafka: Kafka): Promise<BillingService> {
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: 'billing', sessionTimeout: 6_000, heartbeatInterval: 500, maxWaitTimeInMs: 200 });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: 'orders', fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const order = JSON.parse(message.value!.toString()) as { id: number; qty: number };
      const invoice = { order: order.id, amount: order.qty * 10 };
      await producer.send({ topic: 'invoices', acks: -1, messages: [{ key: String(order.id), value: JSON.stringify(invoice) }] });
    },
  });
  return {
    async stop() {
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
}

// ---- the test -----------------------------------------------------------------------------------

export interface AppTestResult {
  orders: number;
  invoiced: number;
  missing: number[];
  crashedSpu: number;
  ms: number;
}

/**
 * One order per send() call, ten in flight. (A first version sent 100 orders per call, and this
 * test caught kafkajs 2.2.4 dropping some of them: when a send spanning several brokers is retried
 * after a leader moved, kafkajs resends only to brokers that had not answered yet, so the moved
 * partition's messages go nowhere while send() resolves. One partition per call avoids it.)
 */
async function sendOrders(producer: Producer, from: number, count: number): Promise<void> {
  const send = (id: number) => producer.send({ topic: 'orders', acks: -1, messages: [{ key: String(id), value: JSON.stringify({ id, qty: 1 + (id % 5) }) }] });
  for (let i = 0; i < count; i += 10) await Promise.all(Array.from({ length: Math.min(10, count - i) }, (_, j) => send(from + i + j)));
}

/** Every order id invoiced so far, read by a separate kafkajs consumer (its own group). */
async function watchInvoices(kafka: Kafka): Promise<{ ids: Set<number>; stop(): Promise<void> }> {
  const ids = new Set<number>();
  const reader = kafka.consumer({ groupId: 'audit', maxWaitTimeInMs: 100 });
  await reader.connect();
  await reader.subscribe({ topic: 'invoices', fromBeginning: true });
  await reader.run({ eachMessage: async ({ message }) => void ids.add((JSON.parse(message.value!.toString()) as { order: number }).order) });
  return { ids, stop: () => reader.disconnect() };
}

export async function runKafkaAppTest(orders = 150): Promise<AppTestResult> {
  const started = Date.now();
  const cluster = await Cluster.start({ spus: 3 });
  try {
    const { host, port } = await cluster.listen();
    // Test setup with rivulet's own admin; replicaLagMs lets a lost follower leave the in-sync set fast.
    await cluster.admin.createTopic('orders', { partitions: 3, replicationFactor: 3, replicaLagMs: 500 });
    await cluster.admin.createTopic('invoices', { partitions: 3, replicationFactor: 3, replicaLagMs: 500 });

    const kafka = new Kafka({ clientId: 'billing-test', brokers: [`${host}:${port}`], logLevel: logLevel.NOTHING });
    const services = await Promise.all([startBillingService(kafka), startBillingService(kafka)]);
    const audit = await watchInvoices(kafka);
    const producer = kafka.producer();
    await producer.connect();

    const third = Math.floor(orders / 3);
    await sendOrders(producer, 0, third);
    // The fault, mid-test: the broker leading orders/0 dies; orders keep coming; it comes back.
    const crashedSpu = (await cluster.admin.listPartitions()).find((p) => p.topic === 'orders' && p.partition === 0)!.leader;
    await cluster.faults.crashSpu(crashedSpu);
    await sendOrders(producer, third, third);
    await cluster.faults.restartSpu(crashedSpu);
    await sendOrders(producer, 2 * third, orders - 2 * third);

    const deadline = Date.now() + 30_000;
    while (audit.ids.size < orders && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const missing = Array.from({ length: orders }, (_, i) => i).filter((id) => !audit.ids.has(id));
    await producer.disconnect();
    await audit.stop();
    await Promise.all(services.map((s) => s.stop()));
    return { orders, invoiced: audit.ids.size, missing, crashedSpu, ms: Date.now() - started };
  } finally {
    await cluster.shutdown();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runKafkaAppTest();
  console.log(`${r.invoiced}/${r.orders} orders invoiced with SPU ${r.crashedSpu} crashed mid-test, in ${r.ms} ms`);
  if (r.missing.length > 0) {
    console.error(`missing invoices: ${r.missing.join(', ')}`);
    process.exitCode = 1;
  }
}
