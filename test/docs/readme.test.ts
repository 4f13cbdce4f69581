/**
 * Every README code block that imports 'rivulet' runs as written: each ```ts block is written
 * to a module inside the package (so `import … from 'rivulet'` resolves to this package's built
 * entry through its `exports`) and run with node; it must exit 0.
 */
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((code) => code.includes("from 'rivulet'"));

function run(file: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe('README', () => {
  it('has code blocks that use the public API', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
  });

  const dir = path.join(ROOT, 'dist', 'readme-snippets');
  blocks.forEach((code, i) => {
    it(`snippet ${i + 1} runs as written`, async () => {
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `snippet-${i + 1}.mjs`);
      fs.writeFileSync(file, code);
      const r = await run(file);
      expect(r.code, r.out).toBe(0);
    }, 90_000);
  });
});
