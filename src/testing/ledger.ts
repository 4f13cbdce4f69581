/**
 * The ledger: what the SC knew and what leaders promised, watched at the actors' boundary
 * (node-faults MessageObserver) — used to explain a failure by a known open bug instead of
 * leaving it unexplained (see known-bugs.ts).
 *
 * It follows, per partition, the SC's current leader and epoch (its ReplicaAssign messages) and
 * the in-sync set it would elect from (the SC's own set, from its ReplicaAssign and IsrChanged
 * messages; the newest report of its leader the SC received when it sends none), and judges every acknowledgement (ProduceAck) and every served
 * batch (FetchReply) a replica sends: it is **unsafe** when a replica the SC could make leader at
 * that moment — its leader, or a member of that in-sync set — does not hold the offsets. An
 * election can then lose them. Under a Kafka-like protocol (in-sync set changes go through the
 * controller) every acks=all acknowledgement is safe in this sense.
 *
 * It also notes which replicas led after a power loss cut their log (known-bugs.ts, bug B), and
 * checks one promise directly at the boundary: a read_committed fetch is answered only with
 * batches wholly below the HW the same reply carries (`pastHw`).
 */
import type { ActorId, Message } from '../runtime/actor.js';
import { replicaOf, SC_ID } from '../runtime/actor-ids.js';
import type { MessageObserver } from '../sim/node-faults.js';
import type { LogLoss } from '../sim/power-loss.js';
import type { Fetch, FetchReply, IsrChanged, ProduceAck, ReplicaAssign, ReplicaReport } from '../../actors/messages.js';
import type { Violation } from './checkers.js';
import { batchBaseOffset, batchLastOffset } from '../storage/batch-layout.js';

/**
 * Offsets [from, to] of a partition that a replica acknowledged or served unsafely: `zombie` when
 * the SC had made another replica leader, else `lacking` are the electable replicas without them.
 */
export interface UnsafeRange {
  tp: string; spu: number; from: number; to: number; at: number; why: string; zombie: boolean; lacking: number[];
  /** The in-sync set judged by was the SC's own (it sends one): no leader-local set at work. */
  scIsr?: boolean;
}

/** A power loss cut offsets [to, from) of a partition on `spu` at `at`; it was back at `until`. */
export interface PowerCut extends LogLoss { spu: number; at: number; until: number }

const isNewer = (r: ReplicaReport, prev: ReplicaReport | undefined) =>
  !prev || r.incarnation > prev.incarnation || (r.incarnation === prev.incarnation && r.seq > prev.seq);

export class Ledger implements MessageObserver {
  private readonly sc = new Map<string, { leader: number; epoch: number; replicas: number[]; isr?: number[]; isrVersion?: number }>();
  private readonly scReports = new Map<string, ReplicaReport>();
  readonly unsafe: UnsafeRange[] = [];
  /** read_committed fetches answered with batches at or past the reply's HW. */
  readonly pastHw: Violation[] = [];
  /** Isolation of each fetch a replica received, by `${replyTo}#${reqId}`. */
  private readonly isolation = new Map<string, string>();
  readonly cuts: PowerCut[] = [];
  /** Per partition: every (time, leader) the SC assigned, in order. */
  readonly leaders = new Map<string, { at: number; spu: number }[]>();
  /** Per leader replica: the in-sync sets it reported, in time order. */
  private readonly leaderIsr = new Map<ActorId, { at: number; inSync: number[] }[]>();

  constructor(private readonly leoOf: (spu: number, topic: string, partition: number) => number) {}

