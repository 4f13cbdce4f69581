/**
 * The ledger on hand-made message sequences: an acknowledgement is counted unsafe only when a
 * replica the SC could elect (its leader, its own in-sync set) lacks the record; it knows when an
 * SPU leads alone in the SC's in-sync set (the fault schedule spares it a power loss); a
 * read_committed fetch answered past the HW is caught.
 */
import { describe, it, expect } from 'vitest';
import { Ledger } from '../../src/testing/ledger.js';
import type { Message } from '../../src/runtime/actor.js';

const assign = (leader: number, epoch: number, isr: number[], isrVersion = epoch) =>
  ({ type: 'ReplicaAssign', topic: 't', partition: 0, leader, replicas: [leader, ...[1, 2].filter((x) => x !== leader)], epoch, config: {}, isr, isrVersion }) as Message;
const ack = (from: number, to: number) => ({ type: 'ProduceAck', reqId: 1, baseOffset: from, lastOffset: to }) as Message;

function setup() {
  const leo = new Map<number, number>([[1, 10], [2, 5]]);
  const ledger = new Ledger((spu) => leo.get(spu) ?? -1);
  ledger.sent('sc', 'spu-1', assign(1, 0, [1, 2]), 0);
  return { ledger, leo };
}

describe('ledger', () => {
  it('counts an ack unsafe only when a replica the SC could elect lacks it', () => {
    const { ledger } = setup();
    ledger.sent('replica:t:0@1', 'client:1', ack(0, 4), 10);
    expect(ledger.unsafe).toEqual([]);
    ledger.sent('replica:t:0@1', 'client:1', ack(5, 9), 20); // SPU 2 (in the SC's set) holds up to 4
    expect(ledger.unsafe).toMatchObject([{ tp: 't/0', spu: 1, from: 5, to: 9 }]);
    ledger.sent('sc', 'replica:t:0@1', { type: 'IsrChanged', topic: 't', partition: 0, epoch: 0, isrVersion: 1, isr: [1] } as Message, 30);
    ledger.sent('replica:t:0@1', 'client:1', ack(5, 9), 40); // the SC dropped SPU 2: safe
    expect(ledger.unsafe).toHaveLength(1);
  });

  it('knows when an SPU leads a partition alone in the SC\'s in-sync set', () => {
    const { ledger } = setup();
    expect(ledger.soleInSync(1, 't', 0)).toBe(false); // SPU 2 is in the set
    ledger.sent('sc', 'replica:t:0@1', { type: 'IsrChanged', topic: 't', partition: 0, epoch: 0, isrVersion: 1, isr: [1] } as Message, 30);
    expect(ledger.soleInSync(1, 't', 0)).toBe(true);
    expect(ledger.soleInSync(2, 't', 0)).toBe(false); // not the leader
    expect(ledger.soleInSync(1, 'other', 0)).toBe(false);
  });

  it('read_committed fetches answered past the HW are caught at the boundary', () => {
    const { ledger } = setup();
    ledger.received('replica:t:0@1', { type: 'Fetch', reqId: 7, replyTo: 'client:1', offset: 0, isolation: 'read_committed', maxBytes: 1, waitMs: 0 } as Message);
    const batch = new Uint8Array(61);
    new DataView(batch.buffer).setInt32(23, 3); // offsets 0..3
    ledger.sent('replica:t:0@1', 'client:1', { type: 'FetchReply', reqId: 7, batches: [batch], hw: 2, leo: 4, base: 0 } as Message, 20);
    expect(ledger.pastHw).toHaveLength(1);
  });
});
