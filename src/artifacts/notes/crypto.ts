import { createDecipheriv, pbkdf2Sync } from 'node:crypto';
import { aesUnwrap } from '../../backup/aes-key-wrap.js';
import { readBinaryPlist } from '../../backup/bplist-reader.js';
import { decodeKeyedArchive } from '../../backup/nskeyedarchiver.js';

/**
 * Password-locked notes, in the three formats Notes writes (NotesKit docs/encryption-research.md, from
 * NotesShared's ICNoteCryptoStrategyV1 / V1Neo / V2; apple_cloud_notes_parser for V1):
 * - V1 (iOS 9.3-16): key-encryption key = PBKDF2-SHA256(password, ZCRYPTOSALT, ZCRYPTOITERATIONCOUNT), 16
 *   bytes; the note key = RFC 3394 unwrap of ZCRYPTOWRAPPEDKEY; ZDATA = AES-128-GCM(note key,
 *   ZCRYPTOINITIALIZATIONVECTOR, tag ZCRYPTOTAG), then gzip.
 * - V1 Neo (cipherVersion 2; macOS 15 / iOS 18 generation, per-note password): ZDATA is an NSKeyedArchiver
 *   ICCryptoEncryptionObject {metadata, unauthenticatedMetadata, wrappedEncryptionKey, encryptedData}; KEK =
 *   PBKDF2-SHA256(password, passphraseSalt, passphraseIterationCount), 32 bytes; 40-byte wrapped key → 32-byte
 *   key; encryptedData = ciphertext ‖ IV (32) ‖ tag (16); AES-256-GCM with the raw metadata bytes as AAD.
 * - V2 (cipherVersion 1; iOS 16+ notes locked with the device passcode): the same object, its metadata naming an
 *   accountKeyIdentifier: the note key is wrapped with an account key kept in the device's keychain, which the
 *   password never opens; the password can only be checked against the account's verifier.
 */

export interface NoteCrypto {
  salt: Buffer;
  iterations: number;
  wrappedKey: Buffer;
  /** IV/tag pairs to try (the note data's own, then the note row's). */
  ivTags: Array<{ iv: Buffer; tag: Buffer }>;
}

export type DecryptResult =
  | { ok: true; data: Buffer }
  | { ok: false; reason: 'wrong-password' | 'unsupported'; message: string };

/** ZDATA of a V1 Neo or V2 locked note (an ICCryptoEncryptionObject archive). */
export interface EncryptionObject {
  /** The raw metadata plist: the AAD of V1 Neo. */
  metadata: Buffer;
  cipherVersion: number | null;
  /** Set on V2 notes: the keychain item holding the account key. */
  accountKeyIdentifier: string | null;
  salt: Buffer | null;
  iterations: number | null;
  hint: string | null;
  wrappedKey: Buffer;
  encryptedData: Buffer;
}

const MAX_ITERATIONS = 50_000_000;

