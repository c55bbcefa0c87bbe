import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ArtifactData, ArtifactId, ReadOptions } from '../../src/artifacts/artifact.js';
import { artifactById } from '../../src/artifacts/registry.js';
import { LooseFilesSource, type ArtifactSource } from '../../src/artifacts/source.js';
import { PrivateWorkspace } from '../../src/artifacts/workspace.js';
import type { BackupFileInput } from '../../src/backup/types.js';
import { exportArtifacts, type ArtifactExport } from '../../src/export/run.js';
import { tempDir } from './fixtures.js';

/**
 * A demo builder's files as a source, without writing a backup (quicker for tests that only read):
 * each file written once to a private folder, read through LooseFilesSource.
 */
export async function withFiles<T>(
  files: readonly BackupFileInput[],
  work: (source: ArtifactSource, dir: string) => Promise<T>,
): Promise<T> {
  const dir = tempDir('reclaim-loose-');
  const workspace = PrivateWorkspace.create();
  try {
    mkdirSync(join(dir.path, 'files'));
    const loose = files
      .filter((f) => f.data !== undefined)
      .map((f, i) => {
        const path = join(dir.path, 'files', String(i));
        writeFileSync(path, f.data!);
        return { domain: f.domain, relativePath: f.relativePath, path };
      });
    return await work(new LooseFilesSource(loose, workspace), dir.path);
  } finally {
    workspace.dispose();
    dir.cleanup();
  }
}

/** Reads one data type from a builder's files. */
export function readFiles<T>(
  files: readonly BackupFileInput[],
  id: ArtifactId,
  options: ReadOptions = {},
): Promise<ArtifactData<T>> {
  return withFiles(
    files,
    (source) => artifactById(id).read(source, options) as Promise<ArtifactData<T>>,
  );
}

/** Exports data types from a builder's files: the export's summary, and every file written (by path under the output). */
export function exportFiles(
  files: readonly BackupFileInput[],
  ids: ArtifactId[],
  options: ReadOptions = {},
): Promise<{ results: ArtifactExport[]; written: Map<string, Buffer> }> {
  return withFiles(files, async (source, dir) => {
    const out = join(dir, 'out');
    const results = await exportArtifacts(source, out, ids, {
      read: options,
      export: { time: { utc: true } },
    });
    const written = new Map<string, Buffer>();
    const walk = (path: string) => {
      for (const name of readdirSync(path)) {
        const full = join(path, name);
        if (statSync(full).isDirectory()) walk(full);
        else written.set(relative(out, full), readFileSync(full));
      }
    };
    walk(out);
    return { results, written };
  });
}
