import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import plist from 'plist';
import { aesWrap } from '../../../src/backup/aes-key-wrap.js';
import { parseKeybag, unlockKeybag, WRAP_PASSCODE } from '../../../src/backup/keybag.js';
import { keybagOf, readManifestPlist } from '../../../src/backup/manifest-plist.js';
import { hashTargetFromKeybag } from '../../../src/password/hash-line.js';
import { referenceKek } from './targets.js';

/** The keybag bytes with DPIC and the wrapped class keys replaced: same tags, same order, same lengths. */
function rewriteKeybag(data: Buffer, dpic: number, wrappedKeys: Buffer[]): Buffer {
  const out = Buffer.from(data);
  let next = 0;
  for (let offset = 0; offset + 8 <= out.length;) {
    const tag = out.toString('latin1', offset, offset + 4);
    const length = out.readUInt32BE(offset + 4);
    if (tag === 'DPIC') out.writeUInt32BE(dpic, offset + 8);
    if (tag === 'WPKY') wrappedKeys[next++]!.copy(out, offset + 8);
    offset += 8 + length;
  }
  return out;
}

/**
 * A copy of an encrypted backup whose keybag asks for `dpic` first-stage rounds instead of 10 million:
 * the same class keys, re-wrapped for `password` at the low DPIC. `realKek` is the password's KEK
 * for the original keybag (one slow derivation, done by the caller).
 */
export function writeLowDpicCopy(
  backupDir: string,
  outDir: string,
  password: string,
  realKek: Buffer,
  dpic = 1000,
): void {
  const manifest = readManifestPlist(backupDir)!;
  const bag = keybagOf(manifest);
  const classKeys = unlockKeybag(bag, realKek);
  const lowKek = referenceKek(password, { ...hashTargetFromKeybag(bag), dpic });
  const wrapped = bag.classKeys.map((record) =>
    (record.wrap & WRAP_PASSCODE) !== 0
      ? aesWrap(lowKek, classKeys.get(record.protectionClass)!)
      : record.wrappedKey,
  );
  const keybag = rewriteKeybag(manifest['BackupKeyBag'] as Buffer, dpic, wrapped);
  if (parseKeybag(keybag).dpic !== dpic) throw new Error('keybag rewrite failed');
  writeFileSync(
    join(outDir, 'Manifest.plist'),
    plist.build({ ...manifest, BackupKeyBag: keybag } as plist.PlistObject),
  );
  for (const name of ['Info.plist', 'Status.plist', 'Manifest.db']) {
    if (existsSync(join(backupDir, name))) copyFileSync(join(backupDir, name), join(outDir, name));
  }
}
