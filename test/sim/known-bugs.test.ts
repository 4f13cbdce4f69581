/**
 * The ledger and the known-bug oracle on hand-made message sequences: an acknowledgement is
 * unsafe only when a replica the SC could elect lacks the record; it is put down to the known
 * leader-local in-sync set only when the SC had deposed the leader or the leader itself had
 * dropped the lacking replica; a record cut by a power loss is put down to an unclean return only
 * when the cut replica led again; to an election on the SC's fallback in-sync set (all replicas)
 * only when the elected replica lacked acknowledged records. Anything else stays unexplained.
 */
import { describe, it, expect } from 'vitest';
import { Ledger } from '../../src/testing/ledger.js';
import { ElectionWatch } from '../../src/testing/elections.js';
import { explain, explainAll } from '../../src/testing/known-bugs.js';
import type { Violation } from '../../src/testing/checkers.js';
import type { Message } from '../../src/runtime/actor.js';

const assign = (leader: number, epoch: number) =>
  ({ type: 'ReplicaAssign', topic: 't', partition: 0, leader, replicas: [leader, ...[1, 2].filter((x) => x !== leader)], epoch, config: {} }) as Message;
const report = (spuId: number, inSync: number[], seq: number) =>
  ({ topic: 't', partition: 0, spuId, leader: true, epoch: 0, hw: 0, leo: 0, base: 0, sizeBytes: 0, outOfSpace: false, incarnation: 1, seq, inSync });
const ack = (from: number, to: number) => ({ type: 'ProduceAck', reqId: 1, baseOffset: from, lastOffset: to }) as Message;
const lost = (offset: number): Violation => ({ checker: 'acked-readable', text: 'lost', tp: 't/0', offset });

function setup() {
  const leo = new Map<number, number>([[1, 10], [2, 5]]);
  const ledger = new Ledger((spu) => leo.get(spu) ?? -1);
  ledger.sent('sc', 'spu-1', assign(1, 0), 0);
  ledger.received('sc', { type: 'SpuHeartbeat', spuId: 1, reports: [report(1, [1, 2], 1)], storageFull: false, full: true } as Message);
  return { ledger, leo };
}

