/**
 * Locate compiled worker scripts. Workers run compiled JS from dist/; when this module itself is
 * loaded from TypeScript sources (vitest), map src/… to dist/src/….
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export function compiledSibling(moduleUrl: string, jsName: string): string {
  const here = fileURLToPath(moduleUrl);
  const dir = path.dirname(here);
  if (here.endsWith('.ts')) {
    const marker = `${path.sep}src${path.sep}`;
    const i = dir.lastIndexOf(marker) >= 0 ? dir.lastIndexOf(marker) : (dir + path.sep).lastIndexOf(marker);
    const root = dir.slice(0, i);
    const rel = dir.slice(i + 1);
    return path.join(root, 'dist', rel, jsName);
  }
  return path.join(dir, jsName);
}
