/**
 * Determinism lint for actors/ (DESIGN §2): actor behaviours must be pure and synchronous so the
 * same code runs under the thread host and the seeded simulator. `findViolations` is a pure
 * function over file texts, so tests can feed it both the real tree and synthetic bad files.
 *
 * What it flags, in code (comments and string/template/regex literal contents are masked first,
 * so `// uses Date` or `'process started'` is fine, but `${Date.now()}` inside a template is not):
 * - ambient nondeterminism / escape hatches: `Date`, `Math.random`, `setTimeout`, `setInterval`,
 *   `setImmediate`, `queueMicrotask`, `process`, `performance`, `globalThis`, `crypto`, `Promise`
 * - asynchrony: `await`, `async`
 * - module loading: `require(`, dynamic `import(`
 * - imports (static, `import type`, re-exports, side-effect imports) of anything but:
 *   relative paths resolving inside actors/, src/runtime/**, src/storage/**.
 *   `node:*` and bare Node builtins ('fs', 'worker_threads', …) are named as such; src/threads,
 *   src/sim, src/cluster, src/cli, src/protocol are named as forbidden layers; other bare packages too.
 * A forbidden word used as a property name after `.` (`msg.process`) is not a violation.
 * - reachable loads: the modules an actors/ file loads at runtime, followed transitively through
 *   imports and re-exports (barrels included; import-graph.ts; `import type`/`export type` are
 *   erased and not followed), must not load a Node builtin or a package either. So importing the
 *   storage barrel, which loads file-ops.ts → node:fs, is caught even though src/storage/ is an
 *   allowed root. Accepted exceptions are passed in explicitly (LintOptions.allowReachable).
 *
 * Violation format: `<path>:<line>: <reason>: <source line trimmed>`.
 */
import { builtinModules } from 'node:module';
import { posix } from 'node:path';
import { isRelative, lineOf, moduleRefs, resolveRelative, runtimeReach, type ModuleRef, type SourceFile } from './import-graph.js';
import { maskSource } from './mask.js';

export { maskSource } from './mask.js';
export type { SourceFile } from './import-graph.js';

const FORBIDDEN_WORDS = [
  'Date', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'process', 'performance',
  'globalThis', 'crypto', 'Promise', 'await', 'async',
] as const;

const ALLOWED_ROOTS = ['actors/', 'src/runtime/', 'src/storage/'] as const;
const FORBIDDEN_LAYERS = ['src/threads', 'src/sim', 'src/cluster', 'src/cli', 'src/protocol'] as const;
const NODE_BUILTINS: ReadonlySet<string> = new Set(builtinModules.map((m) => m.replace(/^node:/, '')));

/** Why an import specifier is not allowed from `fromPath`, or null if it is. */
export function importViolation(fromPath: string, specifier: string): string | null {
  if (specifier.startsWith('node:')) return `imports Node builtin '${specifier}'`;
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const resolved = posix.normalize(posix.join(posix.dirname(fromPath), specifier));
    if (ALLOWED_ROOTS.some((root) => resolved.startsWith(root))) return null;
    const layer = FORBIDDEN_LAYERS.find((l) => resolved === l || resolved.startsWith(`${l}/`));
    if (layer !== undefined) return `imports from ${layer} ('${specifier}')`;
    return `imports '${specifier}' (${resolved}), outside actors/, src/runtime/, src/storage/`;
  }
  const root = specifier.split('/')[0]!;
  if (NODE_BUILTINS.has(specifier) || NODE_BUILTINS.has(root)) return `imports Node builtin '${specifier}'`;
  return `imports package '${specifier}' (actors may import only actors/, src/runtime/, src/storage/)`;
}