describe('known-bug evidence', () => {
  it('an ack is safe when every replica the SC could elect holds it', () => {
    const { ledger } = setup();
    ledger.sent('replica:t:0@1', 'client:1', ack(0, 4), 10);
    expect(ledger.unsafe).toEqual([]);
    expect(explain(lost(3), ledger)).toBeUndefined();
  });

  it('leader-local-isr: the leader dropped the follower on its own and acked what it lacks', () => {
    const { ledger } = setup();
    ledger.sent('replica:t:0@1', 'client:1', ack(5, 9), 10);
    ledger.sent('replica:t:0@1', 'spu-1', { type: 'ReplicaStatus', report: report(1, [1], 2) } as Message, 10);
    expect(ledger.unsafe[0]).toMatchObject({ tp: 't/0', from: 5, to: 9, zombie: false, lacking: [2] });
    expect(explain(lost(7), ledger)).toBe('leader-local-isr');
    expect(explainAll([lost(7), lost(8)], ledger)).toBe('leader-local-isr');
    expect(explainAll([lost(7), { checker: 'converged', text: 'differs' }], ledger)).toBeUndefined();
  });

  it('leader-local-isr: a deposed leader (zombie) acks after the SC moved leadership', () => {
    const { ledger } = setup();
    ledger.sent('sc', 'spu-2', assign(2, 1), 5);
    ledger.sent('replica:t:0@1', 'client:1', ack(5, 9), 10);
    expect(ledger.unsafe[0]).toMatchObject({ zombie: true });
    expect(explain(lost(6), ledger)).toBe('leader-local-isr');
  });

  it('an unsafe ack by a leader that still counted the follower in sync is a new bug', () => {
    const { ledger } = setup();
    ledger.sent('replica:t:0@1', 'client:1', ack(5, 9), 10);
    ledger.sent('replica:t:0@1', 'spu-1', { type: 'ReplicaStatus', report: report(1, [1, 2], 2) } as Message, 10);
    expect(ledger.unsafe).toHaveLength(1);
    expect(explain(lost(6), ledger)).toBeUndefined();
  });

  it('unclean-leader-return: a replica cut by a power loss led again after it came back', () => {
    const { ledger } = setup();
    ledger.powerLoss(1, 100, 3_000, [{ topic: 't', partition: 0, from: 10, to: 6, torn: false }]);
    expect(explain(lost(7), ledger)).toBe('unclean-leader-return'); // still the SC's leader on return
    expect(explain(lost(5), ledger)).toBeUndefined(); // below the cut: not this bug
    const other = setup().ledger;
    other.powerLoss(1, 100, 3_000, [{ topic: 't', partition: 0, from: 10, to: 6, torn: false }]);
    other.sent('sc', 'spu-2', assign(2, 1), 2_000); // elected away while SPU 1 was down
    expect(explain(lost(7), other)).toBeUndefined();
    other.sent('sc', 'spu-1', assign(1, 2), 5_000); // …and back to it later
    expect(explain(lost(7), other)).toBe('unclean-leader-return');
  });

  it('read_committed fetches answered past the HW are caught at the boundary, never explained away', () => {
    const { ledger } = setup();
    ledger.received('replica:t:0@1', { type: 'Fetch', reqId: 7, replyTo: 'client:1', offset: 0, isolation: 'read_committed', maxBytes: 1, waitMs: 0 } as Message);
    const batch = new Uint8Array(61);
    new DataView(batch.buffer).setInt32(23, 3); // offsets 0..3
    ledger.sent('replica:t:0@1', 'client:1', { type: 'FetchReply', reqId: 7, batches: [batch], hw: 2, leo: 4, base: 0 } as Message, 20);
    expect(ledger.pastHw).toHaveLength(1);
    expect(explain(ledger.pastHw[0]!, ledger)).toBeUndefined();
  });

  it('isr-fallback-election: a second election before the new leader reported picks one lacking acked records', () => {
    const leo = new Map<number, number>([[1, 4], [2, 4], [3, 0]]);
    const w = new ElectionWatch((spu) => leo.get(spu) ?? -1);
    const { ledger } = setup();
    const assign3 = (leader: number, epoch: number) =>
      ({ type: 'ReplicaAssign', topic: 't', partition: 0, leader, replicas: [leader, ...[1, 2, 3].filter((x) => x !== leader)], epoch, config: {} }) as Message;
    w.sent('sc', 'spu-2', assign3(2, 0), 0);
    w.received('sc', { type: 'SpuHeartbeat', spuId: 2, reports: [{ ...report(2, [1, 2], 1), spuId: 2 }], storageFull: false, full: true } as Message);
    w.sent('replica:t:0@2', 'client:1', ack(0, 3), 10);
    w.sent('sc', 'spu-1', assign3(1, 1), 20); // SPU 2 lost: SPU 1 (in sync, holds 0..3) — fine
    expect(w.unclean).toEqual([]);
    // SPU 1's newest report at the SC is a follower's (it died before reporting as leader): fallback.
    w.received('sc', { type: 'SpuHeartbeat', spuId: 1, reports: [{ ...report(1, [1], 1), leader: false, inSync: undefined }], storageFull: false, full: true } as Message);
    w.sent('sc', 'spu-3', assign3(3, 2), 30);
    expect(w.unclean).toEqual([{ tp: 't/0', at: 30, leader: 3, from: 0, to: 3 }]);
    expect(explain(lost(2), ledger, w)).toBe('isr-fallback-election');
    expect(explain(lost(2), ledger)).toBeUndefined();
    // An assignment carrying the SC's own in-sync set is never a fallback.
    const w2 = new ElectionWatch((spu) => leo.get(spu) ?? -1);
    w2.sent('sc', 'spu-2', assign3(2, 0), 0);
    w2.sent('replica:t:0@2', 'client:1', ack(0, 3), 10);
    w2.sent('sc', 'spu-3', { ...assign3(3, 1), isr: [3] } as Message, 20);
    expect(w2.unclean).toEqual([]);
  });
});
