/**
 * Enforces DESIGN §2: behaviours under actors/ are pure and synchronous — no clock, entropy,
 * timers, process, await, Node builtins or host/facade imports. (a) the real tree is clean,
 * including every src/ module it loads at runtime (followed through imports and re-exports;
 * lint-reach.test.ts proves that walk on synthetic trees); (b) the checker provably catches each
 * forbidden construct, so this test cannot pass vacuously.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { moduleRefs, runtimeReach } from './import-graph.js';
import { findViolations, maskSource, unresolvedImports, type SourceFile } from './lint.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

function listTs(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) found.push(...listTs(full));
    else if (name.endsWith('.ts')) found.push(full);
  }
  return found.sort();
}

function filesUnder(dir: string): SourceFile[] {
  return listTs(join(repoRoot, dir)).map((full) => ({
    path: relative(repoRoot, full).split(sep).join('/'),
    text: readFileSync(full, 'utf8'),
  }));
}
const actorFiles = (): SourceFile[] => filesUnder('actors');
/** actors/ plus src/: what the reachability check walks. */
const treeFiles = (): SourceFile[] => [...actorFiles(), ...filesUnder('src')];

const lintTree = (files: SourceFile[]) => findViolations(files);

/** One synthetic file under actors/ with `line` placed inside otherwise clean code. */
const file = (line: string, path = 'actors/spu/bad.ts'): SourceFile => ({
  path,
  text: [
    '/** A behaviour. */',
    'const k = 1;',
    'export function f(x: number): number {',
    `  ${line}`,
    '  return x;',
    '}',
  ].join('\n'),
});

const caught = (line: string, path?: string): string[] => findViolations([file(line, path)]);

describe('actors/ determinism', () => {
  it('scans a non-empty actors/ tree', () => {
    const files = actorFiles();
    expect(files.length).toBeGreaterThan(0);
    expect(files.some((f) => f.path.startsWith('actors/sc/'))).toBe(true);
  });

  it('the real actors/ tree has zero violations, with everything it reaches in src/', () => {
    expect(lintTree(treeFiles())).toEqual([]);
  });

  it('walks the real import graph: every runtime import resolves, and src/ modules are reached', () => {
    const files = treeFiles();
    expect(unresolvedImports(files)).toEqual([]);
    const byPath = new Map(files.map((f) => [f.path, f]));
    const reached = runtimeReach('actors/replica/follower.ts', byPath, moduleRefs).chains;
    expect([...reached.keys()]).toEqual(expect.arrayContaining(['src/runtime/errors.ts', 'src/storage/batch-layout.ts']));
    expect(reached.has('src/storage/crc32c.ts')).toBe(false); // the CRC (node:module) stays behind batch-header.ts
    expect(reached.has('src/storage/log.ts')).toBe(false); // type-only: erased
  });

  it('would catch the storage barrel in a real actors/ file (index.ts → log.ts → file-ops.ts → node:fs)', () => {
    const files = treeFiles().map((f) =>
      f.path === 'actors/names.ts' ? { ...f, text: f.text.replace("'../src/storage/log-config.js'", "'../src/storage/index.js'") } : f);
    const found = lintTree(files);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((v) => v.startsWith('actors/names.ts:'))).toBe(true);
    expect(found.join('\n')).toContain("reaches Node builtin 'node:fs' (src/storage/file-ops.ts:");
    expect(found.join('\n')).toMatch(/via src\/storage\/index\.ts → src\/storage\/log\.ts → src\/storage\/file-ops\.ts: import \{ resolveLogConfig \}/);
  });
});

