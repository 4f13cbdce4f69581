/**
 * Imports flow one way (DESIGN §1): cli → index → cluster/protocol → threads | sim → actors →
 * runtime, storage. This test reads every import in the source tree and fails on an upward
 * import, a cross-host import, or an import cycle between layers.
 */
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const LAYERS: Record<string, string[]> = {
  'src/storage': [],
  'src/runtime': ['src/storage'],
  actors: ['src/runtime', 'src/storage'],
  'src/sim': ['actors', 'src/runtime', 'src/storage'],
  'src/threads': ['actors', 'src/runtime', 'src/storage'],
  'src/cluster': ['src/threads', 'src/sim', 'actors', 'src/runtime', 'src/storage'],
  'src/protocol': ['src/cluster', 'src/threads', 'src/sim', 'actors', 'src/runtime', 'src/storage'],
  'src/index.ts': ['src/cluster', 'src/protocol', 'src/storage', 'actors'],
  'src/cli': ['src/index.ts', 'src/cluster', 'src/protocol', 'src/storage', 'actors', 'src/runtime', 'src/sim', 'src/threads'],
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
  });
});