/** Word, call and direct-import checks of one actors/ file. */
function directViolations(file: SourceFile): string[] {
  const violations: string[] = [];
  const masked = maskSource(file.text);
  const originalLines = file.text.split('\n');
  const report = (line: number, reason: string): void => {
    violations.push(`${file.path}:${line}: ${reason}: ${(originalLines[line - 1] ?? '').trim()}`);
  };
  masked.split('\n').forEach((code, idx) => {
    const line = idx + 1;
    for (const word of FORBIDDEN_WORDS) {
      const re = new RegExp(`(^|[^.\\w$])${word}(?![\\w$])`);
      if (re.test(code)) report(line, `uses '${word}'`);
    }
    if (/(^|[^.\w$])Math\s*\.\s*random(?![\w$])/.test(code)) report(line, "uses 'Math.random'");
    if (/(^|[^.\w$])Math\s*\[/.test(code)) report(line, "uses a computed 'Math[…]' member");
    if (/(^|[^.\w$])require\s*\(/.test(code)) report(line, "uses 'require('");
    if (/(^|[^.\w$])import\s*\(/.test(code)) report(line, "uses dynamic 'import('");
  });
  // Module specifiers: find `from '…'` / `import '…'` in masked code, read the name from the original.
  const specifierRe = /(?:\bfrom|(?:^|[;\s])import)\s*(['"])/g;
  for (let m = specifierRe.exec(masked); m !== null; m = specifierRe.exec(masked)) {
    const quote = m[1]!;
    const start = m.index + m[0].length;
    const end = file.text.indexOf(quote, start);
    if (end < 0) continue;
    const why = importViolation(file.path, file.text.slice(start, end));
    if (why !== null) report(lineOf(file.text, start), why);
  }
  return violations;
}

/** A runtime load of a reachable module that is accepted, with the reason (and who must fix it). */
export interface AllowedLoad {
  module: string;
  specifier: string;
  why: string;
}

export interface LintOptions {
  allowReachable?: readonly AllowedLoad[];
}

/** Why a non-relative runtime load is not allowed anywhere actors reach (builtins, packages). */
function loadViolation(specifier: string): string {
  const bare = specifier.replace(/^node:/, '');
  if (specifier.startsWith('node:') || NODE_BUILTINS.has(bare) || NODE_BUILTINS.has(bare.split('/')[0]!)) return `Node builtin '${specifier}'`;
  return `package '${specifier}'`;
}

/**
 * Modules outside actors/ that an actors/ file loads at runtime, transitively (imports and
 * re-exports; type-only ones are erased): each of their runtime loads of a Node builtin or a
 * package is a violation of the actors/ file, reported on the line of its first import of the
 * chain. Other actors/ files are not walked into: each is checked as an entry of its own.
 */
function reachableViolations(files: readonly SourceFile[], opts: LintOptions): string[] {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const paths = new Set(byPath.keys());
  const refsCache = new Map<string, ModuleRef[]>();
  const refsOf = (f: SourceFile) => refsCache.get(f.path) ?? refsCache.set(f.path, moduleRefs(f)).get(f.path)!;
  const allowed = (module: string, specifier: string) => (opts.allowReachable ?? []).some((a) => a.module === module && a.specifier === specifier);
  const violations: string[] = [];
  for (const entry of files.filter(isActorFile)) {
    const lines = entry.text.split('\n');
    const reach = runtimeReach(entry.path, byPath, refsOf, isActorPath);
    for (const [module, chain] of reach.chains) {
      for (const ref of refsOf(byPath.get(module)!)) {
        if (!ref.runtime || isRelative(ref.specifier) || allowed(module, ref.specifier)) continue;
        const first = refsOf(entry).find((r) => r.runtime && resolveRelative(entry.path, r.specifier, paths) === chain[0]);
        const line = first?.line ?? 1;
        violations.push(
          `${entry.path}:${line}: reaches ${loadViolation(ref.specifier)} (${module}:${ref.line}) via ${chain.join(' → ')}: ${(lines[line - 1] ?? '').trim()}`,
        );
      }
    }
  }
  return violations;
}

const isActorPath = (path: string): boolean => path.startsWith('actors/');
const isActorFile = (f: SourceFile): boolean => isActorPath(f.path);

/**
 * Every determinism violation of the actors/ files among `files`; empty when clean. Other files
 * (src/…) are there to be walked: what actors reach at runtime must load no Node builtin and no
 * package either (see reachableViolations).
 */
export function findViolations(files: readonly SourceFile[], opts: LintOptions = {}): string[] {
  return [...files.filter(isActorFile).flatMap(directViolations), ...reachableViolations(files, opts)];
}

/** Relative runtime imports reachable from actors/ files that name none of `files`. */
export function unresolvedImports(files: readonly SourceFile[]): string[] {
  const byPath = new Map(files.map((f) => [f.path, f]));
  return files.filter(isActorFile).flatMap((f) => runtimeReach(f.path, byPath, moduleRefs, isActorPath).unresolved);
}
