/**
 * `rivulet cluster upgrade` (DESIGN §7) on a shut-down home: records this build's version as the
 * cluster's (keeping `upgradedFrom` and an `upgradeMark`), and migrates the on-disk format one
 * step at a time when `formatVersion` differs. Before anything changes, the old cluster.json and
 * metadata/ are copied to `<home>/backups/<time>-v<old version>/`; rolling back = copying them back
 * and running the old rivulet.
 *
 * Invariants: the home lock is held throughout (no daemon or embedded cluster can start meanwhile);
 * cluster.json is rewritten last, so an interrupted upgrade leaves the old version recorded.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RivuletError, ErrorCode } from '../runtime/errors.js';
import { HomeLock } from '../cluster/home-lock.js';
import {
  FORMAT_VERSION, compareVersions, configPath, packageVersion, readClusterConfig, writeClusterConfig, type ClusterConfig,
} from '../cluster/cluster-config.js';

/** One on-disk format step: migrates a home from format `n` to `n + 1` in place. */
export type FormatMigration = (home: string, log: (line: string) => void) => void | Promise<void>;

/** Migrations by the format they start from. Format 1 is the first; none exist yet. */
export const MIGRATIONS: Readonly<Record<number, FormatMigration>> = {};

export interface UpgradePlan {
  home: string;
  from: string;
  to: string;
  formatFrom: number;
  formatTo: number;
  /** 'same': nothing to do; 'downgrade' (recorded version newer than this one) needs --force. */
  kind: 'upgrade' | 'downgrade' | 'same';
}

export function planUpgrade(home: string, config: ClusterConfig, opts: { version?: string; formatTo?: number } = {}): UpgradePlan {
  const to = opts.version ?? packageVersion();
  const formatTo = opts.formatTo ?? FORMAT_VERSION;
  if (config.formatVersion > formatTo) {
    throw new RivuletError(
      ErrorCode.INVALID_CONFIG,
      `the cluster at ${home} uses on-disk format ${config.formatVersion}, newer than rivulet ${to} can read (${formatTo}): use a newer rivulet, or restore a backup from ${path.join(home, 'backups')}`,
      { home },
    );
  }
  const cmp = compareVersions(config.version, to);
  const same = config.version === to && config.formatVersion === formatTo;
  const kind = same ? 'same' : cmp > 0 ? 'downgrade' : 'upgrade';
  return { home, from: config.version, to, formatFrom: config.formatVersion, formatTo, kind };
}

function copyDir(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true, errorOnExist: true, force: false });
}

/**
 * Carry out a plan (the caller checked that the cluster is shut down and confirmed). Returns the
 * backup directory.
 */
export async function runUpgrade(
  plan: UpgradePlan,
  opts: { migrations?: Readonly<Record<number, FormatMigration>>; log?: (line: string) => void } = {},
): Promise<{ config: ClusterConfig; backup: string }> {
  const { home } = plan;
  const migrations = opts.migrations ?? MIGRATIONS;
  const log = opts.log ?? (() => undefined);
  const lock = HomeLock.acquire(home);
  try {
    const config = readClusterConfig(home);
    if (!config || config.version !== plan.from || config.formatVersion !== plan.formatFrom) {
      throw new RivuletError(ErrorCode.INVALID_CONFIG, `the cluster at ${home} changed while upgrading; run the upgrade again`, { home });
    }
    for (let f = plan.formatFrom; f < plan.formatTo; f++) {
      if (!migrations[f]) throw new RivuletError(ErrorCode.UNSUPPORTED, `rivulet ${plan.to} cannot migrate on-disk format ${f} to ${f + 1}`, { home });
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const backup = path.join(home, 'backups', `${stamp}-v${plan.from}`);
    fs.mkdirSync(backup, { recursive: true });
    fs.copyFileSync(configPath(home), path.join(backup, 'cluster.json'));
    if (fs.existsSync(path.join(home, 'metadata'))) copyDir(path.join(home, 'metadata'), path.join(backup, 'metadata'));
    log(`backed up cluster.json and metadata/ to ${backup}`);
    for (let f = plan.formatFrom; f < plan.formatTo; f++) {
      log(`migrating the on-disk format ${f} → ${f + 1}`);
      await migrations[f]!(home, log);
    }
    const next: ClusterConfig = {
      ...config,
      version: plan.to,
      formatVersion: plan.formatTo,
      upgradedFrom: plan.from,
      upgradeMark: { from: plan.from, to: plan.to, formatFrom: plan.formatFrom, formatTo: plan.formatTo, at: new Date().toISOString(), backup },
    };
    writeClusterConfig(home, next);
    return { config: next, backup };
  } finally {
    lock.release();
  }
}
