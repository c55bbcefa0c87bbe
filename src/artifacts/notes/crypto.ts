import { createDecipheriv, pbkdf2Sync } from 'node:crypto';
import { aesUnwrap } from '../../backup/aes-key-wrap.js';

/**
 * Password-locked notes (iOS 9.3+): key-encryption key = PBKDF2-SHA256(password, ZCRYPTOSALT,
 * ZCRYPTOITERATIONCOUNT) truncated to 16 bytes; the note key = RFC 3394 unwrap of ZCRYPTOWRAPPEDKEY;
 * ZDATA = AES-128-GCM(note key, ZCRYPTOINITIALIZATIONVECTOR, tag ZCRYPTOTAG), then gzip.
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

/** Derived keys cached by salt + iterations, so one password is stretched once per salt. */
export class NoteDecryptor {
  private readonly keks = new Map<string, Buffer>();

  constructor(private readonly password: string) {}

  private kek(salt: Buffer, iterations: number): Buffer {
    const key = `${salt.toString('hex')}:${iterations}`;
    let kek = this.keks.get(key);
    if (!kek) {
      kek = pbkdf2Sync(Buffer.from(this.password, 'utf8'), salt, iterations, 16, 'sha256');
      this.keks.set(key, kek);
    }
    return kek;
  }

  decrypt(crypto: NoteCrypto, data: Buffer): DecryptResult {
    if (crypto.wrappedKey.length < 24 || crypto.wrappedKey.length % 8 !== 0) {
      return {
        ok: false,
        reason: 'unsupported',
        message: `wrapped key of ${crypto.wrappedKey.length} bytes (not an RFC 3394 wrapped key; newer lock format not decrypted)`,
      };
    }
    if (crypto.iterations <= 0 || crypto.iterations > 50_000_000) {
      return {
        ok: false,
        reason: 'unsupported',
        message: `implausible iteration count ${crypto.iterations}`,
      };
    }
    const key = aesUnwrap(this.kek(crypto.salt, crypto.iterations), crypto.wrappedKey);
    if (!key)
      return {
        ok: false,
        reason: 'wrong-password',
        message: 'the password does not unlock this note',
      };
    if (key.length !== 16 && key.length !== 32)
      return { ok: false, reason: 'unsupported', message: `unwrapped key of ${key.length} bytes` };
    for (const { iv, tag } of crypto.ivTags) {
      try {
        const decipher = createDecipheriv(
          key.length === 16 ? 'aes-128-gcm' : 'aes-256-gcm',
          key,
          iv,
        );
        decipher.setAuthTag(tag);
        return { ok: true, data: Buffer.concat([decipher.update(data), decipher.final()]) };
      } catch {
        // try the next IV/tag pair
      }
    }
    return {
      ok: false,
      reason: 'unsupported',
      message: 'the note key unwrapped but the note data did not authenticate (damaged data?)',
    };
  }
}
