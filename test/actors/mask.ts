/**
 * Source masking for the determinism lint: comments and the contents of string, template and
 * regex literals become spaces (delimiters, `${…}` code and newlines kept), so word and import
 * checks see only code, and offsets and line numbers still match the original text.
 */
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
