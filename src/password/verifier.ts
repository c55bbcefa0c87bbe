import { aesUnwrap } from '../backup/aes-key-wrap.js';
import { unlockKeybag, type ClassKeys, type Keybag } from '../backup/keybag.js';
import type { HashTarget } from './hash-line.js';
import type { Pbkdf2Backend } from './native.js';

/** The key-encryption keys of a batch of candidates: PBKDF2-SHA256 (iOS 10.2+), then PBKDF2-SHA1. */
export function deriveKeks(
  target: HashTarget,
  backend: Pbkdf2Backend,
  candidates: readonly Buffer[],
): Buffer[] {
  const secrets =
    target.dpic !== null && target.dpsl
      ? backend.derive(candidates, target.dpsl, target.dpic)
      : candidates;
  return backend.deriveSha1(secrets, target.salt, target.iterations);
}

/** Index of the first candidate that unwraps the target's class key, or -1. */
export function findPassword(
  target: HashTarget,
  backend: Pbkdf2Backend,
  candidates: readonly string[],
): number {
  const keks = deriveKeks(
    target,
    backend,
    candidates.map((c) => Buffer.from(c, 'utf8')),
  );
  return keks.findIndex((kek) => aesUnwrap(kek, target.wrappedKey) !== null);
}

/** Unlocks every class key of a backup keybag with a found password (throws WrongPasswordError if not). */
export function unlockWithPassword(
  bag: Keybag,
  target: HashTarget,
  backend: Pbkdf2Backend,
  password: string,
): ClassKeys {
  const [kek] = deriveKeks(target, backend, [Buffer.from(password, 'utf8')]);
  return unlockKeybag(bag, kek!);
}
