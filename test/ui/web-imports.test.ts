import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../support/fixtures.js';

const WEB = join(repoRoot, 'web');
/** Server modules the page may bundle: pure ones (Intl and Date only), with no imports of their own. */
const PURE = [join(repoRoot, 'src', 'time.ts')];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Every import or re-export of a file, with whether it brings only types. */
function importsOf(file: string): { from: string; typeOnly: boolean }[] {
  const text = readFileSync(file, 'utf8');
  const found: { from: string; typeOnly: boolean }[] = [];
  for (const m of text.matchAll(
    /^(import|export)\s+(type\s+)?(?:[^;'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm,
  ))
    found.push({ from: m[3]!, typeOnly: m[2] !== undefined });
  return found;
}

describe('the web front end and the server', () => {
  it('shares the server types through `import type` only, so no server code is bundled', () => {
    const files = sources(join(WEB, 'src'));
    let shared = 0;
    for (const file of files)
      for (const { from, typeOnly } of importsOf(file)) {
        if (!from.startsWith('.')) continue;
        const target = resolve(dirname(file), from);
        if (target.startsWith(WEB + sep)) continue;
        shared++;
        const pure = PURE.includes(target.replace(/\.js$/, '.ts'));
        assert.ok(typeOnly || pure, `${relative(repoRoot, file)} imports ${from} as a value`);
      }
    assert.ok(shared >= 10, `the web uses the server's types (${shared} imports)`);
  });

  it('bundles only pure server modules (the shared clock), which import nothing themselves', () => {
    for (const file of PURE)
      assert.deepEqual(importsOf(file), [], `${relative(repoRoot, file)} stays free of imports`);
  });
});
