import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import {
  availableBackends,
  backendByName,
  chooseBackend,
  chooseSha1,
  KERNEL_ENV,
  loadAddon,
  NATIVE_ENV,
  measureSha1,
  nativeKernels,
  nativeSha1Kernels,
  nodeBackend,
  nodeSha1,
  SHA1_KERNEL_ENV,
  sha1StageByName,
  sha1Stages,
} from '../../src/password/native.js';
import { parseHashLine } from '../../src/password/hash-line.js';
import { findPassword } from '../../src/password/verifier.js';
import { ReclaimError } from '../../src/errors.js';
import { fixture, needsFixtures } from '../support/fixtures.js';
import { lowDpicTarget, runCli } from './helpers/targets.js';

const addon = loadAddon();
const needsAddon = {
  skip: addon ? false : 'native addon not built (npm install builds it): Node crypto fallback only',
};

/** Random passwords of awkward lengths: empty, one block, over 64 bytes (hashed key), UTF-8. */
function randomPasswords(count: number): Buffer[] {
  const lengths = [0, 1, 3, 31, 32, 55, 56, 63, 64, 65, 100, 200];
  return Array.from({ length: count }, (_, i) =>
    i === 5 ? Buffer.from('pässwörd ✓') : randomBytes(lengths[i % lengths.length]!),
  );
}

test(
  'every native kernel this CPU runs matches crypto.pbkdf2Sync on random inputs',
  needsAddon,
  () => {
    const kernels = nativeKernels().filter((k) => k.supported);
    assert.ok(kernels.some((k) => k.name === 'scalar'));
    for (const kernel of kernels) {
      const backend = backendByName(kernel.name);
      for (const [count, saltLength, iterations] of [
        [1, 20, 1],
        [kernel.lanes + 1, 20, 2],
        [2 * kernel.lanes - 1, 0, 37],
        [17, 80, 1000],
        [5, 61, 4096],
      ] as const) {
        const passwords = randomPasswords(count);
        const salt = randomBytes(saltLength);
        const keys = backend.derive(passwords, salt, iterations);
        passwords.forEach((password, i) => {
          assert.deepEqual(
            keys[i],
            pbkdf2Sync(password, salt, iterations, 32, 'sha256'),
            `${kernel.name}: #${i} of ${count}, salt ${saltLength}, ${iterations} rounds`,
          );
        });
      }
    }
  },
);

test(
  'kernels a CPU lacks are listed but refused (AVX-512 is checked on CPUs that have it)',
  needsAddon,
  () => {
    const names = nativeKernels().map((k) => k.name);
    for (const name of [
      'avx512-x32',
      'avx512',
      'avx2',
      'avx2-x16',
      'shani-x2',
      'shani-x3',
      'shani-x4',
      'scalar',
    ])
      assert.ok(names.includes(name), name);
    for (const kernel of nativeKernels().filter((k) => !k.supported)) {
      assert.throws(
        () => backendByName(kernel.name),
        (e: unknown) => e instanceof ReclaimError && /this CPU cannot run it/.test(e.message),
      );
    }
    assert.throws(() => backendByName('sha3'), /not available/);
  },
);

test('deriveAsync runs off the main thread and gives the same keys', needsAddon, async () => {
  const salt = randomBytes(20);
  const passwords = randomPasswords(6);
  const keys = await addon!.deriveAsync(passwords, salt, 500);
  passwords.forEach((p, i) =>
    assert.deepEqual(keys.subarray(32 * i, 32 * i + 32), pbkdf2Sync(p, salt, 500, 32, 'sha256')),
  );
  await assert.rejects(async () => addon!.deriveAsync([], salt, 1), /non-empty array/);
  assert.throws(() => addon!.derive([Buffer.from('x')], salt, 0), /iterations/);
});

test('the fallback backend is Node crypto, and it is always available', () => {
  assert.equal(availableBackends().at(-1), nodeBackend);
  const salt = randomBytes(20);
  assert.deepEqual(
    nodeBackend.derive([Buffer.from('a')], salt, 3)[0],
    pbkdf2Sync('a', salt, 3, 32, 'sha256'),
  );
});

test(`${KERNEL_ENV} forces a backend; unset, the fastest one is chosen`, () => {
  const script = `import { chooseBackend } from './src/password/native.ts'; console.log(chooseBackend().backend.name);`;
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
  assert.equal(run({ [KERNEL_ENV]: 'node' }).stdout.trim(), 'node');
  if (addon) assert.equal(run({ [KERNEL_ENV]: 'scalar' }).stdout.trim(), 'scalar');
  assert.match(run({ [KERNEL_ENV]: 'nonsense' }).stderr, /not available/);
  assert.ok(availableBackends().some((b) => b.name === chooseBackend().backend.name));
});

