/**
 * A seed's workload (DESIGN §9), through the embedded API on the sim host: several producers
 * (acks=all) send bursts of unique values over phase one and consumers tail partitions
 * (read_committed), committing their positions as they go; everything observed is recorded for
 * the checkers.
 *
 * Producers retry twice over: the producer retries retriable errors itself (NOT_LEADER, TIMEOUT, …)
 * until its delivery timeout; a record that still failed (or met OUT_OF_SPACE) is sent again by the
 * application later, as a new value (`…-a<attempt>`), as an app that must not drop data would.
 * Values are unique per attempt, so "exactly once" is judged per value. A send that fails with an
 * error no fault explains (INVALID_*, CORRUPT_BATCH, …), or gives up on a retriable one before its
 * delivery timeout, is a problem (correctness).
 *
 * Delivery promise, per producer: a producer that got a producer id from the SC is idempotent —
 * the cluster promises each of its values at most once in the log, and each acknowledged one
 * exactly once at its acknowledged offset. A producer without one (`idempotent: false`, or a
 * cluster that grants no ids) is at-least-once: duplicates of its values are tolerated by the
 * checkers, missing acknowledged ones are not.
 */
import type { Cluster } from '../cluster/cluster.js';
import { GroupClient } from '../cluster/groups.js';
import { Offset } from '../cluster/offset.js';
import type { PartitionConsumer } from '../cluster/consumer.js';
import type { ProducerOptions } from '../cluster/producer.js';
import { RivuletError, ErrorCode } from '../runtime/errors.js';
import type { Violation } from './checkers.js';
import type { ConsumerPlan, ProducerPlan, SimRunConfig } from './sim-config.js';

export interface AckedRecord { topic: string; partition: number; offset: number; value: string; producer: number }
export interface ConsumedRecord { consumer: number; topic: string; partition: number; offset: number; value: string }
export interface CommitRecord { group: string; topic: string; partition: number; offset: number; acked: boolean }

const MAX_ATTEMPTS = 4;
const MAX_PENDING_BURSTS = 4;
/** Errors no fault explains (the workload's records are all valid): a bug wherever they come from. */
const FATAL = new Set<string>([
  ErrorCode.INVALID_ARGUMENT, ErrorCode.INVALID_CONFIG, ErrorCode.UNKNOWN_TOPIC, ErrorCode.UNKNOWN_PARTITION,
  ErrorCode.RECORD_TOO_LARGE, ErrorCode.CORRUPT_BATCH, ErrorCode.STORAGE_ERROR, ErrorCode.INTERNAL,
]);
/**
 * The sim transport runs the simulation inside whichever client call is waiting, so a client's
 * sleep blocks the others for as long: sleep in short steps towards an absolute time instead, and
 * every loop wakes within a few steps of its own time (no stacking of concurrent sleeps).
 */
const STEP_MS = 25;

export async function sleepUntil(c: Cluster, t: number): Promise<void> {
  while (c.transport.now() < t) await c.transport.sleep(Math.min(STEP_MS, t - c.transport.now()));
}
const decoder = new TextDecoder();

export class Workload {
  readonly acked: AckedRecord[] = [];
  readonly consumed: ConsumedRecord[] = [];
  readonly commits: CommitRecord[] = [];
  /** Per producer: whether it promised exactly-once (got a producer id). */
  readonly idempotent: boolean[] = [];
  /** Values handed to a producer, per producer (attempts included). */
  readonly sent: Set<string>[] = [];
  /** Sends that failed for good after the producer's own retries, by error code. */
  readonly failures = new Map<string, number>();
  /** What went wrong that no fault explains (unexpected errors): correctness problems. */
  readonly problems: Violation[] = [];
  private readonly consumers: PartitionConsumer[] = [];
  private stopped = false;

  constructor(private readonly c: Cluster, private readonly cfg: SimRunConfig) {}

  private get now(): number {
    return this.c.transport.now();
  }

  /** Run the producers until they sent everything or `endAt` passed; consumers run until stop(). */
  async produce(endAt: number): Promise<Promise<void>[]> {
    const consumers = this.cfg.consumers.map((plan, i) => this.consume(plan, i));
    await Promise.all(this.cfg.producers.map((plan, i) => this.producer(plan, i, endAt)));
    return consumers;
  }

  /** Stop the consumers (they end their current poll). */
  stop(): void {
    this.stopped = true;
    for (const c of this.consumers) c.close();
  }

  private problem(text: string, where: { tp?: string; offset?: number } = {}): void {
    this.problems.push({ checker: 'workload', text, ...where });
  }

