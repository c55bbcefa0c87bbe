import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import createBplist from 'bplist-creator';
import { aesUnwrap, aesWrap } from '../../src/backup/aes-key-wrap.js';
import { decryptBuffer, DecryptStream, encryptBuffer } from '../../src/backup/crypto.js';
import { modelName } from '../../src/backup/device-models.js';
import { defaultBackupRoots } from '../../src/backup/discover.js';
import { fileIdOf, isValidFileId } from '../../src/backup/file-id.js';
import { decodeKeyedArchive } from '../../src/backup/nskeyedarchiver.js';
import { safeOutputPath } from '../../src/backup/safe-path.js';
import { CorruptInputError } from '../../src/errors.js';

test('RFC 3394 test vector: 256-bit key data with a 256-bit KEK', () => {
  const kek = Buffer.from(
    '000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F',
    'hex',
  );
  const key = Buffer.from(
    '00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F',
    'hex',
  );
  const wrapped = Buffer.from(
    '28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21',
    'hex',
  );
  assert.deepEqual(aesWrap(kek, key), wrapped);
  assert.deepEqual(aesUnwrap(kek, wrapped), key);
  assert.equal(aesUnwrap(Buffer.alloc(32), wrapped), null);
});

test('streaming decryption equals whole-buffer decryption for any chunking and strips only valid padding', async () => {
  const key = randomBytes(32);
  for (const size of [0, 1, 16, 31, 4096, 100_003]) {
    const plain = randomBytes(size);
    const cipher = encryptBuffer(key, plain);
    assert.deepEqual(decryptBuffer(key, cipher).data, plain);
    const chunks: Buffer[] = [];
    for (let i = 0; i < cipher.length; i += 7919) chunks.push(cipher.subarray(i, i + 7919));
    const stream = new DecryptStream(key, { expectedSize: size });
    const out: Buffer[] = [];
    for await (const chunk of Readable.from(chunks).pipe(stream)) out.push(chunk as Buffer);
    assert.deepEqual(Buffer.concat(out), plain, `size ${size}`);
  }
  // Stored without padding (as Manifest.db is): a last byte of 0x01 is content when the recorded size says so.
  const unpadded = Buffer.concat([randomBytes(31), Buffer.from([1])]);
  const raw = encryptBuffer(key, unpadded).subarray(0, 32);
  assert.deepEqual(decryptBuffer(key, raw, { expectedSize: 32 }).data, unpadded);
  // A truncated ciphertext keeps its whole blocks and says so.
  const truncated = decryptBuffer(key, encryptBuffer(key, randomBytes(100)).subarray(0, 70));
  assert.equal(truncated.truncated, true);
});

test('NSKeyedArchiver: references are resolved, NS.data given as a UID too, loops are refused', () => {
  const archive = (objects: unknown[]) =>
    createBplist({
      $version: 100000,
      $archiver: 'NSKeyedArchiver',
      $top: { root: { UID: 1 } },
      $objects: objects,
    });
  const decoded = decodeKeyedArchive(
    archive([
      '$null',
      {
        Size: 9,
        RelativePath: { UID: 2 },
        EncryptionKey: { UID: 3 },
        Tags: { UID: 6 },
        $class: { UID: 5 },
      },
      'Media/Test.txt',
      { 'NS.data': { UID: 4 }, $class: { UID: 7 } },
      Buffer.from('0102', 'hex'),
      { $classname: 'MBFile', $classes: ['MBFile', 'NSObject'] },
      { 'NS.keys': [{ UID: 2 }], 'NS.objects': [{ UID: 0 }], $class: { UID: 8 } },
      { $classname: 'NSMutableData', $classes: ['NSMutableData', 'NSData', 'NSObject'] },
      { $classname: 'NSDictionary', $classes: ['NSDictionary', 'NSObject'] },
    ]),
  );
  assert.deepEqual(decoded, {
    $class: 'MBFile',
    Size: 9,
    RelativePath: 'Media/Test.txt',
    EncryptionKey: Buffer.from('0102', 'hex'),
    Tags: { 'Media/Test.txt': null },
  });
  assert.throws(
    () => decodeKeyedArchive(archive(['$null', { Self: { UID: 1 } }])),
    CorruptInputError,
  );
  assert.throws(
    () => decodeKeyedArchive(Buffer.from('bplist00 but nothing else at all, not even a trailer')),
    CorruptInputError,
  );
});

test('damaged archives never throw anything but CorruptInputError', () => {
  const good = createBplist({
    $top: { root: { UID: 1 } },
    $objects: ['$null', { A: 1, B: 'text', C: Buffer.alloc(8) }],
  });
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 2000; i++) {
    const copy = Buffer.from(good);
    for (let j = 0; j < 3; j++)
      copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
    try {
      decodeKeyedArchive(
        random() < 0.2 ? copy.subarray(0, Math.floor(random() * copy.length)) : copy,
      );
    } catch (error) {
      assert.ok(error instanceof CorruptInputError, String(error));
    }
  }
});

test('fileIDs, output paths, model names and default folders', () => {
  assert.equal(
    fileIdOf('HomeDomain', 'Library/SMS/sms.db'),
    '3d0d7e5fb2ce288813306e4d4636395e047a3d28',
  );
  assert.equal(isValidFileId('../../etc/passwd'), false);
  assert.equal(isValidFileId('3D0D7E5FB2CE288813306E4D4636395E047A3D28'), false);
  assert.deepEqual(safeOutputPath('/out', 'HomeDomain', 'Library/a.txt'), {
    path: '/out/HomeDomain/Library/a.txt',
  });
  for (const [domain, path] of [
    ['HomeDomain', '../x'],
    ['HomeDomain', '/etc/x'],
    ['..', 'x'],
    ['HomeDomain', 'a\0b'],
    ['HomeDomain', 'C:\\x'],
    ['Home/Domain', 'x'],
    ['HomeDomain', 'a\\..\\..\\x'],
  ]) {
    assert.ok('refused' in safeOutputPath('/out', domain!, path!), `${domain} ${path}`);
  }
  assert.equal(modelName('iPhone14,2'), 'iPhone 13 Pro');
  assert.equal(modelName('iPad13,18'), 'iPad (10th generation)');
  assert.equal(modelName('iPhone99,9'), 'unknown model (iPhone99,9)');
  assert.deepEqual(defaultBackupRoots({ HOME: '/Users/a' }, 'darwin'), [
    '/Users/a/Library/Application Support/MobileSync/Backup',
  ]);
  const windows = defaultBackupRoots(
    { APPDATA: 'C:\\Users\\a\\AppData\\Roaming', USERPROFILE: 'C:\\Users\\a' },
    'win32',
  );
  assert.equal(windows.length, 2);
  assert.match(windows[0]!, /Apple Computer.MobileSync.Backup$/);
  assert.match(windows[1]!, /Users.a.Apple.MobileSync.Backup$/);
});
