/**
 * `rivulet cluster status [-O json]`: running or stopped (and whether a killed daemon left its run
 * file), the recorded version and format (and whether this rivulet may start it), and the SPUs
 * with their status. SPUs 1..N of cluster.json are the cluster; any other id the cluster reports
 * is shown as offline ("not configured") and never counted (DESIGN §6).
 */
import Table from 'cli-table3';
import { connect } from '../index.js';
import { inspectHome, packageVersion, resolveHome } from '../daemon/home.js';

interface SpuRow { id: number; status: string; address: string; configured: boolean }

export interface StatusJson {
  home: string;
  state: 'none' | 'stopped' | 'running';
  cliVersion: string;
  version?: string;
  formatVersion?: number;
  upgradedFrom?: string;
  spus?: number;
  pid?: number;
  address?: string;
  startedAt?: string;
  stalePid?: number;
  spuStatus?: SpuRow[];
}

export function table(head: string[], rows: (string | number)[][]): string {
  const t = new Table({
    head,
    chars: { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ' },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  t.push(...rows.map((r) => r.map(String)));
  return t.toString().split('\n').map((l) => l.trimEnd()).join('\n');
}

export async function clusterStatus(o: { home?: string; output: string }, out: (line: string) => void): Promise<void> {
  const home = resolveHome(o.home);
  const s = inspectHome(home);
  const j: StatusJson = { home, state: s.state, cliVersion: packageVersion() };
  const c = s.config;
  if (c) Object.assign(j, { version: c.version, formatVersion: c.formatVersion, spus: c.spus, ...(c.upgradedFrom ? { upgradedFrom: c.upgradedFrom } : {}) });
  if (s.stalePid !== undefined) j.stalePid = s.stalePid;
  const expected = Array.from({ length: c?.spus ?? 0 }, (_, i) => i + 1);
  if (s.run) {
    Object.assign(j, { pid: s.run.pid, address: s.run.address, startedAt: s.run.startedAt });
    const client = await connect({ home, requestTimeoutMs: 10_000 });
    try {
      const spus = await client.admin.listSpus();
      const rows: SpuRow[] = expected.map((id) => {
        const x = spus.find((sp) => sp.id === id);
        const b = s.run!.brokers.find((br) => br.nodeId === id);
        return { id, status: x?.status ?? 'offline', address: b ? `${b.host}:${b.port}` : (x?.address ?? '-'), configured: true };
      });
      for (const x of spus) if (!expected.includes(x.id)) rows.push({ id: x.id, status: 'offline', address: x.address, configured: false });
      j.spuStatus = rows.sort((a, b) => a.id - b.id);
    } finally {
      await client.close();
    }
  } else if (c) {
    j.spuStatus = expected.map((id) => ({ id, status: 'offline', address: '-', configured: true }));
  }
  if (o.output === 'json') return out(JSON.stringify(j, null, 2));

  if (s.state === 'none') return out(`no cluster at ${home}`);
  const state = s.run
    ? `running (pid ${s.run.pid}, Kafka protocol on ${s.run.address}, since ${s.run.startedAt})`
    : s.stalePid !== undefined ? `stopped (its daemon, pid ${s.stalePid}, died without shutting down; \`rivulet cluster resume\` recovers it)` : 'stopped';
  out(`cluster at ${home}: ${state}`);
  if (!c) return out('no cluster.json: this home holds cluster data without a saved config');
  const mismatch = c.version !== j.cliVersion ? ` — this rivulet is ${j.cliVersion}: \`rivulet cluster upgrade\` before \`resume\`` : '';
  out(`version ${c.version} (on-disk format ${c.formatVersion})${c.upgradedFrom ? `, upgraded from ${c.upgradedFrom}` : ''}${mismatch}`);
  const online = (j.spuStatus ?? []).filter((r) => r.configured && r.status === 'online').length;
  out(`SPUs: ${c.spus} configured, ${online} online`);
  out(table(['ID', 'STATUS', 'ADDRESS'], (j.spuStatus ?? []).map((r) => [r.id, r.configured ? r.status : `${r.status} (not configured)`, r.address])));
}