  received(to: ActorId, msg: Message): void {
    if (msg.type === 'Fetch') {
      const f = msg as Fetch;
      if (this.isolation.size > 10_000) this.isolation.clear(); // answered long ago
      this.isolation.set(`${f.replyTo}#${f.reqId}`, f.isolation);
      return;
    }
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
        this.sc.set(tp, { leader: a.leader, epoch: a.epoch, replicas: a.replicas, ...(a.isr ? { isr: a.isr, isrVersion: a.isrVersion ?? 0 } : {}) });
        const list = this.leaders.get(tp) ?? [];
        if (list[list.length - 1]?.spu !== a.leader) list.push({ at: now, spu: a.leader });
        this.leaders.set(tp, list);
      }
      return;
    }
    if (from === SC_ID && msg.type === 'IsrChanged') {
      // The SC's own in-sync set (actors/sc/isr.ts): what it elects from.
      const c = msg as IsrChanged;
      const s = this.sc.get(`${c.topic}/${c.partition}`);
      if (s && c.epoch === s.epoch && c.isrVersion > (s.isrVersion ?? -1)) Object.assign(s, { isr: c.isr, isrVersion: c.isrVersion });
      return;
    }
    const r = replicaOf(from);
    if (!r) return;
    const tp = `${r.topic}/${r.partition}`;
    if (msg.type === 'ReplicaStatus' || msg.type === 'ReportReply') {
      const rep = (msg as Message & { report: ReplicaReport }).report;
      if (rep.leader && rep.inSync) {
        const list = this.leaderIsr.get(from) ?? [];
        list.push({ at: now, inSync: rep.inSync });
        this.leaderIsr.set(from, list);
      }
    } else if (msg.type === 'ProduceAck') {
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

  /** A power loss cut `spu`'s logs at `at`; the SPU restarts at `until`. */
  powerLoss(spu: number, at: number, until: number, losses: LogLoss[]): void {
    for (const l of losses) this.cuts.push({ ...l, spu, at, until });
  }

  private judge(tp: string, topic: string, partition: number, spu: number, from: number, to: number, now: number, what: string): void {
    const s = this.sc.get(tp);
    if (!s) return;
    const isr = s.isr ?? this.scReports.get(`${tp}@${s.leader}`)?.inSync ?? s.replicas;
    const electable = [s.leader, ...isr.filter((id) => id !== s.leader && s.replicas.includes(id))];
    const lacking = electable.filter((id) => id !== spu && this.leoOf(id, topic, partition) <= to);
    if (lacking.length === 0) return;
    const zombie = s.leader !== spu;
    const why = zombie
      ? `${what} by SPU ${spu} after the SC made SPU ${s.leader} leader (epoch ${s.epoch}), which lacks it`
      : `${what} by leader SPU ${spu} while SPU ${lacking.join(', ')}, in sync as far as the SC knows, lacks it`;
    this.unsafe.push({ tp, spu, from, to, at: now, why, zombie, lacking, ...(s.isr ? { scIsr: true } : {}) });
  }

  /**
   * Whether `u` is the leader-local in-sync set at work: the SC had deposed the replica (zombie),
   * or the replica had itself dropped the lacking ones from its in-sync set (its next report, sent
   * the same instant as the acknowledgement, no longer lists them). An unsafe acknowledgement by a
   * leader that still counted the lacking replica in sync is another bug.
   */
  leaderLocal(u: UnsafeRange): boolean {
    // With the SC owning the set (actors/sc/isr.ts) neither form can happen: a leader never shrinks
    // it on its own, and a deposed one cannot commit what the replica that replaced it lacks.
    if (u.scIsr) return false;
    if (u.zombie) return true;
    const [topic, partition] = u.tp.split('/') as [string, string];
    const next = this.leaderIsr.get(`replica:${topic}:${partition}@${u.spu}`)?.find((x) => x.at >= u.at);
    return next !== undefined && u.lacking.every((id) => !next.inSync.includes(id));
  }

  /** Every unsafe acknowledgement or serve that covered (tp, offset). */
  unsafeAt(tp: string, offset: number): UnsafeRange[] {
    return this.unsafe.filter((u) => u.tp === tp && u.from <= offset && offset <= u.to);
  }
}
