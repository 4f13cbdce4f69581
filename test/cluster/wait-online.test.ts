/**
 * Admin.waitOnline on the host face alone: a scripted HostTransport (virtual clock, sleeps that
 * end only when woken or when the test lets time pass) shows that it re-reads the SC's view once
 * at the start and after each status event of its topic, falls back to a slow re-check when no
 * event comes, honours its deadline, and leaves no subscriber behind.
 */
import { describe, it, expect } from 'vitest';
import { Admin } from '../../src/index.js';
import { ErrorCode, RivuletError } from '../../src/runtime/errors.js';
import { ADMIN_LIMITS } from '../../src/cluster/admin.js';
import { Subscribers } from '../../src/runtime/subscribers.js';
import type { ClientRequest, HostFaults, HostTransport } from '../../src/runtime/transport.js';
import type { Message } from '../../src/runtime/actor.js';
import type { PartitionInfo, Resolution } from '../../actors/messages.js';

const part = (topic: string, resolution: Resolution): PartitionInfo => ({
  topic, partition: 0, leader: 1, replicas: [], resolution, sizeBytes: 0, base: 0, hw: 0, leo: 0, replicaStatus: [], inSync: [1], epoch: 1,
});

class ScriptedHost implements HostTransport {
  readonly clientId = 'client:test';
  readonly events = new Subscribers<Message>();
  resolution: Resolution = 'Offline';
  views = 0;
  clock = 0;
  sleeps: { ms: number; end: () => void }[] = [];
  private seq = 1;

  nextReqId(): number {
    return this.seq++;
  }
  async request<R extends Message>(_to: string, msg: ClientRequest): Promise<R> {
    expect((msg as unknown as { op: string }).op).toBe('listPartitions');
    this.views++;
    return { type: 'AdminReply', reqId: msg.reqId, result: [part('t', this.resolution), part('other', 'Offline')] } as unknown as R;
  }
  send(): void {}
  onEvent(handler: (msg: Message) => void): () => void {
    return this.events.add(handler);
  }
  async produce(): Promise<undefined> {
    return undefined;
  }
  tailReader(): undefined {
    return undefined;
  }
  readonly faults = {} as HostFaults;
  now(): number {
    return this.clock;
  }
  sleep(ms: number, wake?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const end = () => resolve();
      this.sleeps.push({ ms, end });
      wake?.addEventListener('abort', end, { once: true });
    });
  }
  /** Let the current sleep run its full length. */
  elapse(): void {
    const s = this.sleeps.at(-1)!;
    this.clock += s.ms;
    s.end();
  }
  status(topic: string, to: Resolution): void {
    this.events.emit({ type: 'StatusEvent', event: { topic, partition: 0, from: 'Offline', to, leader: 1 } } as Message);
  }
  threadCount(): number {
    return 0;
  }
  async shutdown(): Promise<void> {}
}

const settle = () => new Promise((r) => setImmediate(r));

describe('Admin.waitOnline', () => {
  it('looks again after each status event of its topic, not on a timer', async () => {
    const host = new ScriptedHost();
    const done = new Admin(host, 30_000).waitOnline('t');
    await settle();
    expect([host.views, host.sleeps.length]).toEqual([1, 1]);
    expect(host.sleeps[0]!.ms).toBe(ADMIN_LIMITS.recheckMs);
    host.status('other', 'Online'); // another topic: no reason to look
    await settle();
    expect(host.views).toBe(1);
    host.status('t', 'ElectionLeaderFound'); // ours, not online yet: look, then sleep again
    await settle();
    expect([host.views, host.sleeps.length]).toEqual([2, 2]);
    host.resolution = 'Online';
    host.status('t', 'Online');
    expect((await done).map((p) => p.resolution)).toEqual(['Online']);
    expect(host.views).toBe(3);
    expect(host.clock).toBe(0); // no time had to pass
    expect(host.events.size).toBe(0);
  });

  it('still finishes on a host that sends no events (slow re-check)', async () => {
    const host = new ScriptedHost();
    const done = new Admin(host, 30_000).waitOnline('t');
    await settle();
    host.resolution = 'Online';
    host.elapse();
    expect((await done)[0]!.resolution).toBe('Online');
    expect([host.views, host.clock]).toEqual([2, ADMIN_LIMITS.recheckMs]);
  });

  it('gives up after its timeout with the resolutions it saw', async () => {
    const host = new ScriptedHost();
    const done = new Admin(host, 30_000).waitOnline('t', 600);
    const failed = done.then(() => undefined, (e: unknown) => e);
    for (let i = 0; i < 10; i++) {
      await settle();
      if (host.sleeps.length > i) host.elapse();
    }
    const err = await failed;
    expect(err).toBeInstanceOf(RivuletError);
    expect((err as RivuletError).code).toBe(ErrorCode.TIMEOUT);
    expect((err as RivuletError).data).toEqual({ resolutions: ['Offline'] });
    expect(host.sleeps.map((s) => s.ms)).toEqual([250, 250, 101]); // never sleeps past the deadline
    expect(host.events.size).toBe(0);
  });
});
