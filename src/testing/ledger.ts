/**
 * The ledger: what the SC knew and what leaders promised, watched at the actors' boundary
 * (node-faults MessageObserver) — used to explain a failure by a known open bug instead of
 * leaving it unexplained (see known-bugs.ts).
 *
 * It follows, per partition, the SC's current leader and epoch (its ReplicaAssign messages) and
 * the in-sync set it would elect from (the newest report of its leader the SC received, as
 * actors/sc/election.ts reads it), and judges every acknowledgement (ProduceAck) and every served
 * batch (FetchReply) a replica sends: it is **unsafe** when a replica the SC could make leader at
 * that moment — its leader, or a member of that in-sync set — does not hold the offsets. An
 * election can then lose them. Under a Kafka-like protocol (in-sync set changes go through the
 * controller) every acks=all acknowledgement is safe in this sense.
 *
 * It also notes which replicas led after a power loss cut their log (known-bugs.ts, bug B).
 */
import type { ActorId, Message } from '../runtime/actor.js';
import { replicaOf, SC_ID } from '../runtime/actor-ids.js';
import type { MessageObserver } from '../sim/node-faults.js';
import type { LogLoss } from '../sim/power-loss.js';
import type { FetchReply, ProduceAck, ReplicaAssign, ReplicaReport } from '../../actors/messages.js';
import { batchBaseOffset, batchLastOffset } from '../storage/batch-layout.js';

/** Offsets [from, to] of a partition that a replica acknowledged or served unsafely. */
export interface UnsafeRange { tp: string; spu: number; from: number; to: number; at: number; why: string }

/** A power loss cut offsets [to, from) of a partition on `spu` at `at`; it was back at `until`. */
export interface PowerCut extends LogLoss { spu: number; at: number; until: number }

const isNewer = (r: ReplicaReport, prev: ReplicaReport | undefined) =>
  !prev || r.incarnation > prev.incarnation || (r.incarnation === prev.incarnation && r.seq > prev.seq);

export class Ledger implements MessageObserver {
  private readonly sc = new Map<string, { leader: number; epoch: number; replicas: number[] }>();
  private readonly scReports = new Map<string, ReplicaReport>();
  readonly unsafe: UnsafeRange[] = [];
  readonly cuts: PowerCut[] = [];
  /** Per partition: every (time, leader) the SC assigned, in order. */
  readonly leaders = new Map<string, { at: number; spu: number }[]>();

  constructor(private readonly leoOf: (spu: number, topic: string, partition: number) => number) {}

  received(to: ActorId, msg: Message): void {
    if (to !== SC_ID) return;
    const reports = msg.type === 'SpuHeartbeat' || msg.type === 'SpuRegister' ? (msg as Message & { reports: ReplicaReport[] }).reports
      : msg.type === 'ReportReply' ? [(msg as Message & { report: ReplicaReport }).report] : [];
    for (const r of reports) {
      const k = `${r.topic}/${r.partition}@${r.spuId}`;
      if (isNewer(r, this.scReports.get(k))) this.scReports.set(k, r);
    }
  }

  sent(from: ActorId, to: ActorId, msg: Message, now: number): void {
    if (from === SC_ID && msg.type === 'ReplicaAssign') {
      const a = msg as ReplicaAssign;
      const tp = `${a.topic}/${a.partition}`;
      const prev = this.sc.get(tp);
      if (!prev || a.epoch > prev.epoch || (a.epoch === prev.epoch && a.leader !== prev.leader)) {
        this.sc.set(tp, { leader: a.leader, epoch: a.epoch, replicas: a.replicas });
        const list = this.leaders.get(tp) ?? [];
        if (list[list.length - 1]?.spu !== a.leader) list.push({ at: now, spu: a.leader });
        this.leaders.set(tp, list);
      }
      return;
    }
    const r = replicaOf(from);
    if (!r) return;
    const tp = `${r.topic}/${r.partition}`;
    if (msg.type === 'ProduceAck') {
      const ack = msg as ProduceAck;
      if (!ack.error && ack.lastOffset >= 0) this.judge(tp, r.topic, r.partition, r.spuId, ack.baseOffset, ack.lastOffset, now, 'acknowledged');
    } else if (msg.type === 'FetchReply') {
      const f = msg as FetchReply;
      if (f.batches.length > 0) this.judge(tp, r.topic, r.partition, r.spuId, batchBaseOffset(f.batches[0]!), batchLastOffset(f.batches[f.batches.length - 1]!), now, 'served');
    }
  }

  /** A power loss cut `spu`'s logs at `at`; the SPU restarts at `until`. */
  powerLoss(spu: number, at: number, until: number, losses: LogLoss[]): void {
    for (const l of losses) this.cuts.push({ ...l, spu, at, until });
  }

  private judge(tp: string, topic: string, partition: number, spu: number, from: number, to: number, now: number, what: string): void {
    const s = this.sc.get(tp);
    if (!s) return;
    const isr = this.scReports.get(`${tp}@${s.leader}`)?.inSync ?? s.replicas;
    const electable = [s.leader, ...isr.filter((id) => id !== s.leader && s.replicas.includes(id))];
    const lacking = electable.filter((id) => id !== spu && this.leoOf(id, topic, partition) <= to);
    if (lacking.length === 0) return;
    const why = s.leader !== spu
      ? `${what} by SPU ${spu} after the SC made SPU ${s.leader} leader (epoch ${s.epoch}), which lacks it`
      : `${what} by leader SPU ${spu} while SPU ${lacking.join(', ')}, in sync as far as the SC knows, lacks it`;
    this.unsafe.push({ tp, spu, from, to, at: now, why });
  }

  /** Why (tp, offset) was acknowledged or served unsafely, if it was. */
  unsafeAt(tp: string, offset: number): UnsafeRange | undefined {
    return this.unsafe.find((u) => u.tp === tp && u.from <= offset && offset <= u.to);
  }
}
