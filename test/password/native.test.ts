import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import {
  availableBackends,
  backendByName,
  chooseBackend,
  KERNEL_ENV,
  loadAddon,
  nativeKernels,
  nodeBackend,
} from '../../src/password/native.js';
import { ReclaimError } from '../../src/errors.js';

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
    for (const name of ['avx512', 'avx2', 'avx2-x16', 'shani-x2', 'shani-x3', 'shani-x4', 'scalar'])
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

test('the AVX-512 kernel source, run on emulated intrinsics, matches the scalar kernel', (t) => {
  if (spawnSync('cc', ['--version']).status !== 0) return t.skip('no C compiler');
  const native = new URL('../../native/', import.meta.url).pathname;
  const here = new URL('./avx512-emulated.c', import.meta.url).pathname;
  const exe = `${tmpdir()}/reclaim-avx512-emulated-${process.pid}`;
  const build = spawnSync(
    'cc',
    ['-O1', '-Wno-psabi', `-I${native}`, '-o', exe, here, `${native}sha256_scalar.c`],
    { encoding: 'utf8' },
  );
  assert.equal(build.status, 0, build.stderr);
  const run = spawnSync(exe, { encoding: 'utf8' });
  rmSync(exe, { force: true });
  assert.equal(run.stdout.trim(), 'emulated avx512 kernel ok');
});

test('the native SHA-1 stage matches crypto.pbkdf2Sync (where SHA-NI runs it)', needsAddon, (t) => {
  if (!addon!.sha1Accelerated()) return t.skip('no SHA-NI: the SHA-1 stage uses Node crypto');
  for (const [count, saltLength, iterations] of [
    [1, 20, 1],
    [2, 20, 2],
    [3, 0, 10],
    [5, 20, 1000],
    [7, 70, 33],
  ] as const) {
    const secrets = randomPasswords(count);
    const salt = randomBytes(saltLength);
    const keys = addon!.deriveSha1(secrets, salt, iterations);
    secrets.forEach((secret, i) => {
      assert.deepEqual(
        keys.subarray(32 * i, 32 * i + 32),
        pbkdf2Sync(secret, salt, iterations, 32, 'sha1'),
        `#${i} of ${count}, ${iterations} rounds`,
      );
    });
  }
  assert.equal(backendByName(availableBackends()[0]!.name).sha1Name, 'sha-ni');
});
