import { createCipheriv, createHash, pbkdf2Sync } from 'node:crypto';
import bplistCreator from 'bplist-creator';
import { aesWrap } from '../../src/backup/aes-key-wrap.js';
import { demoUUID, demoUUIDBytes } from './ids.js';

/**
 * Locked notes in the formats Notes writes after V1 (NotesKit docs/encryption-research.md, reverse-engineered
 * from NotesShared on macOS 26; the fixture ios17-NoteStore.sqlite holds real V2 notes):
 * - V1 Neo (cipherVersion 2): ZDATA = NSKeyedArchiver ICCryptoEncryptionObject {metadata (bplist: cipherVersion,
 *   objectIdentifier; the AAD), unauthenticatedMetadata (bplist: passphraseSalt 32 B, passphraseIterationCount,
 *   passphraseHint), wrappedEncryptionKey (40 B), encryptedData = ciphertext ‖ IV (32 B) ‖ tag (16 B)}, AES-256-GCM
 *   under a key RFC 3394-wrapped with PBKDF2-SHA256(password, salt, iterations, 32).
 * - V2 (cipherVersion 1): the same object with metadata {cipherVersion 1, accountKeyIdentifier} and no
 *   unauthenticated metadata; the note key is wrapped with an account key kept in the keychain, so the bytes here
 *   are random-looking and no password opens them. The note row keeps a 16-byte ZCRYPTOWRAPPEDKEY and iteration
 *   count 0 (as in the fixture); the account row a 24-byte ZCRYPTOVERIFIER: a key wrapped with
 *   PBKDF2-SHA256(password, account salt, iterations, 16) — "unwraps account verifier (password check only)".
 * - V1 with its values only in ZUNAPPLIEDENCRYPTEDRECORD(DATA): an archived CKRecord whose
 *   ValueStore.RecordValues hold CryptoInitializationVector, CryptoTag, CryptoSalt, CryptoIterationCount,
 *   CryptoWrappedKey (apple_cloud_notes_parser AppleNoteStore.rb).
 */

const uid = (n: number) => ({ UID: n });

/** An NSKeyedArchiver archive whose root object of `className` holds `fields` as raw NSData / numbers. */
function archive(className: string, fields: Record<string, Buffer>): Buffer {
  const objects: unknown[] = ['$null'];
  const root: Record<string, unknown> = {};
  objects.push(root);
  for (const [key, value] of Object.entries(fields)) {
    objects.push(value);
    root[key] = uid(objects.length - 1);
  }
  objects.push({ $classname: className, $classes: [className, 'NSObject'] });
  root['$class'] = uid(objects.length - 1);
  return bplistCreator({
    $version: 100000,
    $archiver: 'NSKeyedArchiver',
    $top: { root: uid(1) },
    $objects: objects,
  });
}

/** ZDATA of a V1 Neo locked note. */
export function lockNoteNeo(
  plain: Buffer,
  password: string,
  key: string,
  iterations = 20000,
): Buffer {
  const salt = Buffer.concat([
    demoUUIDBytes(`${key}-neo-salt-1`),
    demoUUIDBytes(`${key}-neo-salt-2`),
  ]);
  const noteKey = createHash('sha256').update(`${key}-neo-key`).digest();
  const iv = createHash('sha256').update(`${key}-neo-iv`).digest();
  const metadata = bplistCreator({ cipherVersion: 2, objectIdentifier: demoUUID(`${key}-object`) });
  const unauthenticated = bplistCreator({
    passphraseSalt: salt,
    passphraseIterationCount: iterations,
    passphraseHint: 'demo hint',
  });
  const kek = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const cipher = createCipheriv('aes-256-gcm', noteKey, iv);
  cipher.setAAD(metadata);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return archive('ICCryptoEncryptionObject', {
    metadata,
    unauthenticatedMetadata: unauthenticated,
    wrappedEncryptionKey: aesWrap(kek, noteKey),
    encryptedData: Buffer.concat([body, iv, cipher.getAuthTag()]),
  });
}

/** ZDATA of a V2 locked note (its key is in the keychain: deterministic bytes that no password opens). */
export function lockNoteV2(plainLength: number, key: string, accountKeyIdentifier: string): Buffer {
  const filler = (label: string, length: number) => {
    const out: Buffer[] = [];
    for (let i = 0; out.length * 32 < length; i++)
      out.push(createHash('sha256').update(`${key}-${label}-${i}`).digest());
    return Buffer.concat(out).subarray(0, length);
  };
  return archive('ICCryptoEncryptionObject', {
    metadata: bplistCreator({ cipherVersion: 1, accountKeyIdentifier }),
    wrappedEncryptionKey: filler('v2-wrapped', 40),
    encryptedData: filler('v2-data', plainLength + 48),
  });
}

/** The account row's password verifier (V2 accounts): salt, iterations and a 24-byte wrapped key. */
export function accountVerifier(
  password: string,
  key: string,
  iterations = 20000,
): { salt: Buffer; iterations: number; verifier: Buffer } {
  const salt = demoUUIDBytes(`${key}-account-salt`);
  const kek = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 16, 'sha256');
  return { salt, iterations, verifier: aesWrap(kek, demoUUIDBytes(`${key}-account-verifier`)) };
}

/** ZUNAPPLIEDENCRYPTEDRECORD(DATA): a CKRecord archive holding a V1 note's crypto values. */
export function unappliedRecord(values: {
  salt: Buffer;
  iterations: number;
  wrappedKey: Buffer;
  iv: Buffer;
  tag: Buffer;
}): Buffer {
  const entries: Array<[string, unknown]> = [
    ['CryptoInitializationVector', values.iv],
    ['CryptoTag', values.tag],
    ['CryptoSalt', values.salt],
    ['CryptoIterationCount', values.iterations],
    ['CryptoWrappedKey', values.wrappedKey],
  ];
  const objects: unknown[] = ['$null'];
  const push = (o: unknown) => objects.push(o) - 1;
  const record: Record<string, unknown> = {};
  const recordUid = push(record);
  const store: Record<string, unknown> = {};
  record['ValueStore'] = uid(push(store));
  const dict: Record<string, unknown> = {};
  store['RecordValues'] = uid(push(dict));
  dict['NS.keys'] = entries.map(([k]) => uid(push(k)));
  dict['NS.objects'] = entries.map(([, v]) => uid(push(v)));
  dict['$class'] = uid(
    push({
      $classname: 'NSMutableDictionary',
      $classes: ['NSMutableDictionary', 'NSDictionary', 'NSObject'],
    }),
  );
  store['$class'] = uid(
    push({ $classname: 'CKRecordValueStore', $classes: ['CKRecordValueStore', 'NSObject'] }),
  );
  record['$class'] = uid(push({ $classname: 'CKRecord', $classes: ['CKRecord', 'NSObject'] }));
  return bplistCreator({
    $version: 100000,
    $archiver: 'NSKeyedArchiver',
    $top: { root: uid(recordUid) },
    $objects: objects,
  });
}
