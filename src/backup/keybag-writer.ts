import { randomBytes } from 'node:crypto';
import { aesWrap } from './aes-key-wrap.js';
import { deriveKek, parseKeybag, WRAP_PASSCODE, type ClassKeys, type Keybag } from './keybag.js';

export interface KeyDerivationSettings {
  /** PBKDF2-HMAC-SHA1 rounds (iOS: 10,000). */
  iterations: number;
  /** PBKDF2-HMAC-SHA256 rounds of the iOS 10.2+ first stage (iOS: 10,000,000); null for older backups. */
  dpic: number | null;
}

/** Protection classes a backup keybag carries (as in real backups). */
const CLASSES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

function tlv(tag: string, value: Buffer | number): Buffer {
  const body = typeof value === 'number' ? Buffer.alloc(4) : value;
  if (typeof value === 'number') body.writeUInt32BE(value, 0);
  const head = Buffer.alloc(8);
  head.write(tag, 0, 'latin1');
  head.writeUInt32BE(body.length, 4);
  return Buffer.concat([head, body]);
}

/** Creates a new backup keybag with random class keys, wrapped with the key derived from `password`. */
export async function createKeybag(
  password: string,
  settings: KeyDerivationSettings,
): Promise<{ bytes: Buffer; keybag: Keybag; classKeys: ClassKeys }> {
  const header = [
    tlv('VERS', settings.dpic === null ? 3 : 5),
    tlv('TYPE', 1),
    tlv('UUID', randomBytes(16)),
    tlv('HMCK', randomBytes(40)),
    tlv('WRAP', 0),
    tlv('SALT', randomBytes(20)),
    tlv('ITER', settings.iterations),
  ];
  if (settings.dpic !== null)
    header.push(tlv('DPWT', 1), tlv('DPIC', settings.dpic), tlv('DPSL', randomBytes(20)));
  const draft = parseKeybag(
    Buffer.concat([
      ...header,
      tlv('UUID', randomBytes(16)),
      tlv('CLAS', 1),
      tlv('WPKY', Buffer.alloc(40)),
    ]),
  );
  const kek = await deriveKek(draft, password);
  const classKeys: ClassKeys = new Map();
  const records = CLASSES.flatMap((protectionClass) => {
    const key = randomBytes(32);
    classKeys.set(protectionClass, key);
    return [
      tlv('UUID', randomBytes(16)),
      tlv('CLAS', protectionClass),
      tlv('WRAP', WRAP_PASSCODE),
      tlv('KTYP', 0),
      tlv('WPKY', aesWrap(kek, key)),
    ];
  });
  const bytes = Buffer.concat([...header, ...records]);
  return { bytes, keybag: parseKeybag(bytes), classKeys };
}
