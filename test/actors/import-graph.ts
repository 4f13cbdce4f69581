/**
 * The runtime import graph of TypeScript sources given as texts (pure: no file system), for the
 * determinism lint (lint.ts): which modules a file loads when it runs, following imports AND
 * re-exports (`export … from`, `export * from`) transitively.
 *
 * Rules:
 * - Type-only references are erased by the compiler and load nothing: `import type …`,
 *   `export type …`, and `import { type A, type B }` / `export { type A }` whose every named
 *   binding is type-only (no default or namespace binding beside them).
 * - Everything else loads at runtime: named/default/namespace imports, side-effect imports
 *   (`import './x.js'`), re-exports.
 * - Relative specifiers resolve like TypeScript's NodeNext: `./x.js` → `x.ts` (then the name as
 *   written, then `x/index.ts`). A relative module not among the given files is "unresolved".
 * Comments and string contents are masked before parsing (maskSource), so commented-out imports
 * do not count.
 */
import { posix } from 'node:path';
import { maskSource } from './mask.js';

export interface SourceFile {
  /** Repository-relative POSIX path, e.g. `actors/sc/sc.ts`. */
  path: string;
  text: string;
}

export interface ModuleRef {
  specifier: string;
  /** 1-based line of the specifier in the file. */
  line: number;
  /** False for references the compiler erases (type-only). */
  runtime: boolean;
}

export const lineOf = (text: string, offset: number): number => {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
};

/** `{ type A, type B as C }` with every binding type-only. */
function allTypeOnly(clause: string): boolean {
  const c = clause.trim();
  if (!c.startsWith('{') || !c.endsWith('}')) return false;
  const names = c.slice(1, -1).split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  return names.length > 0 && names.every((n) => /^type\s/.test(n));
}

/** Every import / re-export / side-effect import of `file`, with whether it loads at runtime. */
export function moduleRefs(file: SourceFile): ModuleRef[] {
  const masked = maskSource(file.text);
  const refs: ModuleRef[] = [];
  const push = (quoteAt: number, quote: string, runtime: boolean): void => {
    const start = quoteAt + 1;
    const end = file.text.indexOf(quote, start);
    if (end < 0) return;
    refs.push({ specifier: file.text.slice(start, end), line: lineOf(file.text, start), runtime });
  };
  // import/export [type] <clause> from '…'  (the clause holds only names, braces, commas, `*`, `as`)
  const fromRe = /(^|[^.\w$])(import|export)\s+(type\s+)?((?:(?!\b(?:import|export)\b)[\w\s{},*$])*?)\bfrom\s*(['"])/g;
  for (let m = fromRe.exec(masked); m !== null; m = fromRe.exec(masked)) {
    const typeOnly = m[3] !== undefined || allTypeOnly(m[4]!);
    push(m.index + m[0].length - 1, m[5]!, !typeOnly);
  }
  // side-effect import '…'
  const bareRe = /(^|[^.\w$])import\s*(['"])/g;
  for (let m = bareRe.exec(masked); m !== null; m = bareRe.exec(masked)) push(m.index + m[0].length - 1, m[2]!, true);
  return refs.sort((a, b) => a.line - b.line);
}

export const isRelative = (specifier: string): boolean => specifier.startsWith('.') || specifier.startsWith('/');

/** The given file a relative specifier names, or undefined when it is not among `paths`. */
export function resolveRelative(fromPath: string, specifier: string, paths: ReadonlySet<string>): string | undefined {
  const target = posix.normalize(posix.join(posix.dirname(fromPath), specifier));
  const candidates = [target.replace(/\.(m|c)?js$/, (_, k: string | undefined) => `.${k ?? ''}ts`), target, `${target}.ts`, `${target}/index.ts`];
  return candidates.find((c) => paths.has(c));
}

export interface Reach {
  /** Reached module path → the chain of modules from the entry to it (entry excluded, it included). */
  chains: Map<string, string[]>;
  /** Relative runtime references that name no given file: `<from>: <specifier>`. */
  unresolved: string[];
}

/** Modules `entry` loads at runtime, transitively, each with its shortest chain (breadth first). */
export function runtimeReach(
  entry: string,
  byPath: ReadonlyMap<string, SourceFile>,
  refsOf: (f: SourceFile) => ModuleRef[],
  /** Modules not to walk into (they are checked as entries of their own). */
  skip: (path: string) => boolean = () => false,
): Reach {
  const paths = new Set(byPath.keys());
  const chains = new Map<string, string[]>([[entry, []]]);
  const unresolved: string[] = [];
  const queue = [entry];
  while (queue.length > 0) {
    const from = queue.shift()!;
    for (const ref of refsOf(byPath.get(from)!)) {
      if (!ref.runtime || !isRelative(ref.specifier)) continue;
      const to = resolveRelative(from, ref.specifier, paths);
      if (to === undefined) {
        unresolved.push(`${from}: ${ref.specifier}`);
        continue;
      }
      if (chains.has(to) || skip(to)) continue;
      chains.set(to, [...chains.get(from)!, to]);
      queue.push(to);
    }
  }
  chains.delete(entry);
  return { chains, unresolved };
}
