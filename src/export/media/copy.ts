import { join } from 'node:path';
import type { Problem } from '../../artifacts/artifact.js';
import type { ExportContext } from '../exporter.js';

/**
 * Copies one backup file into this artifact's folder as `name`, dated `mtime`. A file that cannot be copied
 * becomes an error in `problems`; returns whether it was written.
 */
export async function copyIntoExport(
  context: ExportContext,
  file: { domain: string; relativePath: string },
  name: string,
  mtime: Date | null,
  problems: Problem[],
): Promise<boolean> {
  try {
    await context.source.copyTo(file, join(context.outDir, name), { mtime: mtime ?? undefined });
    return true;
  } catch (error) {
    problems.push({
      severity: 'error',
      message: `${file.relativePath}: could not be exported (${(error as Error).message})`,
    });
    return false;
  }
}
