// The package as a user gets it: `npm pack`, installed into a folder of its own, imported by name,
// running the README's library example.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { repoRoot, tempDir } from '../support/fixtures.js';

const tmp = tempDir('reclaim-pack-');
after(() => tmp.cleanup());

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 300_000 });
  assert.equal(
    result.status,
    0,
    `${command} ${args.join(' ')}:\n${result.stdout}\n${result.stderr}`,
  );
  return result.stdout;
}

/** The README's example under "As a library". */
function readmeExample(): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## As a library'));
  const block = /```js\n([\s\S]*?)```/.exec(section);
  assert.ok(block, 'the README has a js example under "As a library"');
  return block[1]!;
}

test(
  'npm pack: the library without demo builders or tests, importable as reclaim; the README example runs',
  {
    skip: existsSync(join(repoRoot, 'dist', 'index.js'))
      ? false
      : 'dist/ is not built (npm run build)',
  },
  () => {
    const packed = JSON.parse(
      run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp.path], repoRoot),
    ) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const paths = packed[0]!.files.map((f) => f.path);
    assert.ok(paths.includes('dist/index.js') && paths.includes('dist/index.d.ts'));
    assert.ok(paths.includes('demo/backup/Manifest.db'), 'the bundled demo backup ships');
    const shipped = (prefix: string) => paths.filter((p) => p.startsWith(prefix));
    for (const prefix of ['src/', 'test/', 'bench/', 'scripts/', 'demo/src/'])
      assert.deepEqual(shipped(prefix), [], `${prefix} is not shipped`);
    assert.deepEqual(
      shipped('dist/demo/').filter((p) => !/^dist\/demo\/location\./.test(p)),
      [],
      'of the demo, only its location helper ships',
    );

    // A separate package: the tarball installed offline, its dependencies the ones this checkout has.
    const consumer = join(tmp.path, 'consumer');
    mkdirSync(join(consumer, 'node_modules'), { recursive: true });
    writeFileSync(
      join(consumer, 'package.json'),
      '{ "name": "consumer", "private": true, "type": "module" }\n',
    );
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const name of Object.keys(manifest.dependencies)) {
      mkdirSync(dirname(join(consumer, 'node_modules', name)), { recursive: true });
      symlinkSync(
        join(repoRoot, 'node_modules', name),
        join(consumer, 'node_modules', name),
        'dir',
      );
    }
    const tarball = join(tmp.path, packed[0]!.filename);
    run(
      'npm',
      [
        'install',
        tarball,
        '--offline',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--no-package-lock',
      ],
      consumer,
    );
    assert.ok(existsSync(join(consumer, 'node_modules', 'reclaim', 'dist', 'index.js')));

    writeFileSync(join(consumer, 'example.mjs'), readmeExample());
    const out = run(process.execPath, ['example.mjs'], consumer);
    assert.match(out, /^\d+ files, e\.g\. \S+\/\S+/m);
    assert.match(out, /^3 conversations; problems: 0$/m);
    assert.match(out, /^Contacts: \d+ items, \d+ files$/m);
    assert.match(out, /^Call history: \d+ items, \d+ files$/m);
    assert.ok(existsSync(join(consumer, 'reclaim-out', 'contacts')));
    assert.ok(existsSync(join(consumer, 'reclaim-out', 'export-summary.json')));

    // Only the exports map is public.
    const deep = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', "await import('reclaim/dist/cli/main.js')"],
      { cwd: consumer, encoding: 'utf8' },
    );
    assert.match(deep.stderr, /ERR_PACKAGE_PATH_NOT_EXPORTED/);
  },
);