  private async producer(plan: ProducerPlan, idx: number, endAt: number): Promise<void> {
    const sent = new Set<string>();
    this.sent[idx] = sent;
    const opts: ProducerOptions & { idempotent?: boolean } = {
      acks: 'all', idempotent: plan.idempotent, requestTimeoutMs: plan.requestTimeoutMs, deliveryTimeoutMs: plan.deliveryTimeoutMs,
    };
    const producer = await this.c.producer(plan.topic, opts);
    const gapMs = Math.max(1, Math.floor(this.cfg.durationMs / Math.ceil(plan.records / plan.burst)));
    const todo: { i: number; attempt: number }[] = [];
    const pending = new Set<Promise<void>>();
    let next = 0;
    // A burst every gapMs, not waiting for the earlier ones (several batches in flight per
    // partition), at most MAX_PENDING_BURSTS unanswered.
    while (this.now < endAt && (next < plan.records || todo.length > 0)) {
      if (pending.size >= MAX_PENDING_BURSTS) {
        await Promise.race(pending);
        continue;
      }
      const burst: { i: number; attempt: number }[] = todo.splice(0, plan.burst);
      while (burst.length < plan.burst && next < plan.records) burst.push({ i: next++, attempt: 0 });
      const done = Promise.all(burst.map(({ i, attempt }) => {
        const value = `s${this.cfg.seed}-${plan.topic}-p${idx}-r${i}-a${attempt}`.padEnd(plan.valueBytes, 'x');
        sent.add(value);
        const sentAt = this.now;
        return producer.send(plan.keyed ? `k${i % 17}` : null, value).then(
          (m) => void this.acked.push({ topic: plan.topic, partition: m.partition, offset: m.offset, value, producer: idx }),
          (err: unknown) => {
            const code = err instanceof RivuletError ? err.code : 'non-rivulet';
            this.failures.set(code, (this.failures.get(code) ?? 0) + 1);
            const what = `producer ${idx}: send of ${value.slice(0, 40)} failed after ${this.now - sentAt} ms`;
            if (!(err instanceof RivuletError) || FATAL.has(err.code)) this.problem(`${what}: ${String(err)}`);
            else if (err.code !== ErrorCode.OUT_OF_SPACE && this.now - sentAt < plan.deliveryTimeoutMs) {
              this.problem(`${what}, before its delivery timeout (${plan.deliveryTimeoutMs} ms): ${String(err)}`);
            } else if (attempt + 1 < MAX_ATTEMPTS) todo.push({ i, attempt: attempt + 1 });
          },
        );
      })).then(() => void pending.delete(done));
      pending.add(done);
      await sleepUntil(this.c, Math.min(endAt, this.now + gapMs));
    }
    await Promise.all(pending);
    const id = (producer as { producerId?: unknown }).producerId;
    this.idempotent[idx] = id !== undefined && id !== null;
    await producer.close().catch(() => {}); // every receipt was awaited above
  }

  private async consume(plan: ConsumerPlan, idx: number): Promise<void> {
    const group = `sim-c${idx}`;
    const groups = new GroupClient(this.c.transport, 10_000);
    let consumer: PartitionConsumer;
    try {
      consumer = await this.c.consumer(plan.topic, { partition: plan.partition, offset: Offset.beginning(), waitMs: plan.waitMs });
    } catch (err) {
      if (!this.stopped) this.problem(`consumer ${idx}: could not start: ${String(err)}`);
      return;
    }
    this.consumers.push(consumer);
    if (this.stopped) consumer.close();
    let lastCommit = this.now;
    const commit = async (offset: number) => {
      const rec: CommitRecord = { group, topic: plan.topic, partition: plan.partition, offset, acked: false };
      this.commits.push(rec);
      try {
        const r = await groups.call({ type: 'OffsetCommit', groupId: group, memberId: '', generationId: -1, offsets: [{ topic: plan.topic, partition: plan.partition, offset, metadata: null }] });
        rec.acked = r.results.every((x) => x.errorCode === 0);
      } catch {
        // Timed out: the commit may or may not have been applied.
      }
    };
    try {
      for await (const b of consumer.batches()) {
        for (const r of b.records) {
          this.consumed.push({ consumer: idx, topic: plan.topic, partition: plan.partition, offset: r.offset, value: decoder.decode(r.value) });
        }
        if (this.now - lastCommit >= plan.commitEveryMs) {
          lastCommit = this.now;
          await commit(consumer.position);
        }
      }
    } catch (err) {
      // Once stopped, a consumer's last poll may end in any error (closed mid-retry): not a problem.
      if (!this.stopped) {
        const last = consumer.position - 1;
        this.problem(`consumer ${idx} of ${plan.topic}/${plan.partition} at offset ${consumer.position}: ${String(err)}`, last >= 0 ? { tp: `${plan.topic}/${plan.partition}`, offset: last } : {});
      }
    }
    if (consumer.position > 0) await commit(consumer.position);
  }
}
