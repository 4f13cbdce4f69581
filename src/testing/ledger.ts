/**
 * The ledger: what the SC knew and what replicas promised, watched at the actors' boundary
 * (node-faults MessageObserver).
 *
 * - It follows, per partition, the SC's leader, epoch and in-sync set (its ReplicaAssign and
 *   IsrChanged messages), and notes every acknowledgement (ProduceAck) or served batch
 *   (FetchReply) sent while a replica the SC could make leader — its leader, or a member of its
 *   in-sync set — does not hold those offsets (`unsafe`, a count in each result). With the SC
 *   owning the set (actors/sc/isr.ts) that happens only in the window where a replica just lost
 *   its unsynced tail to a power loss and the SC has not yet seen its SPU go.
 * - It tells the fault schedule whether an SPU leads a partition alone in its in-sync set
 *   (`soleInSync`: a power loss there may take acknowledged records nobody promised to keep).
 * - It checks one promise itself: a read_committed fetch is answered only with batches wholly
 *   below the HW the same reply carries (`pastHw`, checker read-committed).
 */
import type { ActorId, Message } from '../runtime/actor.js';
import { replicaOf, SC_ID } from '../runtime/actor-ids.js';
import type { MessageObserver } from '../sim/node-faults.js';
import type { Fetch, FetchReply, IsrChanged, ProduceAck, ReplicaAssign } from '../../actors/messages.js';
import type { Violation } from './checkers.js';
import { batchBaseOffset, batchLastOffset } from '../storage/batch-layout.js';

/** Offsets [from, to] of a partition a replica acknowledged or served while an electable replica lacked them. */
export interface UnsafeRange { tp: string; spu: number; from: number; to: number; at: number; why: string }

export class Ledger implements MessageObserver {
  private readonly sc = new Map<string, { leader: number; epoch: number; replicas: number[]; isr?: number[]; isrVersion: number }>();
  readonly unsafe: UnsafeRange[] = [];
  /** read_committed fetches answered with batches at or past the reply's HW. */
  readonly pastHw: Violation[] = [];
  /** Isolation of each fetch a replica received, by `${replyTo}#${reqId}`. */
  private readonly isolation = new Map<string, string>();

  constructor(private readonly leoOf: (spu: number, topic: string, partition: number) => number) {}

  received(_to: ActorId, msg: Message): void {
    if (msg.type !== 'Fetch') return;
    const f = msg as Fetch;
    if (this.isolation.size > 10_000) this.isolation.clear(); // answered long ago
    this.isolation.set(`${f.replyTo}#${f.reqId}`, f.isolation);
  }

  sent(from: ActorId, to: ActorId, msg: Message, now: number): void {
    if (from === SC_ID) return this.fromSc(msg, now);
    const r = replicaOf(from);
    if (!r) return;
    const tp = `${r.topic}/${r.partition}`;
    if (msg.type === 'ProduceAck') {
      const ack = msg as ProduceAck;
      if (!ack.error && ack.lastOffset >= 0) this.judge(tp, r.topic, r.partition, r.spuId, ack.baseOffset, ack.lastOffset, now, 'acknowledged');
    } else if (msg.type === 'FetchReply') {
      const f = msg as FetchReply;
      if (f.batches.length === 0) return;
      const last = batchLastOffset(f.batches[f.batches.length - 1]!);
      this.judge(tp, r.topic, r.partition, r.spuId, batchBaseOffset(f.batches[0]!), last, now, 'served');
      const key = `${to}#${f.reqId}`;
      if (this.isolation.get(key) === 'read_committed' && last >= f.hw) {
        this.pastHw.push({ checker: 'read-committed', text: `SPU ${r.spuId} served ${tp} up to offset ${last} to a read_committed fetch, past its HW ${f.hw}`, tp, offset: last });
      }
      this.isolation.delete(key);
    }
  }

  private fromSc(msg: Message, now: number): void {
    if (msg.type === 'ReplicaAssign') {
      const a = msg as ReplicaAssign & { isr?: number[]; isrVersion?: number };
      const tp = `${a.topic}/${a.partition}`;
      const prev = this.sc.get(tp);
      if (prev && (a.epoch < prev.epoch || (a.epoch === prev.epoch && a.leader === prev.leader && (a.isrVersion ?? 0) <= prev.isrVersion))) return;
      this.sc.set(tp, { leader: a.leader, epoch: a.epoch, replicas: a.replicas, isrVersion: a.isrVersion ?? 0, ...(a.isr ? { isr: a.isr } : {}) });
    } else if (msg.type === 'IsrChanged') {
      const c = msg as IsrChanged;
      const s = this.sc.get(`${c.topic}/${c.partition}`);
      if (s && c.epoch === s.epoch && c.isrVersion > s.isrVersion) Object.assign(s, { isr: c.isr, isrVersion: c.isrVersion });
    }
  }

  /** Whether `spu` leads the partition with the SC's in-sync set holding nobody else (as far as the SC said). */
  soleInSync(spu: number, topic: string, partition: number): boolean {
    const s = this.sc.get(`${topic}/${partition}`);
    return s !== undefined && s.leader === spu && (s.isr ?? s.replicas).every((id) => id === spu || !s.replicas.includes(id));
  }

  private judge(tp: string, topic: string, partition: number, spu: number, from: number, to: number, now: number, what: string): void {
    const s = this.sc.get(tp);
    if (!s) return;
    const electable = [s.leader, ...(s.isr ?? s.replicas).filter((id) => id !== s.leader && s.replicas.includes(id))];
    const lacking = electable.filter((id) => id !== spu && this.leoOf(id, topic, partition) <= to);
    if (lacking.length === 0) return;
    const why = s.leader !== spu
      ? `${what} by SPU ${spu} after the SC made SPU ${s.leader} leader (epoch ${s.epoch})`
      : `${what} by leader SPU ${spu} while SPU ${lacking.join(', ')}, in sync as far as the SC knows, lacks it`;
    this.unsafe.push({ tp, spu, from, to, at: now, why });
  }
}
