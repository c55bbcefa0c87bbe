import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { BackupWriter, type WriterOptions } from '../../src/backup/writer.js';
import type { BackupFileInput } from '../../src/backup/types.js';
import { repoRoot } from './fixtures.js';

/** Fast key derivation for generated test backups (real backups use 10,000 / 10,000,000). */
export const FAST_KDF = { iterations: 50, dpic: 100 } as const;

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Files of awkward sizes around the AES block and padding boundaries. */
export function sampleFiles(): BackupFileInput[] {
  const sizes = [0, 1, 15, 16, 17, 4096, 65_537, 1_048_579];
  const files: BackupFileInput[] = sizes.map((size, i) => ({
    domain: i % 2 ? 'HomeDomain' : 'AppDomain-com.example.app',
    relativePath: `Library/Data/file-${size}.bin`,
    data: randomBytes(size),
    modified: new Date(Date.UTC(2024, 0, 1 + i, 12)),
  }));
  files.push({
    domain: 'HomeDomain',
    relativePath: 'Library/Data/all-ones-4096.bin',
    data: Buffer.alloc(4096, 1),
    modified: new Date(Date.UTC(2024, 5, 1)),
  });
  files.push({
    domain: 'HomeDomain',
    relativePath: 'Library/Data/ünïcødé name.txt',
    data: Buffer.from('grüße\n'),
    modified: new Date(Date.UTC(2023, 11, 24)),
  });
  return files;
}

export async function writeBackup(
  dir: string,
  files: BackupFileInput[],
  options: WriterOptions = {},
): Promise<void> {
  const writer = await BackupWriter.create(dir, { keyDerivation: FAST_KDF, ...options });
  writer.addAll(files);
  await writer.finish();
}

/** SHA-256 of every file under `dir`, by path relative to it. */
export function hashTree(dir: string): Map<string, string> {
  const hashes = new Map<string, string>();
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else hashes.set(relative(dir, full), sha256(readFileSync(full)));
    }
  };
  walk(dir);
  return hashes;
}

/** Runs the CLI as a user would, returning its exit code and output. */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts'), ...args],
    {
      encoding: 'utf8',
      env: { ...process.env, RECLAIM_PASSWORD: undefined, ...env },
      cwd: repoRoot,
      input: '',
    },
  );
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
