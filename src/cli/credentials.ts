import { readFileSync } from 'node:fs';
import { ExitCode, ReclaimError } from '../errors.js';
import type { Credentials } from '../backup/backup.js';

export interface CredentialOptions {
  passwordFile?: string;
  keyFile?: string;
  /** Derive the key whatever the keybag's round counts (see Backup.deriveKey). */
  force?: boolean;
}

/** Reads a password without echoing it; only on a terminal. */
export async function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY)
    throw new ReclaimError(
      'A password is needed: use --password-file FILE or RECLAIM_PASSWORD (no terminal to ask on).',
      ExitCode.usage,
    );
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolvePassword, reject) => {
    let value = '';
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish(() => resolvePassword(value));
        if (char === '\u0003')
          return finish(() => reject(new ReclaimError('Cancelled.', ExitCode.failure)));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    const finish = (then: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      then();
    };
    stdin.on('data', onData);
  });
}

export function readSecretFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw new ReclaimError(
      `Cannot read the ${what} file ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
      ExitCode.notFound,
    );
  }
}

export function parseKeyHex(text: string): Buffer {
  const hex = text.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex))
    throw new ReclaimError(
      'The key file must hold the 32-byte derived key as 64 hex digits (see `reclaim key`).',
      ExitCode.usage,
    );
  return Buffer.from(hex, 'hex');
}

/** The password or derived key, from --key-file, --password-file, RECLAIM_PASSWORD, or a no-echo prompt. */
export async function getCredentials(options: CredentialOptions): Promise<Credentials> {
  if (options.keyFile) return { kek: parseKeyHex(readSecretFile(options.keyFile, 'key')) };
  if (options.passwordFile) return { password: readSecretFile(options.passwordFile, 'password') };
  const fromEnv = process.env['RECLAIM_PASSWORD'];
  if (fromEnv !== undefined) return { password: fromEnv };
  return { password: await promptHidden('Backup password: ') };
}

/**
 * The credentials of one of several sources (diff, merged exports, search): its own --…-password-file or
 * --…-key-file, else RECLAIM_PASSWORD (which serves every encrypted source without an option of its own),
 * else a prompt that names the source.
 */
export async function credentialsFor(
  label: string,
  options: { passwordFile?: string; keyFile?: string },
): Promise<Credentials> {
  if (options.keyFile) return { kek: parseKeyHex(readSecretFile(options.keyFile, 'key')) };
  if (options.passwordFile) return { password: readSecretFile(options.passwordFile, 'password') };
  const fromEnv = process.env['RECLAIM_PASSWORD'];
  if (fromEnv !== undefined) return { password: fromEnv };
  if (!process.stdin.isTTY)
    throw new ReclaimError(
      `${label} is encrypted and needs its password: give its password file option, or RECLAIM_PASSWORD (no terminal to ask on).`,
      ExitCode.usage,
    );
  return { password: await promptHidden(`Password of ${label}: `) };
}
