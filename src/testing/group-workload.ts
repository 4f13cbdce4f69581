/**
 * Simulation runs with a consumer-group workload (DESIGN §9): a seed draws the cluster (SPUs,
 * partitions, replication), the group (2–3 embedded group consumers, auto-committing) and a run
 * of rounds — produce a batch (acks=all), then one event: a member crashes (no commit, no
 * LeaveGroup: its session expires), a member leaves cleanly, a member joins, or an SPU crashes and
 * restarts — over a network with seeded delays, duplicates and reordering. Then the run heals,
 * keeps a member alive, requires the group to commit up to every partition's high watermark
 * within a bound, and checks (group-checker.ts) that no committed-before record was lost.
 *
 * `plant: 'offset-fetch-plus-one'` plants a coordinator bug (OffsetFetch answers one past the
 * committed offset, so a new owner skips a record after each rebalance) to show the checker
 * bites. Same seed ⇒ same trace hash; a failure names its one-line replay.
 */
import type { Message } from '../runtime/actor.js';
import type { ClientRequest, HostTransport } from '../runtime/transport.js';
import type { OffsetFetchReply } from '../../actors/groups/messages.js';
import { Prng } from '../sim/prng.js';
import { Cluster } from '../cluster/cluster.js';
import { GroupConsumer } from '../cluster/group-consumer.js';
import { GroupClient } from '../cluster/groups.js';
import { Offset } from '../cluster/offset.js';
import type { SimNetworkModel } from '../cluster/options.js';
import { checkGroupDelivery } from './group-checker.js';

export type GroupPlant = 'offset-fetch-plus-one';

export interface GroupSeedConfig {
  seed: number;
  spus: number;
  partitions: number;
  replicationFactor: number;
  members: number;
  rounds: number;
  recordsPerRound: number;
  duplicateChance: number;
}

export interface GroupSeedResult {
  seed: number;
  config: GroupSeedConfig;
  ok: boolean;
  problems: string[];
  /** What happened, in order (for the report). */
  events: string[];
  traceHash: string;
  delivered: number;
  replay: string;
}

/**
 * Sessions are long on purpose: the simulator runs one client wait at a time, so every member's
 * waits (fetch long polls, heartbeats, joins) add up on the one virtual clock.
 */
export const GROUP_SIM_BOUNDS = { catchUpWithinMs: 300_000, requestTimeoutMs: 30_000 } as const;
const TOPIC = 'work';
const GROUP = 'workers';

export function drawGroupConfig(seed: number): GroupSeedConfig {
  const p = new Prng((seed ^ 0x67726f75) >>> 0);
  const spus = p.int(1, 3);
  return {
    seed, spus, partitions: p.int(2, 5), replicationFactor: p.int(1, spus), members: p.int(2, 3),
    rounds: p.int(4, 7), recordsPerRound: p.int(10, 60), duplicateChance: p.int(0, 5) / 100,
  };
}

const isOffsetFetchReply = (m: Message): m is OffsetFetchReply => m.type === 'OffsetFetchReply';

/** The host face with the planted bug: the coordinator's OffsetFetch answers one past the truth. */
function plantedFace(t: HostTransport): HostTransport {
  return {
    get clientId() {
      return t.clientId;
    },
    get faults() {
      return t.faults;
    },
    nextReqId: () => t.nextReqId(),
    async request<R extends Message>(to: string, msg: ClientRequest, timeoutMs: number): Promise<R> {
      const reply = await t.request<R>(to, msg, timeoutMs);
      if (isOffsetFetchReply(reply)) for (const o of reply.offsets) if (o.offset >= 0) o.offset += 1;
      return reply;
    },
    send: (to, msg) => t.send(to, msg),
    onEvent: (handler) => t.onEvent(handler),
    produce: (to, batch, acks, timeoutMs) => t.produce(to, batch, acks, timeoutMs),
    tailReader: (replica) => t.tailReader(replica),
    now: () => t.now(),
    sleep: (ms, wake) => t.sleep(ms, wake),
    threadCount: () => t.threadCount(),
    shutdown: () => t.shutdown(),
  };
}

