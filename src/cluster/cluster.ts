/**
 * The embedded cluster facade (DESIGN §8): `Cluster.start()` starts an SC and SPUs on the thread
 * host (default) or on the deterministic simulator, then offers admin, producers, consumers,
 * status events (eventemitter3) and fault injection. Memory mode without `home`, disk mode with.
 * Host-agnostic: it uses only the host face (HostTransport); hosts.ts picks and starts the host.
 */
import { EventEmitter } from 'eventemitter3';
import fs from 'node:fs';
import { SC_ID, spuActorId, type PartitionStatusEvent, type StatusEvent } from '../../actors/messages.js';
import type { Message } from '../runtime/actor.js';
import type { HostTransport, ClusterPlan, Simulator, WorkerStats } from '../runtime/transport.js';
import { RivuletError, ErrorCode } from '../runtime/errors.js';
import { connectHost, startHost } from './hosts.js';
import { startListener, validateConnectOptions, type ConnectOptions, type ListenOptions, type ListenerHandle } from './listen.js';
import { Admin } from './admin.js';
import { PartitionConsumer, type ConsumerOptions } from './consumer.js';
import { GroupConsumer, type GroupConsumerOptions } from './group-consumer.js';
import { GroupClient } from './groups.js';
import { Faults } from './faults.js';
import { CLUSTER_DEFAULTS, type ClusterOptions } from './options.js';
import { validateClusterOptions } from './validate-options.js';
import { Producer, type ProducerOptions } from './producer.js';
import { HomeLock } from './home-lock.js';
import { homeConfigFor, writeClusterConfig, type ClusterConfig } from './cluster-config.js';

export interface ClusterEvents {
  'partition-status': (e: PartitionStatusEvent) => void;
}

export class Cluster extends EventEmitter<ClusterEvents> {
  readonly admin: Admin;
  readonly faults: Faults;
  private closed = false;
  private lock: HomeLock | undefined;
  private readonly kafkaListeners: ListenerHandle[] = [];

  private constructor(readonly transport: HostTransport, readonly options: Readonly<ClusterOptions>, readonly spuIds: readonly number[]) {
    super();
    this.admin = new Admin(transport, options.requestTimeoutMs ?? CLUSTER_DEFAULTS.requestTimeoutMs);
    this.faults = new Faults(transport.faults, [...spuIds]);
    transport.onEvent((msg: Message) => {
      if (msg.type === 'StatusEvent') this.emit('partition-status', (msg as StatusEvent).event);
    });
  }

  static async start(given: ClusterOptions = {}): Promise<Cluster> {
    validateClusterOptions(given); // every option checked before anything starts
    // Disk mode: one cluster per home (the lock), and a saved home runs only with its own config
    // at its recorded version (cluster.json, the rules of `rivulet cluster resume`).
    let lock: HomeLock | undefined;
    let homeConfig: { config: ClusterConfig; fresh: boolean } | undefined;
    if (given.home && !given.simulation) {
      fs.mkdirSync(given.home, { recursive: true });
      lock = HomeLock.acquire(given.home);
      try {
        homeConfig = homeConfigFor(given.home, given);
      } catch (err) {
        lock.release();
        throw err;
      }
    }
    const saved = homeConfig?.config;
    const options: ClusterOptions = saved ? { ...given, spus: saved.spus, storageBytes: saved.storageBytes ?? Infinity } : given;
    const spus = options.spus ?? CLUSTER_DEFAULTS.spus;
    const spuIds = Array.from({ length: spus }, (_, i) => i + 1);
    const heartbeatMs = options.heartbeatMs ?? CLUSTER_DEFAULTS.heartbeatMs;
    const plan: ClusterPlan = {
      spuIds,
      sc: { id: SC_ID, behavior: 'sc', args: { spuIds, heartbeatMs, spuTimeoutMs: options.spuTimeoutMs ?? CLUSTER_DEFAULTS.spuTimeoutMs, groups: options.groups ?? {} } },
      spus: spuIds.map((spuId) => ({ id: spuActorId(spuId), behavior: 'spu', args: { spuId, heartbeatMs }, spuId })),
    };
    let transport: HostTransport;
    try {
      transport = await startHost(plan, options);
    } catch (err) {
      lock?.release();
      throw err;
    }
    const cluster = new Cluster(transport, options, spuIds);
    cluster.lock = lock;
    try {
      await cluster.admin.call({ op: 'subscribe' });
      await cluster.waitForSpus(spuIds);
      if (homeConfig?.fresh) writeClusterConfig(options.home!, homeConfig.config);
    } catch (err) {
      await cluster.shutdown(); // never leave workers running behind a failed start
      throw err;
    }
    return cluster;
  }

