/**
 * The kafka-app-test example keeps working: an unchanged kafkajs app (a billing service in a
 * consumer group of two) invoices every order against an in-process rivulet served over the Kafka
 * protocol, while the broker leading `orders` partition 0 crashes and comes back mid-test.
 */
import { describe, it, expect } from 'vitest';
import { runKafkaAppTest } from '../../examples/kafka-app-test.js';

describe('examples/kafka-app-test', () => {
  it('invoices every order across a broker crash and restart, in a few seconds', async () => {
    const r = await runKafkaAppTest();
    expect(r.missing).toEqual([]);
    expect(r.invoiced).toBe(r.orders);
    expect([1, 2, 3]).toContain(r.crashedSpu);
    expect(r.ms).toBeLessThan(20_000);
  });
});
