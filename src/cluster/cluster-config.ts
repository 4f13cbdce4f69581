/**
 * `<home>/cluster.json` (DESIGN §7): a cluster's saved config — `spus`, `port`, `storageBytes`
 * (null = unlimited), the `version` of rivulet that last ran it, the on-disk `formatVersion`,
 * `createdWith`, and after `rivulet cluster upgrade` the `upgradedFrom` version and `upgradeMark`.
 * Written atomically (temp file + rename). `Cluster.start({ home })` and the daemon follow the
 * same rules as `rivulet cluster resume`: a saved home starts only with its own config, and only
 * at its recorded version.
 *
 * Test hook: RIVULET_VERSION_OVERRIDE=x.y.z makes this process (and a daemon it spawns, which
 * inherits the environment) report version x.y.z instead of package.json's, so the upgrade story
 * can be tested with one build.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RivuletError, ErrorCode } from '../runtime/errors.js';

/** The on-disk format this build writes and reads (cluster.json, metadata/, spu-<id>/). */
export const FORMAT_VERSION = 1;

export interface UpgradeMark {
  from: string;
  to: string;
  formatFrom: number;
  formatTo: number;
  at: string;
  /** Directory holding the old cluster.json and metadata/ (for a rollback by hand). */
  backup?: string;
}

export interface ClusterConfig {
  spus: number;
  /** The listener's first port (SPU i gets port + i - 1); 0 = free ports at every start. */
  port: number;
  /** Per-SPU storage capacity; null = unlimited. */
  storageBytes: number | null;
  version: string;
  formatVersion: number;
  createdWith: { version: string; via: 'cli' | 'embedded'; at: string };
  upgradedFrom?: string;
  upgradeMark?: UpgradeMark;
}

export const configPath = (home: string): string => path.join(home, 'cluster.json');

let cachedVersion: string | undefined;

/** This build's version: package.json's, or RIVULET_VERSION_OVERRIDE (tests only, see above). */
export function packageVersion(): string {
  const override = process.env.RIVULET_VERSION_OVERRIDE;
  if (override) {
    if (!/^\d+\.\d+\.\d+/.test(override)) throw new RivuletError(ErrorCode.INVALID_CONFIG, `RIVULET_VERSION_OVERRIDE must look like 1.2.3, got '${override}'`);
    return override;
  }
  if (cachedVersion) return cachedVersion;
  // Walk up from this module (src/cluster/ or dist/src/cluster/) to rivulet's package.json.
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'rivulet' && pkg.version) return (cachedVersion = pkg.version);
    }
    if (path.dirname(dir) === dir) throw new RivuletError(ErrorCode.INTERNAL, "cannot find rivulet's package.json");
  }
}