  /**
   * A client of a cluster served over the Kafka protocol elsewhere (`connect()`): the same admin,
   * producers, consumers and faults. `close()` disconnects; `shutdown()` shuts that cluster down.
   */
  static async connect(opts: ConnectOptions): Promise<Cluster> {
    const { brokers, token, requestTimeoutMs } = validateConnectOptions(opts);
    const transport = await connectHost({ brokers, ...(token !== undefined ? { token } : {}) });
    try {
      const spuIds = (await new Admin(transport, requestTimeoutMs).listSpus()).map((s) => s.id);
      return new Cluster(transport, { requestTimeoutMs }, spuIds);
    } catch (err) {
      await transport.shutdown();
      throw err;
    }
  }

  /**
   * Serve this cluster over the Kafka wire protocol (DESIGN §8): one port per SPU, loopback by
   * default; `port: 0` picks free ports. Resolves once listening; the listener closes with the
   * cluster (or with its own `close()`).
   */
  async listen(opts: ListenOptions = {}): Promise<ListenerHandle> {
    this.check();
    const l = await startListener(this, opts);
    this.kafkaListeners.push(l);
    return l;
  }

  /** Wait until exactly the configured SPUs are confirmed online. */
  private async waitForSpus(spuIds: number[]): Promise<void> {
    const deadline = this.transport.now() + (this.options.requestTimeoutMs ?? CLUSTER_DEFAULTS.requestTimeoutMs);
    for (;;) {
      const online = (await this.admin.listSpus()).filter((s) => s.status === 'online').map((s) => s.id);
      if (spuIds.every((id) => online.includes(id))) return;
      if (this.transport.now() > deadline) {
        throw new RivuletError(ErrorCode.TIMEOUT, `SPUs ${spuIds.filter((id) => !online.includes(id)).join(', ')} did not come online`);
      }
      await this.transport.sleep(5);
    }
  }

  private check(): void {
    if (this.closed) throw new RivuletError(ErrorCode.CLUSTER_CLOSED, 'cluster is shut down');
  }

  async producer(topic: string, opts: ProducerOptions = {}): Promise<Producer> {
    this.check();
    const parts = await this.admin.topicPartitions(topic);
    return new Producer(topic, parts, this.transport, this.admin, opts);
  }

  /** With `groupId`: a member of that consumer group over one or more topics (group-consumer.ts). */
  async consumer(topics: string | string[], opts: GroupConsumerOptions): Promise<GroupConsumer>;
  async consumer(topic: string, opts?: ConsumerOptions): Promise<PartitionConsumer>;
  async consumer(topic: string | string[], opts: ConsumerOptions | GroupConsumerOptions = {}): Promise<PartitionConsumer | GroupConsumer> {
    this.check();
    const timeoutMs = this.options.requestTimeoutMs ?? CLUSTER_DEFAULTS.requestTimeoutMs;
    if ('groupId' in opts) return GroupConsumer.start([topic].flat(), this.transport, this.admin, new GroupClient(this.transport, timeoutMs), opts, timeoutMs);
    if (typeof topic !== 'string') throw new RivuletError(ErrorCode.INVALID_ARGUMENT, 'a consumer without a groupId reads one topic');
    const parts = await this.admin.topicPartitions(topic);
    const partition = opts.partition ?? 0;
    const info = parts[partition];
    if (!Number.isInteger(partition) || !info) {
      throw new RivuletError(ErrorCode.UNKNOWN_PARTITION, `topic '${topic}' has no partition ${partition} (it has ${parts.length})`, { partition });
    }
    return new PartitionConsumer(topic, info, this.transport, this.admin, opts).open(); // offsets checked now
  }

  /** The simulator behind a `simulation` cluster (trace hash, virtual clock); undefined on other hosts. */
  get simulator(): Simulator | undefined {
    return this.transport.simulator;
  }

  /** Per-worker actor lists (thread host; a comlink control call with a deadline); [] on other hosts. */
  async workerStats(): Promise<WorkerStats[]> {
    return (await this.transport.workerStats?.()) ?? [];
  }

  /** OS threads running actors (workers; 0 on the simulator). */
  get threadCount(): number {
    return this.transport.threadCount();
  }

  /** Disconnect a connected client (`connect()`), or shut an embedded cluster down. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.kafkaListeners.splice(0).map((l) => l.close()));
    await this.transport.shutdown();
    this.lock?.release();
    this.removeAllListeners();
  }

  /** Shut the cluster down (for a connected client: the cluster it is connected to). */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    if (this.transport.shutdownCluster) await this.transport.shutdownCluster();
    this.closed = true;
    await Promise.all(this.kafkaListeners.splice(0).map((l) => l.close()));
    await this.transport.shutdown();
    this.lock?.release();
    this.removeAllListeners();
  }
}
