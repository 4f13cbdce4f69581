/**
 * cluster.json and the rules every start follows (DESIGN §7): embedded `Cluster.start({ home })`
 * writes it on a fresh home and, on a saved one, refuses contradicting config (naming the saved
 * value) and a recorded version or format other than its own (naming `rivulet cluster upgrade`).
 * Also: the upgrade's format migrations with a backup, and exact SPU confirmation.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Cluster, type SpuInfo } from '../../src/index.js';
import { FORMAT_VERSION, packageVersion, readClusterConfig, writeClusterConfig } from '../../src/cluster/cluster-config.js';
import { planUpgrade, runUpgrade } from '../../src/daemon/upgrade.js';
import { confirmSpus } from '../../src/daemon/spawn.js';
import { tempDir } from '../helpers.js';

const dirs: string[] = [];
const home = (): string => {
  const d = tempDir('rivulet-config-');
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('embedded Cluster.start({ home }) and cluster.json', () => {
  it('saves the config of a fresh home and refuses a contradicting one, naming the saved value', async () => {
    const h = home();
    const a = await Cluster.start({ spus: 2, home: h });
    await a.shutdown();
    const saved = readClusterConfig(h)!;
    expect(saved).toMatchObject({ spus: 2, port: 0, storageBytes: null, version: packageVersion(), formatVersion: FORMAT_VERSION, createdWith: { via: 'embedded' } });

    await expect(Cluster.start({ spus: 1, home: h })).rejects.toThrow(/created with spus 2 \(cluster\.json\), not 1/);
    await expect(Cluster.start({ home: h, storageBytes: 1 << 20 })).rejects.toThrow(/created with storageBytes unlimited .*not 1048576/);
    expect(fs.existsSync(path.join(h, 'run', 'lock'))).toBe(false); // a refused start holds no lock

    const b = await Cluster.start({ home: h }); // no spus: the saved 2
    try {
      expect((await b.admin.listSpus()).map((s) => [s.id, s.status])).toEqual([[1, 'online'], [2, 'online']]);
    } finally {
      await b.shutdown();
    }
  });

  it('refuses a home recorded at another version or a newer format, naming `rivulet cluster upgrade`', async () => {
    const h = home();
    writeClusterConfig(h, { ...readyConfig(), version: '0.0.9' });
    await expect(Cluster.start({ home: h })).rejects.toThrow(/recorded at version 0\.0\.9 \(this is .*\): run `rivulet cluster upgrade` first/);
    writeClusterConfig(h, { ...readyConfig(), version: '99.0.0' });
    await expect(Cluster.start({ home: h })).rejects.toThrow(/run `rivulet cluster upgrade` first \(a downgrade needs --force\)/);
    writeClusterConfig(h, { ...readyConfig(), formatVersion: FORMAT_VERSION + 1 });
    await expect(Cluster.start({ home: h })).rejects.toThrow(/on-disk format 2, newer than this rivulet/);
    fs.writeFileSync(path.join(h, 'cluster.json'), '{ not json');
    await expect(Cluster.start({ home: h })).rejects.toThrow(/cluster\.json is not a valid cluster config: not JSON/);
  });
});

function readyConfig() {
  const version = packageVersion();
  return { spus: 1, port: 0, storageBytes: null, version, formatVersion: FORMAT_VERSION, createdWith: { version, via: 'cli' as const, at: new Date().toISOString() } };
}

describe('cluster upgrade: format migrations', () => {
  it('migrates format by format after backing up cluster.json and metadata/, and records the mark', async () => {
    const h = home();
    writeClusterConfig(h, { ...readyConfig(), version: '0.0.1', formatVersion: 0 });
    fs.mkdirSync(path.join(h, 'metadata'));
    fs.writeFileSync(path.join(h, 'metadata', 'sc.json'), '{"old":true}');
    const plan = planUpgrade(h, readClusterConfig(h)!, { formatTo: 1 });
    expect(plan).toMatchObject({ kind: 'upgrade', from: '0.0.1', formatFrom: 0, formatTo: 1 });

    // No migration from format 0: refused, nothing changed.
    await expect(runUpgrade(plan, { migrations: {} })).rejects.toThrow(/cannot migrate on-disk format 0 to 1/);
    expect(readClusterConfig(h)).toMatchObject({ version: '0.0.1', formatVersion: 0 });

    const steps: string[] = [];
    const { config, backup } = await runUpgrade(plan, {
      migrations: { 0: (dir) => fs.writeFileSync(path.join(dir, 'metadata', 'sc.json'), '{"new":true}') },
      log: (l) => steps.push(l),
    });
    expect(steps.some((s) => s.includes('migrating the on-disk format 0 → 1'))).toBe(true);
    expect(config).toMatchObject({ version: packageVersion(), formatVersion: 1, upgradedFrom: '0.0.1', upgradeMark: { from: '0.0.1', formatFrom: 0, formatTo: 1, backup } });
    expect(readClusterConfig(h)).toEqual(config);
    expect(fs.readFileSync(path.join(h, 'metadata', 'sc.json'), 'utf8')).toBe('{"new":true}');
    // The backup holds the old format, for a rollback by hand.
    expect(fs.readFileSync(path.join(backup, 'metadata', 'sc.json'), 'utf8')).toBe('{"old":true}');
    expect(JSON.parse(fs.readFileSync(path.join(backup, 'cluster.json'), 'utf8'))).toMatchObject({ version: '0.0.1', formatVersion: 0 });
    expect(fs.existsSync(path.join(h, 'run', 'lock'))).toBe(false);

    expect(planUpgrade(h, config).kind).toBe('same');
    expect(planUpgrade(h, config, { version: '0.0.1' }).kind).toBe('downgrade');
    expect(() => planUpgrade(h, { ...config, formatVersion: 7 })).toThrow(/on-disk format 7, newer than rivulet/);
  });
});

describe('exact SPU confirmation', () => {
  const spu = (id: number, status: SpuInfo['status']): SpuInfo => ({ id, status, address: '-', replicas: 0 });
  it('waits for exactly the configured ids and shows any other as offline, never counting it', () => {
    expect(confirmSpus([1], [spu(1, 'online'), spu(2, 'online'), spu(3, 'offline')])).toEqual({ online: [1], offline: [2, 3], done: true });
    expect(confirmSpus([1, 2, 3], [spu(1, 'online'), spu(4, 'online'), spu(5, 'online')])).toEqual({ online: [1], offline: [2, 3, 4, 5], done: false });
    expect(confirmSpus([1, 2], [spu(2, 'online'), spu(1, 'offline')])).toEqual({ online: [2], offline: [1], done: false });
  });
});
