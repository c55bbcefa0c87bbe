import { join } from 'node:path';
import type { ArtifactData, Problem } from '../artifacts/artifact.js';
import { driveDeclaration, type DriveFile } from '../artifacts/drive/index.js';
import { clock } from '../time.js';
import { toCsv } from './csv.js';
import { defineExporter } from './exporter.js';
import { safeFileName, UniqueNames, writeFileAtomic } from './files.js';

/** iCloud Drive: every file under files/ in its own folder tree (names made safe), and drive.csv listing them. */
export const driveExporter = defineExporter(
  driveDeclaration,
  async (data: ArtifactData<DriveFile>, context) => {
    const problems: Problem[] = [];
    const namesByFolder = new Map<string, UniqueNames>();
    const written = new Map<DriveFile, string>();
    let bytes = 0;
    let done = 0;
    for (const file of data.items) {
      const parts = file.path.split('/').filter((p) => p && p !== '.' && p !== '..');
      const folders = parts.slice(0, -1).map((p) => safeFileName(p, 'folder'));
      const folder = folders.join('/');
      let names = namesByFolder.get(folder.toLowerCase());
      if (!names) namesByFolder.set(folder.toLowerCase(), (names = new UniqueNames()));
      const name = names.take(safeFileName(parts.at(-1) ?? 'file', 'file'));
      const rel = ['files', ...folders, name].join('/');
      try {
        await context.source.copyTo(file, join(context.outDir, ...rel.split('/')), {
          mtime: file.modified ?? undefined,
        });
        written.set(file, rel);
        bytes += file.size;
      } catch (error) {
        problems.push({
          severity: 'error',
          message: `iCloud Drive: ${file.path} could not be exported (${(error as Error).message})`,
        });
      }
      context.onProgress?.(++done, data.items.length);
    }
    const rows = data.items.map((f) => [
      f.path,
      f.size,
      f.modified,
      written.get(f) ?? 'not exported',
      `${f.domain}/${f.relativePath}`,
    ]);
    writeFileAtomic(
      join(context.outDir, 'drive.csv'),
      toCsv(
        ['path', 'size', 'modified', 'exported_as', 'source'],
        rows,
        clock(context.options.time),
      ),
    );
    return {
      artifact: 'drive',
      counts: { files: written.size, bytes },
      files: written.size + 1,
      problems,
    };
  },
);
