/**
 * kill -9 of the daemon in the middle of an acks=all stream, then `rivulet cluster resume`: the
 * stale run file and lock are replaced, the same SPUs come back, and every acknowledged record
 * is read back at its offset, in the order it was sent.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { connect, Offset } from '../../src/index.js';
import { Homes, daemonPid, rivulet } from './helpers.js';

const homes = new Homes();
afterAll(() => homes.cleanup());

describe('daemon killed with SIGKILL', () => {
  it('resumes with every acknowledged record at its offset, in order', async () => {
    const home = homes.make();
    const created = await rivulet(['cluster', 'create', '--spus', '3', '--port', '0', '--home', home]);
    expect(created.status, created.stderr).toBe(0);
    const pid = homes.track(home)!;

    const client = await connect({ home, requestTimeoutMs: 5_000 });
    await client.admin.createTopic('stream', { partitions: 1, replicationFactor: 3 });
    const producer = await client.producer('stream', { acks: 'all' });
    const acked: { i: number; offset: number }[] = [];
    let inFlight = 0;
    let killed = false;
    let sent = 0;
    // Stream with up to 500 records in flight; kill the daemon once 1,500 are acknowledged.
    while (!killed) {
      if (inFlight >= 500) {
        await new Promise((r) => setTimeout(r, 1));
        continue;
      }
      const i = sent++;
      inFlight++;
      producer.send(null, `record ${i}`).then(
        (m) => void acked.push({ i, offset: m.offset }),
        () => undefined, // unacknowledged: may or may not be in the log
      ).finally(() => inFlight--);
      if (acked.length >= 1500) {
        process.kill(pid, 'SIGKILL');
        killed = true;
      }
    }
    await new Promise((r) => setTimeout(r, 300)); // acks already on the wire arrive; none can follow
    const done = [...acked];
    expect(inFlight).toBeGreaterThan(0); // killed mid-stream, with records in flight
    void client.close().catch(() => undefined);

    expect(fs.existsSync(path.join(home, 'run', 'daemon.json'))).toBe(true); // stale: left by the kill
    const resumed = await rivulet(['cluster', 'resume', '--home', home]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`the daemon (pid ${pid}) stopped without shutting down`);
    expect(resumed.stdout).toContain('SPUs 1, 2, 3 online');
    expect(daemonPid(home)).not.toBe(pid);
    homes.track(home);

    // Acknowledged records: offsets rise with the send order, and each is in the log at its offset.
    done.sort((a, b) => a.i - b.i);
    for (let k = 1; k < done.length; k++) expect(done[k]!.offset).toBeGreaterThan(done[k - 1]!.offset);
    const want = new Map(done.map((a) => [a.offset, `record ${a.i}`]));
    const last = done[done.length - 1]!.offset;
    const reader = await connect({ home });
    try {
      const c = await reader.consumer('stream', { partition: 0, offset: Offset.beginning() });
      let prev = -1;
      let matched = 0;
      for await (const r of c) {
        expect(r.offset).toBe(prev + 1);
        prev = r.offset;
        const w = want.get(r.offset);
        if (w !== undefined) {
          expect(new TextDecoder().decode(r.value)).toBe(w);
          matched++;
        }
        if (r.offset >= last) break;
      }
      expect(matched).toBe(done.length);
    } finally {
      await reader.close();
    }
    const down = await rivulet(['cluster', 'shutdown', '--home', home]);
    expect(down.status, down.stderr).toBe(0);
  });
});
