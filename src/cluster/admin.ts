/**
 * Admin API (DESIGN §8): topics, partitions, SPUs — requests to the SC actor. createTopic waits
 * until every partition of the new topic is Online (or the request timeout passes): it re-reads
 * the SC's view once at the start and after each status event of that topic, and every
 * `recheckMs` in case events are lost or the host sends none.
 */
import type { Message } from '../runtime/actor.js';
import type { HostTransport } from '../runtime/transport.js';
import type { AdminOp, AdminReply, LeaderMove, PartitionInfo, SpuInfo, StatusEvent, TopicConfig, TopicSpec } from '../../actors/messages.js';
import { SC_ID } from '../../actors/messages.js';
import { validateMinInSync, validateTopicConfig, validateTopicName, validateTopicShape } from '../../actors/names.js';
import { RivuletError, ErrorCode, fromPlainError } from '../runtime/errors.js';
import { describeGroup, listGroups, type GroupInfo, type GroupSummary } from './group-admin.js';
import { GroupClient } from './groups.js';

export interface CreateTopicOptions extends TopicConfig {
  partitions?: number;
  replicationFactor?: number;
}

/** waitOnline's safety net: re-read the SC's view this often even without status events. */
export const ADMIN_LIMITS = { recheckMs: 250 } as const;

export class Admin {
  constructor(private readonly t: HostTransport, private readonly timeoutMs: number) {}

  /** Send one admin op to the SC; throws the SC's typed error. */
  async call<T>(op: AdminOp): Promise<T> {
    const reqId = this.t.nextReqId();
    const reply = await this.t.request<AdminReply>(SC_ID, { type: 'AdminRequest', reqId, replyTo: this.t.clientId, ...op }, this.timeoutMs);
    if (reply.error) throw fromPlainError(reply.error);
    return reply.result as T;
  }

  /**
   * Create a topic and wait until every partition is Online. Name, shape and config are checked
   * here first (INVALID_NAME / INVALID_CONFIG, unknown config keys included), then by the SC.
   */
  async createTopic(name: string, opts: CreateTopicOptions = {}): Promise<TopicSpec> {
    validateTopicName(name);
    if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) throw new RivuletError(ErrorCode.INVALID_CONFIG, 'createTopic options must be an object');
    const { partitions = 1, replicationFactor = 1, ...config } = opts;
    validateTopicShape(partitions, replicationFactor, Infinity);
    validateTopicConfig(config);
    validateMinInSync(config, replicationFactor);
    const spec: TopicSpec = { name, partitions, replicationFactor, config };
    await this.call({ op: 'createTopic', spec });
    await this.waitOnline(name);
    return spec;
  }

  /**
   * Wait until every partition of `topic` is Online: check the SC's view now, then again after
   * each status event of the topic (or `recheckMs` without one), until `timeoutMs` of host time.
   */
  async waitOnline(topic: string, timeoutMs = this.timeoutMs): Promise<PartitionInfo[]> {
    const deadline = this.t.now() + timeoutMs;
    let changed = new AbortController();
    const unsubscribe = this.t.onEvent((msg: Message) => {
      if (msg.type === 'StatusEvent' && (msg as StatusEvent).event.topic === topic) changed.abort();
    });
    try {
      for (;;) {
        changed = new AbortController(); // an event from now on means: look again
        const parts = (await this.partitionsView()).filter((p) => p.topic === topic);
        if (parts.length > 0 && parts.every((p) => p.resolution === 'Online')) return parts;
        const now = this.t.now();
        if (now > deadline) {
          throw new RivuletError(ErrorCode.TIMEOUT, `topic '${topic}': partitions not online after ${timeoutMs} ms`, {
            resolutions: parts.map((p) => p.resolution),
          });
        }
        await this.t.sleep(Math.max(1, Math.min(ADMIN_LIMITS.recheckMs, deadline + 1 - now)), changed.signal);
      }
    } finally {
      unsubscribe();
    }
  }

  async deleteTopic(name: string): Promise<void> {
    await this.call({ op: 'deleteTopic', name });
  }

  listTopics(): Promise<TopicSpec[]> {
    return this.call({ op: 'listTopics' });
  }

  /** Every partition with fresh HW/LEO/size: the SC asks the running replicas first. */
  listPartitions(): Promise<PartitionInfo[]> {
    return this.call({ op: 'listPartitions' });
  }

  /** Leaders and resolutions from the SC's last reports, without asking the replicas (cheap). */
  private partitionsView(): Promise<PartitionInfo[]> {
    return this.call({ op: 'listPartitions', fresh: false });
  }

  listSpus(): Promise<SpuInfo[]> {
    return this.call({ op: 'listSpus' });
  }

  /**
   * Move leadership back to each partition's preferred replica (the first one placement gave it)
   * where that replica is online and caught up — what the SC also does by itself on every tick,
   * as Kafka's auto leader rebalance. Returns the moves made.
   */
  rebalanceLeaders(): Promise<LeaderMove[]> {
    return this.call({ op: 'rebalanceLeaders' });
  }

  /** Consumer groups the coordinator knows (with members, or only committed offsets). */
  listGroups(): Promise<GroupSummary[]> {
    return listGroups(new GroupClient(this.t, this.timeoutMs));
  }

  /** One group: state, members with their topics and partitions, committed offsets and lag. */
  describeGroup(groupId: string): Promise<GroupInfo> {
    return describeGroup(new GroupClient(this.t, this.timeoutMs), () => this.listPartitions(), groupId);
  }

  /**
   * For clients retrying after a retriable error: the topic's partitions now, or undefined when
   * the SC cannot be reached right now (keep what you know). UNKNOWN_TOPIC if the topic is gone —
   * no retry can succeed then.
   */
  async refreshPartitions(topic: string): Promise<PartitionInfo[] | undefined> {
    try {
      return await this.topicPartitions(topic);
    } catch (err) {
      if (err instanceof RivuletError && err.code === ErrorCode.UNKNOWN_TOPIC) throw err;
      return undefined;
    }
  }

  /** Metadata of one topic's partitions; UNKNOWN_TOPIC if it does not exist. */
  async topicPartitions(topic: string): Promise<PartitionInfo[]> {
    const parts = (await this.partitionsView()).filter((p) => p.topic === topic);
    if (parts.length === 0) throw new RivuletError(ErrorCode.UNKNOWN_TOPIC, `unknown topic '${topic}'`, { topic });
    return parts;
  }
}