export async function runGroupSeed(seed: number, opts: { plant?: GroupPlant; log?: (line: string) => void } = {}): Promise<GroupSeedResult> {
  const config = drawGroupConfig(seed);
  const rnd = new Prng((seed ^ 0x636f6e73) >>> 0);
  const network: SimNetworkModel = (_from, _to, _msg, prng) => {
    if (prng.chance(config.duplicateChance)) return { duplicate: true };
    if (prng.chance(0.05)) return { extraDelayMs: prng.int(1, 40), reorder: prng.chance(0.5) };
    return {};
  };
  const replay = `runGroupSeed(${seed}${opts.plant ? `, { plant: '${opts.plant}' }` : ''})`;
  const events: string[] = [];
  const delivered = new Map<number, Set<number>>();
  const cluster = await Cluster.start({ spus: config.spus, simulation: { seed, network, latencyMs: [1, 4] } });
  const t = cluster.transport;
  const note = (line: string) => {
    events.push(line);
    opts.log?.(`${t.now()} ${line}`);
  };
  const face = opts.plant ? plantedFace(t) : t;
  const members: { name: string; c: GroupConsumer; done: Promise<void> }[] = [];
  let joined = 0;
  const startMember = async (): Promise<void> => {
    const name = `m${++joined}`;
    const c = await GroupConsumer.start([TOPIC], face, cluster.admin, new GroupClient(face, GROUP_SIM_BOUNDS.requestTimeoutMs), {
      groupId: GROUP, offset: Offset.beginning(), sessionTimeoutMs: 20_000, rebalanceTimeoutMs: 30_000, heartbeatMs: 500,
      autoCommitMs: 1_000, waitMs: 50, clientId: name,
    }, GROUP_SIM_BOUNDS.requestTimeoutMs);
    const done = (async () => {
      for await (const r of c) {
        let seen = delivered.get(r.partition);
        if (!seen) delivered.set(r.partition, (seen = new Set()));
        seen.add(r.offset);
      }
    })().catch(() => undefined);
    members.push({ name, c, done });
    note(`${name} joins`);
  };
  try {
    await cluster.admin.createTopic(TOPIC, { partitions: config.partitions, replicationFactor: config.replicationFactor, replicaLagMs: 1_000 });
    const producer = await cluster.producer(TOPIC, { acks: 'all' });
    for (let i = 0; i < config.members; i++) await startMember();
    let sent = 0;
    for (let round = 0; round < config.rounds; round++) {
      opts.log?.(`${t.now()} round ${round}`);
      const batch = Array.from({ length: config.recordsPerRound }, (_, i) => ({ value: `r${sent + i}` }));
      sent += batch.length;
      await producer.sendBatch(batch).then(() => producer.flush()).catch((err: unknown) => void note(`produce failed: ${String(err)}`));
      const event = rnd.int(0, 4);
      if (event === 1 && members.length > 0) {
        const m = members.splice(rnd.int(0, members.length - 1), 1)[0]!;
        m.c.abandon();
        note(`${m.name} crashes`);
      } else if (event === 2 && members.length > 1) {
        const m = members.splice(rnd.int(0, members.length - 1), 1)[0]!;
        await m.c.close();
        note(`${m.name} leaves`);
      } else if (event === 3) {
        await startMember();
      } else if (event === 4 && config.replicationFactor > 1) {
        const leader = (await cluster.admin.listPartitions()).find((p) => p.topic === TOPIC && p.partition === rnd.int(0, config.partitions - 1))?.leader;
        if (leader !== undefined && leader > 0) {
          await cluster.faults.crashSpu(leader);
          note(`SPU ${leader} crashes`);
          await t.sleep(rnd.int(200, 2_000));
          await cluster.faults.restartSpu(leader);
          note(`SPU ${leader} restarts`);
        }
      }
      await t.sleep(rnd.int(300, 2_500));
    }
    // Heal: a member must be there; then the group must commit up to the end.
    if (members.length === 0) await startMember();
    opts.log?.(`${t.now()} healing`);
    const groups = new GroupClient(t, GROUP_SIM_BOUNDS.requestTimeoutMs);
    const observe = async () => {
      const parts = (await cluster.admin.listPartitions()).filter((p) => p.topic === TOPIC);
      const fetched = await groups.call({ type: 'OffsetFetch', groupId: GROUP, topics: null });
      return {
        hw: new Map(parts.map((p) => [p.partition, p.hw])),
        committed: new Map(fetched.offsets.filter((o) => o.topic === TOPIC && o.offset >= 0).map((o) => [o.partition, o.offset])),
      };
    };
    const deadline = t.now() + GROUP_SIM_BOUNDS.catchUpWithinMs;
    let seen = await observe();
    while (t.now() < deadline && [...seen.hw].some(([p, hw]) => (seen.committed.get(p) ?? 0) < hw)) {
      await t.sleep(250);
      seen = await observe();
    }
    for (const m of members) await m.c.close();
    await Promise.all(members.map((m) => m.done));
    const problems = checkGroupDelivery(TOPIC, { delivered, committed: seen.committed, hw: seen.hw });
    return {
      seed, config, ok: problems.length === 0, problems, events, replay,
      traceHash: cluster.simulator!.trace.hex(), delivered: [...delivered.values()].reduce((n, s) => n + s.size, 0),
    };
  } finally {
    for (const m of members) m.c.abandon();
    await cluster.shutdown();
  }
}