describe('the checker catches each forbidden construct', () => {
  const forbiddenLines: ReadonlyArray<readonly [string, string]> = [
    ['Date', 'const t = Date.now();'],
    ['Date', 'const d = new Date();'],
    ['Math.random', 'const r = Math.random();'],
    ['Math.random', 'const r = Math . random();'],
    ['setTimeout', 'setTimeout(() => x, 10);'],
    ['setInterval', 'const h = setInterval(() => x, 10);'],
    ['setImmediate', 'setImmediate(() => x);'],
    ['queueMicrotask', 'queueMicrotask(() => x);'],
    ['process', 'const env = process.env.HOME;'],
    ['process', 'process.exit(1);'],
    ['performance', 'const t = performance.now();'],
    ['await', 'await x;'],
    ['async', 'const g = async () => x;'],
    ['async', 'async function h(): Promise<void> {}'],
    ['require(', "const fs = require('fs');"],
    ['import(', "const m = import('./other.js');"],
    ['Date', 'const s = `at ${Date.now()} ms`;'],
    ['globalThis', 'const p = globalThis.process;'],
  ];
  for (const [what, line] of forbiddenLines) {
    it(`flags ${what} in: ${line}`, () => {
      const found = caught(line);
      expect(found.length).toBeGreaterThan(0);
      expect(found.join('\n')).toContain(what === 'import(' ? "dynamic 'import('" : `'${what}`);
      expect(found[0]).toMatch(/^actors\/spu\/bad\.ts:4: /);
    });
  }

  const forbiddenImports: ReadonlyArray<readonly [string, string]> = [
    ["import { readFileSync } from 'node:fs';", "Node builtin 'node:fs'"],
    ["import { readFileSync } from 'fs';", "Node builtin 'fs'"],
    ["import { Worker } from 'worker_threads';", "Node builtin 'worker_threads'"],
    ["import * as fsp from 'fs/promises';", "Node builtin 'fs/promises'"],
    ["import { EventEmitter } from \"events\";", "Node builtin 'events'"],
    ["import 'node:crypto';", "Node builtin 'node:crypto'"],
    ["export { x } from 'node:path';", "Node builtin 'node:path'"],
    ["import { WorkerHost } from '../../src/threads/host.js';", 'src/threads'],
    ["import type { SimHost } from '../../src/sim/sim-host.js';", 'src/sim'],
    ["import { Cluster } from '../../src/cluster/cluster.js';", 'src/cluster'],
    ["import { main } from '../../src/cli/main.js';", 'src/cli'],
    ["import { encodeFrame } from '../../src/protocol/frame.js';", 'src/protocol'],
    ["import { Cluster } from '../../src/index.js';", 'outside actors/'],
    ["import pino from 'pino';", "package 'pino'"],
  ];
  for (const [line, reason] of forbiddenImports) {
    it(`flags import: ${line}`, () => {
      const found = caught(line);
      expect(found.length).toBe(1);
      expect(found[0]).toContain(reason);
    });
  }

  it('flags the specifier of a multi-line import on the line of its module name', () => {
    const text = ['import {', '  a,', '  b,', "} from 'node:worker_threads';"].join('\n');
    const found = findViolations([{ path: 'actors/x.ts', text }]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^actors\/x\.ts:4: imports Node builtin 'node:worker_threads'/);
  });

  it('reports every violation in a file, each with its line', () => {
    const text = ['const a = Date.now();', 'const b = Math.random();', "import 'fs';"].join('\n');
    const found = findViolations([{ path: 'actors/many.ts', text }]);
    expect(found.map((v) => v.split(':')[1])).toEqual(['1', '2', '3']);
  });

  it('catches a bad line appended to each real actors/ file (the masker never swallows code)', () => {
    const files = actorFiles();
    files.forEach((target, i) => {
      const injected = { ...target, text: `${target.text}\nconst now = Date.now();\n` };
      const others = files.filter((_, j) => j !== i);
      const found = findViolations([injected, ...others]);
      expect(found).toHaveLength(1);
      expect(found[0]).toContain(`${target.path}:`);
    });
  });
});

describe('the checker allows what actors may do', () => {
  const allowed: readonly string[] = [
    '// Date.now() and Math.random() are forbidden; use ctx.now()',
    '/* await process */ const y = x + 1;',
    "const msg = 'process started at Date';",
    'const msg2 = "await async setTimeout";',
    'const t = `no ${x} Date here`;',
    'const m = Math.min(Math.max(1, x), 10);',
    'const p = msg.process + ctx.performance;',
    'const isDateLike = x.dateOfBirth;',
    'const processed = x; const asyncish = 1; const updated = 2;',
    'const re = /process|Date|\'await/;',
    'const half = x / 2 / 1;',
    'const now = ctx.now(); const r = ctx.random();',
    "import { RivuletError } from '../../src/storage/errors.js';",
    "import type { Actor } from '../../src/runtime/actor.js';",
    "import { Resolution } from '../messages.js';",
    "import { placeReplicas } from './placement.js';",
  ];
  for (const line of allowed) {
    it(`accepts: ${line}`, () => {
      expect(caught(line)).toEqual([]);
    });
  }

  it('resolves relative imports from the file location (top-level actors/ file)', () => {
    expect(caught("import type { Actor } from '../src/runtime/actor.js';", 'actors/behaviors.ts')).toEqual([]);
    expect(caught("import { x } from '../src/threads/host.js';", 'actors/behaviors.ts')[0]).toContain('src/threads');
    expect(caught("import { x } from '../../actors/messages.js';", 'actors/behaviors.ts')[0]).toContain('outside');
  });

  it('masks comments and literals but keeps offsets and lines', () => {
    const text = "const a = 'x'; // Date\n/* process\n */ const b = `${c}`;";
    const masked = maskSource(text);
    expect(masked.length).toBe(text.length);
    expect(masked.split('\n').length).toBe(text.split('\n').length);
    expect(masked).not.toContain('Date');
    expect(masked).not.toContain('process');
    expect(masked).toContain('${c}');
  });
});
