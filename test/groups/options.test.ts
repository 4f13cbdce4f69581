/**
 * Cluster.start({ groups }) reaches the coordinator: a custom initial rebalance delay and session
 * bounds apply (a JoinGroup outside them gets INVALID_SESSION_TIMEOUT), and bad group options are
 * refused before anything starts.
 */
import { describe, it, expect } from 'vitest';
import { Cluster } from '../../src/index.js';
import { GroupClient } from '../../src/cluster/groups.js';

const join = (groups: GroupClient, memberId: string, sessionTimeoutMs: number) => groups.call({
  type: 'GroupJoin', groupId: 'g', memberId, groupInstanceId: null, clientId: 'c', clientHost: 'h', sessionTimeoutMs,
  rebalanceTimeoutMs: 60_000, protocolType: 'consumer', protocols: [{ name: 'range', metadata: new Uint8Array(0) }], requireKnownMemberId: false,
}, 70_000);

describe('group options', () => {
  it('apply the initial rebalance delay and session bounds given to Cluster.start', async () => {
    const cluster = await Cluster.start({ simulation: { seed: 1 }, groups: { initialRebalanceDelayMs: 1_500, minSessionTimeoutMs: 1_000 } });
    try {
      const groups = new GroupClient(cluster.transport, 5_000);
      expect((await join(groups, '', 500)).errorCode).toBe(26);
      const t0 = cluster.transport.now();
      const r = await join(groups, '', 10_000);
      expect(r.errorCode).toBe(0);
      expect(cluster.transport.now() - t0).toBeGreaterThanOrEqual(1_500); // virtual time: exact
    } finally {
      await cluster.shutdown();
    }
  });

  it('are checked before anything starts', async () => {
    await expect(Cluster.start({ groups: { initialRebalanceDelay: 5 } as never })).rejects.toThrow(/groups.initialRebalanceDelay is unknown/);
    await expect(Cluster.start({ groups: { minSessionTimeoutMs: -1 } })).rejects.toThrow(/groups.minSessionTimeoutMs/);
  });
});
