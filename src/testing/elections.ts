/**
 * Elections as the SC makes them, watched at the actors' boundary (a MessageObserver): evidence
 * for the known bug `isr-fallback-election` (known-bugs.ts). actors/sc/election.ts picks a new
 * leader among the in-sync replicas named by the newest report of the *current* leader the SC
 * holds, and among all replicas when that report names none — which is the case right after an
 * election, until the new leader's first leader report arrives (or forever, if it died first). An
 * election made on that fallback that picks a replica lacking acknowledged records is recorded:
 * the records it lacks are lost to it.
 *
 * An assignment that carries the SC's own in-sync set (`isr`) is never a fallback.
 */
import type { ActorId, Message } from '../runtime/actor.js';
import { replicaOf, SC_ID } from '../runtime/actor-ids.js';
import type { MessageObserver } from '../sim/node-faults.js';
import type { ProduceAck, ReplicaAssign, ReplicaReport } from '../../actors/messages.js';

/** An election on the fallback set whose leader lacked acknowledged offsets [from, to]. */
export interface UncleanElection { tp: string; at: number; leader: number; from: number; to: number }

const isNewer = (r: ReplicaReport, prev: ReplicaReport | undefined) =>
  !prev || r.incarnation > prev.incarnation || (r.incarnation === prev.incarnation && r.seq > prev.seq);

export class ElectionWatch implements MessageObserver {
  private readonly current = new Map<string, { leader: number; epoch: number }>();
  private readonly reports = new Map<string, ReplicaReport>();
  /** Per partition: one past the highest acknowledged offset. */
  private readonly acked = new Map<string, number>();
  readonly unclean: UncleanElection[] = [];

  constructor(private readonly leoOf: (spu: number, topic: string, partition: number) => number) {}

  received(to: ActorId, msg: Message): void {
    if (to !== SC_ID) return;
    const reports = msg.type === 'SpuHeartbeat' || msg.type === 'SpuRegister' ? (msg as Message & { reports: ReplicaReport[] }).reports
      : msg.type === 'ReportReply' ? [(msg as Message & { report: ReplicaReport }).report] : [];
    for (const r of reports) {
      const k = `${r.topic}/${r.partition}@${r.spuId}`;
      if (isNewer(r, this.reports.get(k))) this.reports.set(k, r);
    }
  }

  sent(from: ActorId, _to: ActorId, msg: Message, now: number): void {
    if (msg.type === 'ProduceAck') {
      const r = replicaOf(from);
      const ack = msg as ProduceAck;
      if (!r || ack.error || ack.lastOffset < 0) return;
      const tp = `${r.topic}/${r.partition}`;
      this.acked.set(tp, Math.max(this.acked.get(tp) ?? 0, ack.lastOffset + 1));
      return;
    }
    if (from !== SC_ID || msg.type !== 'ReplicaAssign') return;
    const a = msg as ReplicaAssign & { isr?: number[] };
    const tp = `${a.topic}/${a.partition}`;
    const prev = this.current.get(tp);
    if (prev && a.epoch <= prev.epoch) return;
    this.current.set(tp, { leader: a.leader, epoch: a.epoch });
    if (!prev || a.leader === prev.leader || a.isr) return;
    const basis = this.reports.get(`${tp}@${prev.leader}`)?.inSync;
    const leo = this.leoOf(a.leader, a.topic, a.partition);
    const acked = this.acked.get(tp) ?? 0;
    if (basis === undefined && leo < acked) this.unclean.push({ tp, at: now, leader: a.leader, from: Math.max(0, leo), to: acked - 1 });
  }
}
