/**
 * The determinism lint follows the runtime import graph (DESIGN §2: actors/ load no Node builtin
 * and no package, not even through a barrel or a re-export in src/): synthetic trees prove it
 * follows imports, re-exports, `export *` and side-effect imports through any depth and cycles,
 * erases type-only references, and honours only explicitly allowed loads.
 */
import { describe, it, expect } from 'vitest';
import { findViolations, type SourceFile } from './lint.js';

describe('the lint follows imports and re-exports transitively', () => {
  const src = (path: string, ...lines: string[]): SourceFile => ({ path, text: lines.join('\n') });
  const nodeFs = src('src/storage/y.ts', '/** y */', "import { readFileSync } from 'node:fs';", 'export const y = readFileSync;', 'export type Y = number;');

  it('bites on a re-export chain: actors/x.ts re-exports src/storage/y.ts, which imports node:fs', () => {
    const found = findViolations([src('actors/x.ts', '/** x */', "export { y } from '../src/storage/y.js';"), nodeFs]);
    expect(found).toEqual([
      "actors/x.ts:2: reaches Node builtin 'node:fs' (src/storage/y.ts:2) via src/storage/y.ts: export { y } from '../src/storage/y.js';",
    ]);
  });

  it('follows barrels and `export *` through any depth, and names the chain', () => {
    const found = findViolations([
      src('actors/x.ts', "import { RivuletError } from '../src/storage/index.js';"),
      src('src/storage/index.ts', "export * from './errors.js';", "export { PartitionLog } from './log.js';"),
      src('src/storage/errors.ts', "export * from '../runtime/errors.js';"),
      src('src/runtime/errors.ts', 'export class RivuletError {}'),
      src('src/storage/log.ts', "import { nodeFileOps } from './file-ops.js';", 'export class PartitionLog {}'),
      src('src/storage/file-ops.ts', "import * as fs from 'node:fs';", 'export const nodeFileOps = fs;'),
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain("reaches Node builtin 'node:fs' (src/storage/file-ops.ts:1) via src/storage/index.ts → src/storage/log.ts → src/storage/file-ops.ts");
  });

  it('flags bare Node builtins and packages in reached modules, and side-effect imports are followed', () => {
    const found = findViolations([
      src('actors/x.ts', "import '../src/storage/a.js';"),
      src('src/storage/a.ts', "import { EventEmitter } from 'events';", "import pino from 'pino';"),
    ]);
    expect(found).toHaveLength(2);
    expect(found[0]).toContain("reaches Node builtin 'events'");
    expect(found[1]).toContain("reaches package 'pino'");
  });

  const erased: readonly string[] = [
    "import type { Y } from '../src/storage/y.js';",
    "export type { Y } from '../src/storage/y.js';",
    "export type * from '../src/storage/y.js';",
    "import { type Y } from '../src/storage/y.js';",
    "import {\n  type Y,\n  type Y as Z,\n} from '../src/storage/y.js';",
    "export { type Y } from '../src/storage/y.js';",
    "// import { y } from '../src/storage/y.js';",
    "const s = \"import { y } from '../src/storage/y.js'\";",
  ];
  for (const line of erased) {
    it(`does not follow what loads nothing at runtime: ${line.split('\n').join(' ')}`, () => {
      expect(findViolations([src('actors/x.ts', line), nodeFs])).toEqual([]);
    });
  }

  const followed: readonly string[] = [
    "import { type Y, y } from '../src/storage/y.js';",
    "import * as ys from '../src/storage/y.js';",
    "import y from '../src/storage/y.js';",
    "export * from '../src/storage/y.js';",
    "export * as ys from '../src/storage/y.js';",
    "import '../src/storage/y.js';",
    "export type { Y }\nimport { y } from '../src/storage/y.js';",
  ];
  for (const line of followed) {
    it(`follows a runtime reference: ${line.split('\n').join(' ')}`, () => {
      const found = findViolations([src('actors/x.ts', line), nodeFs]);
      expect(found).toHaveLength(1);
      expect(found[0]).toContain("reaches Node builtin 'node:fs'");
    });
  }

  it('survives import cycles and reports each load once per actors/ file', () => {
    const found = findViolations([
      src('actors/x.ts', "import { a } from '../src/storage/a.js';"),
      src('src/storage/a.ts', "import { b } from './b.js';", 'export const a = 1;'),
      src('src/storage/b.ts', "import { a } from './a.js';", "import { y } from './y.js';", 'export const b = a;'),
      nodeFs,
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('via src/storage/a.ts → src/storage/b.ts → src/storage/y.ts');
  });

  it('accepts an explicitly allowed load, and only that one', () => {
    const files = [src('actors/x.ts', "import { y } from '../src/storage/y.js';"), nodeFs];
    expect(findViolations(files, { allowReachable: [{ module: 'src/storage/y.ts', specifier: 'node:fs', why: 'test' }] })).toEqual([]);
    expect(findViolations(files, { allowReachable: [{ module: 'src/storage/y.ts', specifier: 'node:path', why: 'test' }] })).toHaveLength(1);
  });

  it('attributes a load to the actors/ file that imports src/, not to actors/ files that import it', () => {
    const found = findViolations([
      src('actors/a.ts', "import { b } from './b.js';"),
      src('actors/b.ts', "import { y } from '../src/storage/y.js';", 'export const b = y;'),
      nodeFs,
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^actors\/b\.ts:1: /);
  });
});
