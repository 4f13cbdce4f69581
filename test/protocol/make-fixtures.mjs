#!/usr/bin/env node
/**
 * Regenerates test/protocol/fixtures/*.json — golden bytes from independent implementations.
 *
 *   node test/protocol/make-fixtures.mjs
 *
 * Requests: bytes come from kafkajs 2.2.4 / @platformatic/kafka 1.35.0 encoders (golden/cases-*.mjs);
 * the fixture stores them with the body our decoder must read (fields absent at that version
 * stripped). Responses: bytes are our encoding of the case body, kept only after their decoder
 * read it back as intended (projection ⊆ body). Mismatches are printed and the script exits 1,
 * but fixtures are still written so the failing cases can be inspected (and the tests fail).
 *
 * src/protocol is compiled with tsc into a temp dir first (Node 20 cannot run .ts directly).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { allCases, resolveBody } from './golden/cases.mjs';
import { hex, normalize, subsetMismatches, toTagged } from './golden/json.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const OUT = path.join(HERE, 'fixtures');

function compileProtocol() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rivulet-protocol-'));
  execFileSync(process.execPath, [
    path.join(ROOT, 'node_modules/typescript/bin/tsc'), '--outDir', dir, '--rootDir', path.join(ROOT, 'src/protocol'),
    '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022', '--strict', '--skipLibCheck',
    '--types', 'node', path.join(ROOT, 'src/protocol/index.ts'),
  ], { stdio: 'inherit' });
  fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
  return dir;
}

/** Drop fields absent at this version (they always decode to defaults), recursively. */
export function strip(compileStruct, fields, version, flexible, value) {
  if (value === null || typeof value !== 'object') return value;
  const c = compileStruct(fields, version, flexible);
  const out = {};
  for (const f of c.order) {
    if (f.mode === 'absent' || !(f.name in value)) continue;
    const v = value[f.name];
    if (f.kind !== 'struct' || v === null) out[f.name] = v;
    else if (f.array) out[f.name] = v.map((x) => strip(compileStruct, f.spec.fields, version, flexible, x));
    else out[f.name] = strip(compileStruct, f.spec.fields, version, flexible, v);
  }
  return out;
}

async function main() {
  const dir = compileProtocol();
  const P = await import(pathToFileURL(path.join(dir, 'index.js')).href);
  const { compileStruct } = await import(pathToFileURL(path.join(dir, 'schema-compile.js')).href);
  const { isFlexible } = await import(pathToFileURL(path.join(dir, 'schema.js')).href);
  const byApi = new Map();
  let failures = 0;
  for (const c of allCases()) {
    const schema = P.MESSAGES[c.apiKey][c.kind];
    const body = strip(compileStruct, schema.fields, c.version, isFlexible(schema, c.version), await resolveBody(c));
    const problems = [];
    let bytes;
    if (c.kind === 'request') {
      bytes = await c.theirs();
      try {
        problems.push(...subsetMismatches(normalize(P.decodeRequestBody(c.apiKey, c.version, bytes)), normalize(body)));
        const again = hex(P.encodeRequestBody(c.apiKey, c.version, body));
        if (again !== hex(bytes)) problems.push(`re-encoded ${again} != theirs ${hex(bytes)}`);
      } catch (e) {
        problems.push(`our decoder: ${e.message}`);
      }
    } else {
      bytes = P.encodeResponseBody(c.apiKey, c.version, body);
      try {
        const theirs = await c.decode(bytes);
        problems.push(...subsetMismatches(normalize(body), normalize(c.project(theirs))));
        if (c.theirs) problems.push(...subsetMismatches(normalize(theirs), c.theirs));
      } catch (e) {
        problems.push(`their decoder: ${e.message}`);
      }
    }
    if (problems.length) {
      failures++;
      console.error(`✗ ${c.id}\n  ${problems.join('\n  ')}`);
    }
    const api = c.id.split('.')[0];
    if (!byApi.has(api)) byApi.set(api, []);
    byApi.get(api).push({ id: c.id, apiKey: c.apiKey, version: c.version, kind: c.kind, source: c.source, hex: hex(bytes), body: toTagged(body) });
  }
  fs.mkdirSync(OUT, { recursive: true });
  for (const [api, list] of byApi) {
    list.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
    fs.writeFileSync(path.join(OUT, `${api}.json`), JSON.stringify(list, null, 1) + '\n');
  }
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`${[...byApi.values()].flat().length} fixtures in ${byApi.size} files; ${failures} with problems`);
  process.exitCode = failures ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