/** -1, 0 or 1 as a is older than, the same as, or newer than b (major.minor.patch). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/).slice(0, 3).map(Number);
  const pb = b.split(/[.+-]/).slice(0, 3).map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

function invalid(home: string, why: string): RivuletError {
  return new RivuletError(ErrorCode.INVALID_CONFIG, `${configPath(home)} is not a valid cluster config: ${why}`, { home });
}

/** The saved config, or undefined when the home has none. */
export function readClusterConfig(home: string): ClusterConfig | undefined {
  let text: string;
  try {
    text = fs.readFileSync(configPath(home), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new RivuletError(ErrorCode.INVALID_CONFIG, `cannot read ${configPath(home)}: ${(err as Error).message}`, { home });
  }
  let c: ClusterConfig;
  try {
    c = JSON.parse(text) as ClusterConfig;
  } catch {
    throw invalid(home, 'not JSON');
  }
  if (typeof c !== 'object' || c === null) throw invalid(home, 'not an object');
  if (!Number.isInteger(c.spus) || c.spus < 1 || c.spus > 64) throw invalid(home, 'spus must be an integer in 1..64');
  if (!Number.isInteger(c.port) || c.port < 0 || c.port > 65535) throw invalid(home, 'port must be an integer in 0..65535');
  if (c.storageBytes !== null && !(Number.isInteger(c.storageBytes) && c.storageBytes > 0)) throw invalid(home, 'storageBytes must be a positive integer or null');
  if (typeof c.version !== 'string' || !/^\d+\.\d+\.\d+/.test(c.version)) throw invalid(home, 'version must look like 1.2.3');
  if (!Number.isInteger(c.formatVersion) || c.formatVersion < 0) throw invalid(home, 'formatVersion must be an integer');
  return c;
}

export function writeClusterConfig(home: string, config: ClusterConfig): void {
  fs.mkdirSync(home, { recursive: true });
  const file = configPath(home);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(config, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

export function newClusterConfig(o: { spus: number; port: number; storageBytes: number | null; via: 'cli' | 'embedded' }): ClusterConfig {
  const version = packageVersion();
  return {
    spus: o.spus, port: o.port, storageBytes: o.storageBytes, version, formatVersion: FORMAT_VERSION,
    createdWith: { version, via: o.via, at: new Date().toISOString() },
  };
}

/**
 * Throws unless this build may run the cluster saved at `home`: same version (an upgrade
 * recorded this build's version) and the same on-disk format.
 */
export function checkStartable(home: string, c: ClusterConfig, version = packageVersion()): void {
  if (c.formatVersion > FORMAT_VERSION) {
    throw new RivuletError(ErrorCode.INVALID_CONFIG, `the cluster at ${home} uses on-disk format ${c.formatVersion}, newer than this rivulet ${version} understands (${FORMAT_VERSION}): use a newer rivulet`, { home });
  }
  if (c.version === version && c.formatVersion !== FORMAT_VERSION) {
    throw new RivuletError(ErrorCode.INVALID_CONFIG, `the cluster at ${home} uses on-disk format ${c.formatVersion}, this rivulet uses ${FORMAT_VERSION}: run \`rivulet cluster upgrade\` first`, { home });
  }
  if (c.version !== version) {
    const older = compareVersions(c.version, version) <= 0;
    throw new RivuletError(
      ErrorCode.INVALID_CONFIG,
      `the cluster at ${home} was recorded at version ${c.version} (this is ${version}): run \`rivulet cluster upgrade\` first${older ? '' : ' (a downgrade needs --force)'}`,
      { home, recorded: c.version, version },
    );
  }
}

/**
 * Embedded parity (DESIGN §7): the config `Cluster.start({ home, spus?, storageBytes? })` runs
 * with. A saved home refuses contradicting options, naming the saved value; a fresh one gets a
 * new config (`fresh`), which the caller writes once the cluster started.
 */
export function homeConfigFor(home: string, o: { spus?: number | undefined; storageBytes?: number | undefined }): { config: ClusterConfig; fresh: boolean } {
  const saved = readClusterConfig(home);
  if (!saved) {
    const storageBytes = o.storageBytes === undefined || o.storageBytes === Infinity ? null : o.storageBytes;
    return { config: newClusterConfig({ spus: o.spus ?? 1, port: 0, storageBytes, via: 'embedded' }), fresh: true };
  }
  checkStartable(home, saved);
  const refuse = (what: string, savedValue: string, given: string): never => {
    throw new RivuletError(
      ErrorCode.INVALID_CONFIG,
      `the cluster at ${home} was created with ${what} ${savedValue} (cluster.json), not ${given}: start it with its saved config, or delete the home for a new cluster`,
      { home },
    );
  };
  if (o.spus !== undefined && o.spus !== saved.spus) refuse('spus', String(saved.spus), String(o.spus));
  if (o.storageBytes !== undefined) {
    const given = o.storageBytes === Infinity ? null : o.storageBytes;
    if (given !== saved.storageBytes) refuse('storageBytes', String(saved.storageBytes ?? 'unlimited'), String(given ?? 'unlimited'));
  }
  return { config: saved, fresh: false };
}