test('the AVX-512 kernel sources, run on emulated intrinsics, match the scalar kernels', (t) => {
  if (spawnSync('cc', ['--version']).status !== 0) return t.skip('no C compiler');
  const native = new URL('../../native/', import.meta.url).pathname;
  const here = new URL('./avx512-emulated.c', import.meta.url).pathname;
  const exe = `${tmpdir()}/reclaim-avx512-emulated-${process.pid}`;
  const sources = ['sha256_scalar.c', 'sha1.c'];
  const build = spawnSync(
    'cc',
    ['-O1', '-Wno-psabi', `-I${native}`, '-o', exe, here, ...sources.map((f) => native + f)],
    { encoding: 'utf8' },
  );
  assert.equal(build.status, 0, build.stderr);
  const run = spawnSync(exe, { encoding: 'utf8' });
  rmSync(exe, { force: true });
  assert.equal(run.stdout.trim(), 'emulated avx512 kernels ok');
});

test(
  'every SHA-1 kernel this CPU runs matches crypto.pbkdf2Sync on random inputs',
  needsAddon,
  () => {
    const kernels = nativeSha1Kernels().filter((k) => k.supported);
    assert.ok(kernels.some((k) => k.name === 'scalar'));
    for (const kernel of kernels) {
      const stage = sha1StageByName(kernel.name);
      for (const [count, saltLength, iterations] of [
        [1, 20, 1],
        [stage.lanes + 1, 20, 2],
        [2 * stage.lanes - 1, 0, 37],
        [13, 70, 1000],
        [5, 20, 10_000],
      ] as const) {
        const secrets = randomPasswords(count);
        const salt = randomBytes(saltLength);
        const keys = stage.derive(secrets, salt, iterations);
        secrets.forEach((secret, i) => {
          assert.deepEqual(
            keys[i],
            pbkdf2Sync(secret, salt, iterations, 32, 'sha1'),
            `${kernel.name}: #${i} of ${count}, salt ${saltLength}, ${iterations} rounds`,
          );
        });
      }
    }
  },
);

test(
  'every SHA-1 kernel unlocks the known pre-10.2 and low-DPIC vectors and rejects the wrong words',
  needsFixtures(),
  () => {
    const vectors = readFileSync(fixture('password-vectors.tsv'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split('\t') as [string, string, string])
      .filter(([, , hash]) => (parseHashLine(hash).dpic ?? 0) <= 10_000);
    assert.ok(vectors.some(([, , hash]) => hash.startsWith('$itunes_backup$*9*')));
    const sha256 = availableBackends('node')[0]!.name;
    for (const stage of sha1Stages()) {
      const backend = backendByName(sha256, stage.name);
      for (const [source, password, hash] of vectors) {
        const words = ['letmein', `${password}x`, password, password.toUpperCase() + '!'];
        assert.equal(
          findPassword(parseHashLine(hash), backend, words),
          2,
          `${stage.name}: ${source}`,
        );
      }
    }
  },
);

test('kernels: SHA-1 ones a CPU lacks are listed but refused; the fastest SHA-1 stage is chosen', () => {
  if (addon) {
    const names = nativeSha1Kernels().map((k) => k.name);
    for (const name of ['avx512-x32', 'avx512', 'shani-x4', 'avx2-x16', 'avx2', 'scalar'])
      assert.ok(names.includes(name), name);
    for (const kernel of nativeSha1Kernels().filter((k) => !k.supported))
      assert.throws(() => sha1StageByName(kernel.name), /this CPU cannot run it/);
  }
  assert.throws(() => sha1StageByName('md5'), /not available/);
  assert.equal(sha1Stages().at(-1), nodeSha1);
  const chosen = chooseSha1();
  assert.ok(sha1Stages().some((s) => s.name === chosen.stage.name));
  assert.ok(chosen.secondsPerIteration > 0 && measureSha1(chosen.stage, 10) > 0);
  const script = `import { chooseSha1 } from './src/password/native.ts'; console.log(chooseSha1().stage.name);`;
  const run = (value: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, [SHA1_KERNEL_ENV]: value },
    });
  assert.equal(run('node').stdout.trim(), 'node');
  if (addon) assert.equal(run('scalar').stdout.trim(), 'scalar');
  assert.match(run('nonsense').stderr, /not available/);
});

test(`without the addon (${NATIVE_ENV}=off, as when it cannot be built) both stages use Node's crypto`, () => {
  for (const dpic of [null, 1000]) {
    const { line } = lowDpicTarget('73', dpic, 1000);
    const result = runCli(
      ['password', 'recover', '--hash', line, '--mask', '?d?d', '--no-keychain'],
      {
        [NATIVE_ENV]: 'off',
      },
    );
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      result.stderr,
      /with Node's crypto \(the native addon is not built; `npm install` builds it\)/,
    );
    assert.equal(result.stdout, 'Password found: 73\n');
  }
});
