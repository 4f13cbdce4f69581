/**
 * The ledger and the known-bug oracle on hand-made message sequences: an acknowledgement is
 * counted unsafe only when a replica the SC could elect (its leader, its own in-sync set) lacks
 * the record; a record cut by a power loss is put down to an unclean return only when the cut
 * replica led again; a read_committed fetch answered past the HW is caught and never explained
 * away; anything else stays unexplained (a new bug).
 */
import { describe, it, expect } from 'vitest';
import { Ledger } from '../../src/testing/ledger.js';
import { explain, explainAll } from '../../src/testing/known-bugs.js';
import type { Violation } from '../../src/testing/checkers.js';
import type { Message } from '../../src/runtime/actor.js';

const assign = (leader: number, epoch: number, isr: number[], isrVersion = epoch) =>
  ({ type: 'ReplicaAssign', topic: 't', partition: 0, leader, replicas: [leader, ...[1, 2].filter((x) => x !== leader)], epoch, config: {}, isr, isrVersion }) as Message;
const ack = (from: number, to: number) => ({ type: 'ProduceAck', reqId: 1, baseOffset: from, lastOffset: to }) as Message;
const lost = (offset: number): Violation => ({ checker: 'acked-readable', text: 'lost', tp: 't/0', offset });

function setup() {
  const leo = new Map<number, number>([[1, 10], [2, 5]]);
  const ledger = new Ledger((spu) => leo.get(spu) ?? -1);
  ledger.sent('sc', 'spu-1', assign(1, 0, [1, 2]), 0);
  return { ledger, leo };
}

describe('ledger and known bugs', () => {
  it('counts an ack unsafe only when a replica the SC could elect lacks it', () => {
    const { ledger } = setup();
    ledger.sent('replica:t:0@1', 'client:1', ack(0, 4), 10);
    expect(ledger.unsafe).toEqual([]);
    ledger.sent('replica:t:0@1', 'client:1', ack(5, 9), 20); // SPU 2 (in the SC's set) holds up to 4
    expect(ledger.unsafe).toMatchObject([{ tp: 't/0', spu: 1, from: 5, to: 9 }]);
    ledger.sent('sc', 'replica:t:0@1', { type: 'IsrChanged', topic: 't', partition: 0, epoch: 0, isrVersion: 1, isr: [1] } as Message, 30);
    ledger.sent('replica:t:0@1', 'client:1', ack(5, 9), 40); // the SC dropped SPU 2: safe
    expect(ledger.unsafe).toHaveLength(1);
    expect(explain(lost(7), ledger)).toBeUndefined(); // an unsafe ack explains nothing by itself
  });

  it('unclean-leader-return: a replica cut by a power loss led again after it came back', () => {
    const { ledger } = setup();
    ledger.powerLoss(1, 100, 3_000, [{ topic: 't', partition: 0, from: 10, to: 6, torn: false }]);
    expect(explain(lost(7), ledger)).toBe('unclean-leader-return'); // still the SC's leader on return
    expect(explain(lost(5), ledger)).toBeUndefined(); // below the cut: not this bug
    expect(explainAll([lost(7), lost(8)], ledger)).toBe('unclean-leader-return');
    expect(explainAll([lost(7), { checker: 'transitions', text: 'x' }], ledger)).toBeUndefined();
    const other = setup().ledger;
    other.powerLoss(1, 100, 3_000, [{ topic: 't', partition: 0, from: 10, to: 6, torn: false }]);
    other.sent('sc', 'spu-2', assign(2, 1, [2]), 2_000); // elected away while SPU 1 was down
    expect(explain(lost(7), other)).toBeUndefined();
    other.sent('sc', 'spu-1', assign(1, 2, [1, 2]), 5_000); // …and back to it later
    expect(explain(lost(7), other)).toBe('unclean-leader-return');
  });

  it('read_committed fetches answered past the HW are caught at the boundary, never explained away', () => {
    const { ledger } = setup();
    ledger.received('replica:t:0@1', { type: 'Fetch', reqId: 7, replyTo: 'client:1', offset: 0, isolation: 'read_committed', maxBytes: 1, waitMs: 0 } as Message);
    const batch = new Uint8Array(61);
    new DataView(batch.buffer).setInt32(23, 3); // offsets 0..3
    ledger.sent('replica:t:0@1', 'client:1', { type: 'FetchReply', reqId: 7, batches: [batch], hw: 2, leo: 4, base: 0 } as Message, 20);
    expect(ledger.pastHw).toHaveLength(1);
    ledger.powerLoss(1, 10, 30, [{ topic: 't', partition: 0, from: 4, to: 0, torn: false }]);
    expect(explain(ledger.pastHw[0]!, ledger)).toBeUndefined();
  });
});
