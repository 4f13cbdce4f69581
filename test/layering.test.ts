/**
 * Imports flow one way (DESIGN §1): cli → index → daemon → server → cluster → (hosts.ts) →
 * threads | sim | remote → actors → protocol, runtime, storage → runtime's errors and actor ids.
 * This test reads every import in the source tree and fails on an upward import, a cross-host
 * import, a facade file that reaches a host other than through hosts.ts, or a CLI file that
 * reaches past the public API.
 */
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const BASE = ['src/runtime/errors.ts', 'src/runtime/actor-ids.ts'];
const LOW = [...BASE, 'src/runtime', 'src/storage', 'src/protocol'];
const LAYERS: Record<string, string[]> = {
  // The base of everything: operating errors, assertions and actor ids.
  'src/runtime/errors.ts': [],
  'src/runtime/actor-ids.ts': [],
  'src/storage': [...BASE],
  'src/protocol': [],
  'src/runtime': [...BASE, 'src/storage'],
  actors: [...LOW],
  // The three hosts are siblings: none imports another.
  'src/sim': ['actors', ...LOW],
  'src/threads': ['actors', ...LOW],
  'src/remote': ['actors', ...LOW],
  // The facade sees hosts only through hosts.ts, the one file that constructs them.
  'src/cluster/hosts.ts': ['src/cluster', 'src/threads', 'src/sim', 'src/remote', 'actors', ...LOW],
  'src/cluster': ['src/cluster/hosts.ts', 'actors', ...LOW],
  'src/server': ['src/cluster', 'actors', ...LOW],
  'src/testing': ['src/cluster', 'src/sim', 'actors', ...LOW],
  'src/daemon': ['src/server', 'src/cluster', 'actors', ...LOW],
  'src/index.ts': ['src/daemon', 'src/server', 'src/testing', 'src/cluster', 'actors', ...LOW],
  // The CLI uses the public API only (and the daemon module to spawn the daemon).
  'src/cli': ['src/index.ts', 'src/daemon'],
};

function layerOf(rel: string): string | undefined {
  return Object.keys(LAYERS)
    .filter((l) => rel === l || rel.startsWith(`${l}/`))
    .sort((a, b) => b.length - a.length)[0];
}

function* tsFiles(dir: string): Generator<string> {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* tsFiles(p);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) yield p;
  }
}

export function importViolations(files: { rel: string; text: string }[]): string[] {
  const out: string[] = [];
  for (const { rel, text } of files) {
    const from = layerOf(rel);
    if (!from) continue;
    for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s+'([^']+)'/g)) {
      const spec = m[1]!;
      if (!spec.startsWith('.')) continue;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(rel), spec)).replace(/\.js$/, '.ts');
      const to = layerOf(target);
      if (!to || to === from) continue;
      if (!LAYERS[from]!.includes(to)) out.push(`${rel} imports ${target} (${from} → ${to} is not allowed)`);
    }
  }
  return out;
}

describe('layering', () => {
  it('has no upward or cross-host imports', () => {
    const files = ['src', 'actors']
      .flatMap((d) => [...tsFiles(path.join(ROOT, d))])
      .map((f) => ({ rel: path.relative(ROOT, f).split(path.sep).join('/'), text: fs.readFileSync(f, 'utf8') }));
    expect(files.length).toBeGreaterThan(20);
    expect(importViolations(files)).toEqual([]);
  });

  it('catches a violation when one is added', () => {
    expect(importViolations([{ rel: 'src/storage/x.ts', text: "import { a } from '../runtime/actor.js';" }])).toHaveLength(1);
    expect(importViolations([{ rel: 'src/sim/x.ts', text: "import { a } from '../threads/thread-host.js';" }])).toHaveLength(1);
    expect(importViolations([{ rel: 'actors/sc/x.ts', text: "import { a } from '../../src/cluster/cluster.js';" }])).toHaveLength(1);
    expect(importViolations([{ rel: 'src/runtime/x.ts', text: "export { a } from '../../actors/messages.js';" }])).toHaveLength(1);
    expect(importViolations([{ rel: 'actors/sc/x.ts', text: "import { a } from '../../src/storage/errors.js';" }])).toHaveLength(0);
    expect(importViolations([{ rel: 'src/cluster/x.ts', text: "import { a } from '../threads/thread-host.js';" }])).toHaveLength(1);
    expect(importViolations([{ rel: 'src/cluster/hosts.ts', text: "import { a } from '../threads/thread-host.js';" }])).toHaveLength(0);
    expect(importViolations([{ rel: 'src/cli/x.ts', text: "import { a } from '../cluster/cluster.js';" }])).toHaveLength(1);
    expect(importViolations([{ rel: 'src/remote/x.ts', text: "import { a } from '../sim/sim-host.js';" }])).toHaveLength(1);
    expect(importViolations([{ rel: 'src/protocol/x.ts', text: "import { a } from '../runtime/errors.js';" }])).toHaveLength(1);
    expect(importViolations([{ rel: 'src/storage/x.ts', text: "import { a } from '../runtime/actor.js';" }])).toHaveLength(1);
  });

  it('leaves shared memory to the hosts: no facade file touches SharedArrayBuffer or Atomics', () => {
    const touching = [...tsFiles(path.join(ROOT, 'src/cluster'))]
      .filter((f) => /\b(SharedArrayBuffer|Atomics)\b/.test(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(ROOT, f));
    expect(touching).toEqual([]);
  });
});
