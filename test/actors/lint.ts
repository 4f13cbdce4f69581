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
 *
 * Violation format: `<path>:<line>: <reason>: <source line trimmed>`.
 */
import { builtinModules } from 'node:module';
import { posix } from 'node:path';

export interface SourceFile {
  /** Repository-relative POSIX path, e.g. `actors/sc/sc.ts`. */
  path: string;
  text: string;
}

const FORBIDDEN_WORDS = [
  'Date', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'process', 'performance',
  'globalThis', 'crypto', 'Promise', 'await', 'async',
] as const;

const ALLOWED_ROOTS = ['actors/', 'src/runtime/', 'src/storage/'] as const;
const FORBIDDEN_LAYERS = ['src/threads', 'src/sim', 'src/cluster', 'src/cli', 'src/protocol'] as const;
const NODE_BUILTINS: ReadonlySet<string> = new Set(builtinModules.map((m) => m.replace(/^node:/, '')));

/** Characters after which a `/` starts a regex literal rather than a division. */
const REGEX_PRECEDERS = new Set(['', '(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);
const REGEX_KEYWORDS = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'instanceof', 'yield']);

/**
 * Returns `text` with comments and literal contents replaced by spaces (quotes/delimiters kept,
 * newlines kept), so offsets and line numbers still match the original text.
 */
export function maskSource(text: string): string {
  const out = text.split('');
  const blank = (i: number): void => {
    if (out[i] !== '\n') out[i] = ' ';
  };
  // Stack of brace depths for `${ … }` inside template literals.
  const templateDepths: number[] = [];
  let braceDepth = 0;
  let i = 0;
  const n = text.length;
  const prevSignificant = (from: number): { ch: string; word: string } => {
    let j = from - 1;
    while (j >= 0 && /\s/.test(out[j]!)) j--;
    if (j < 0) return { ch: '', word: '' };
    let k = j;
    while (k >= 0 && /[A-Za-z_$]/.test(out[k]!)) k--;
    return { ch: out[j]!, word: out.slice(k + 1, j + 1).join('') };
  };
  const skipTemplateBody = (): void => {
    // i is just after '`' or '}' that resumes a template; blank until '`' or '${'.
    while (i < n) {
      const c = text[i]!;
      if (c === '\\') { blank(i); blank(i + 1); i += 2; continue; }
      if (c === '`') { i++; return; }
      if (c === '$' && text[i + 1] === '{') { templateDepths.push(braceDepth); braceDepth++; i += 2; return; }
      blank(i); i++;
    }
  };
  while (i < n) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      while (i < n && text[i] !== '\n') { blank(i); i++; }
      continue;
    }
    if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (; i < stop; i++) blank(i);
      continue;
    }
    if (c === '"' || c === "'") {
      i++;
      while (i < n && text[i] !== c && text[i] !== '\n') {
        if (text[i] === '\\') { blank(i); i++; }
        blank(i); i++;
      }
      i++;
      continue;
    }
    if (c === '`') { i++; skipTemplateBody(); continue; }
    if (c === '{') { braceDepth++; i++; continue; }
    if (c === '}') {
      braceDepth--;
      if (templateDepths.length > 0 && templateDepths[templateDepths.length - 1] === braceDepth) {
        templateDepths.pop();
        i++;
        skipTemplateBody();
        continue;
      }
      i++;
      continue;
    }
    if (c === '/') {
      const prev = prevSignificant(i);
      const isRegex = prev.word !== '' ? REGEX_KEYWORDS.has(prev.word) : REGEX_PRECEDERS.has(prev.ch);
      if (isRegex) {
        i++;
        let inClass = false;
        while (i < n && text[i] !== '\n') {
          const r = text[i]!;
          if (r === '\\') { blank(i); blank(i + 1); i += 2; continue; }
          if (r === '[') inClass = true;
          else if (r === ']') inClass = false;
          else if (r === '/' && !inClass) break;
          blank(i); i++;
        }
        i++;
        continue;
      }
    }
    i++;
  }
  return out.join('');
}

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

const lineOf = (text: string, offset: number): number => {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
};

/** Every determinism violation in `files`; empty when clean. */
export function findViolations(files: readonly SourceFile[]): string[] {
  const violations: string[] = [];
  for (const file of files) {
    const masked = maskSource(file.text);
    const originalLines = file.text.split('\n');
    const report = (line: number, reason: string): void => {
      violations.push(`${file.path}:${line}: ${reason}: ${(originalLines[line - 1] ?? '').trim()}`);
    };
    const maskedLines = masked.split('\n');
    maskedLines.forEach((code, idx) => {
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
  }
  return violations;
}