function plistDict(data: unknown): Record<string, unknown> | null {
  if (!Buffer.isBuffer(data)) return null;
  try {
    const value = readBinaryPlist(data);
    return value && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** The ICCryptoEncryptionObject a locked note's ZDATA holds, or null when it is not one. */
export function parseEncryptionObject(data: Buffer): EncryptionObject | null {
  if (data.subarray(0, 8).toString('latin1') !== 'bplist00') return null;
  let root: Record<string, unknown>;
  try {
    root = decodeKeyedArchive(data) as Record<string, unknown>;
  } catch {
    return null;
  }
  const metadata = root?.['metadata'];
  const wrappedKey = root?.['wrappedEncryptionKey'];
  const encryptedData = root?.['encryptedData'];
  if (!Buffer.isBuffer(metadata) || !Buffer.isBuffer(wrappedKey) || !Buffer.isBuffer(encryptedData))
    return null;
  const meta = plistDict(metadata) ?? {};
  const open = plistDict(root['unauthenticatedMetadata']) ?? {};
  const num = (v: unknown) => (typeof v === 'number' || typeof v === 'bigint' ? Number(v) : null);
  return {
    metadata,
    cipherVersion: num(meta['cipherVersion']),
    accountKeyIdentifier:
      typeof meta['accountKeyIdentifier'] === 'string' ? meta['accountKeyIdentifier'] : null,
    salt: Buffer.isBuffer(open['passphraseSalt']) ? open['passphraseSalt'] : null,
    iterations: num(open['passphraseIterationCount']),
    hint: typeof open['passphraseHint'] === 'string' ? open['passphraseHint'] : null,
    wrappedKey,
    encryptedData,
  };
}

/** Derived keys cached by salt, iterations and length, so one password is stretched once per salt. */
export class NoteDecryptor {
  private readonly keks = new Map<string, Buffer>();

  constructor(private readonly password: string) {}

  private kek(salt: Buffer, iterations: number, length: 16 | 32): Buffer {
    const key = `${salt.toString('hex')}:${iterations}:${length}`;
    let kek = this.keks.get(key);
    if (!kek) {
      kek = pbkdf2Sync(Buffer.from(this.password, 'utf8'), salt, iterations, length, 'sha256');
      this.keks.set(key, kek);
    }
    return kek;
  }

  /** V1: the note row's crypto columns. */
  decrypt(crypto: NoteCrypto, data: Buffer): DecryptResult {
    if (crypto.wrappedKey.length < 24 || crypto.wrappedKey.length % 8 !== 0) {
      return {
        ok: false,
        reason: 'unsupported',
        message: `wrapped key of ${crypto.wrappedKey.length} bytes (not an RFC 3394 wrapped key)`,
      };
    }
    if (crypto.iterations <= 0 || crypto.iterations > MAX_ITERATIONS) {
      return {
        ok: false,
        reason: 'unsupported',
        message: `implausible iteration count ${crypto.iterations}`,
      };
    }
    const key = aesUnwrap(this.kek(crypto.salt, crypto.iterations, 16), crypto.wrappedKey);
    if (!key)
      return {
        ok: false,
        reason: 'wrong-password',
        message: 'the password does not unlock this note',
      };
    if (key.length !== 16 && key.length !== 32)
      return { ok: false, reason: 'unsupported', message: `unwrapped key of ${key.length} bytes` };
    for (const { iv, tag } of crypto.ivTags) {
      const plain = gcmOpen(key, iv, tag, data, null);
      if (plain) return { ok: true, data: plain };
    }
    return {
      ok: false,
      reason: 'unsupported',
      message: 'the note key unwrapped but the note data did not authenticate (damaged data?)',
    };
  }

  /** V1 Neo: everything is in the ICCryptoEncryptionObject. */
  decryptNeo(object: EncryptionObject): DecryptResult {
    const { salt, iterations, wrappedKey, encryptedData } = object;
    if (!salt || iterations === null || iterations <= 0 || iterations > MAX_ITERATIONS)
      return {
        ok: false,
        reason: 'unsupported',
        message: 'a V1 Neo locked note without its passphrase salt or iteration count',
      };
    if (encryptedData.length <= 48)
      return { ok: false, reason: 'unsupported', message: 'V1 Neo note data too short' };
    const key = aesUnwrap(this.kek(salt, iterations, 32), wrappedKey);
    if (!key)
      return {
        ok: false,
        reason: 'wrong-password',
        message: 'the password does not unlock this note',
      };
    const end = encryptedData.length - 48;
    const plain = gcmOpen(
      key,
      encryptedData.subarray(end, end + 32),
      encryptedData.subarray(end + 32),
      encryptedData.subarray(0, end),
      object.metadata,
    );
    return plain
      ? { ok: true, data: plain }
      : {
          ok: false,
          reason: 'unsupported',
          message: 'the note key unwrapped but the note data did not authenticate (damaged data?)',
        };
  }

  /**
   * Whether the password is the account's notes password: the account's verifier (an RFC 3394 wrapped key)
   * unwraps under PBKDF2-SHA256(password, its salt, its iterations). Null when it cannot be checked.
   */
  verify(salt: Buffer, iterations: number, verifier: Buffer): boolean | null {
    if (iterations <= 0 || iterations > MAX_ITERATIONS) return null;
    if (verifier.length < 24 || verifier.length % 8 !== 0) return null;
    const length = verifier.length >= 40 ? 32 : 16;
    return aesUnwrap(this.kek(salt, iterations, length), verifier) !== null;
  }
}

function gcmOpen(
  key: Buffer,
  iv: Buffer,
  tag: Buffer,
  data: Buffer,
  aad: Buffer | null,
): Buffer | null {
  if (key.length !== 16 && key.length !== 32) return null;
  try {
    const decipher = createDecipheriv(key.length === 16 ? 'aes-128-gcm' : 'aes-256-gcm', key, iv);
    if (aad) decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    return null;
  }
}
