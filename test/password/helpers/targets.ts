import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { aesWrap } from '../../../src/backup/aes-key-wrap.js';
import { formatHashLine, type HashTarget } from '../../../src/password/hash-line.js';

/** The KEK of a password for a target, with Node's crypto only (the reference the engine is checked against). */
export function referenceKek(
  password: string,
  t: Pick<HashTarget, 'salt' | 'iterations' | 'dpic' | 'dpsl'>,
): Buffer {
  let secret = Buffer.from(password, 'utf8');
  if (t.dpic !== null && t.dpsl) secret = pbkdf2Sync(secret, t.dpsl, t.dpic, 32, 'sha256');
  return pbkdf2Sync(secret, t.salt, t.iterations, 32, 'sha1');
}

/** A hash target for `password` with a small DPIC, so a test checks candidates in milliseconds. */
export function lowDpicTarget(
  password: string,
  dpic: number | null = 1000,
  iterations = 100,
): { target: HashTarget; line: string } {
  const base = {
    salt: randomBytes(20),
    iterations,
    dpic,
    dpsl: dpic === null ? null : randomBytes(20),
  };
  const target: HashTarget = {
    version: dpic === null ? 9 : 10,
    ...base,
    wrappedKey: aesWrap(referenceKek(password, base), randomBytes(32)),
  };
  return { target, line: formatHashLine(target) };
}

const cli = fileURLToPath(new URL('./run-cli.ts', import.meta.url));

/** Runs `reclaim ARGS` (the password commands) in a child process. */
export function runCli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 300_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
