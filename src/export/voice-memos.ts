import { copyIntoExport } from './media/copy.js';
import { extname, join } from 'node:path';
import type { ArtifactData, Problem } from '../artifacts/artifact.js';
import { voiceMemosDeclaration, type VoiceMemo } from '../artifacts/voice-memos/index.js';
import { toCsv } from './csv.js';
import { defineExporter, type ExportContext, type ExportSummary } from './exporter.js';
import { safeFileName, UniqueNames, writeFileAtomic } from './files.js';
import { toJson } from './json.js';
import { stampForName } from './media/names.js';
import { clock } from '../time.js';

/** Voice memos as "2024-03-12 1630 Guitar riff idea.m4a" (local time, bytes unchanged, recording date as file time) + voice-memos.csv. */
export async function writeVoiceMemos(
  data: ArtifactData<VoiceMemo>,
  context: ExportContext,
): Promise<ExportSummary> {
  const names = new UniqueNames();
  names.take('voice-memos.csv');
  names.take('voice-memos.json');
  const problems: Problem[] = [];
  const exported = new Map<VoiceMemo, string>();
  let files = 0;
  let done = 0;
  const times = clock(context.options.time);
  for (const memo of data.items) {
    if (memo.file) {
      const ext = extname(memo.file.relativePath).toLowerCase() || '.m4a';
      const title =
        memo.title ??
        (memo.fileName
          ? memo.fileName.slice(0, memo.fileName.length - extname(memo.fileName).length)
          : 'Recording');
      const name = names.take(
        safeFileName(
          `${stampForName(memo.recordedAt, times)} ${title}${memo.recentlyDeleted ? ' (recently deleted)' : ''}`,
          'Recording',
        ) + ext,
      );
      if (await copyIntoExport(context, memo.file, name, memo.recordedAt, problems)) {
        exported.set(memo, name);
        files++;
      }
    }
    context.onProgress?.(++done, data.items.length);
  }
  const header = [
    'id',
    'title',
    times.column('recorded_at'),
    'duration_s',
    'recently_deleted',
    'backup_file',
    'exported_file',
    'note',
    'folder',
  ];
  const rows = data.items.map((m) => [
    m.id,
    m.title,
    m.recordedAt,
    m.durationSeconds,
    m.recentlyDeleted,
    m.file ? `${m.file.domain}/${m.file.relativePath}` : m.fileName,
    exported.get(m) ?? '',
    m.note,
    m.folder ?? null,
  ]);
  if (context.formats.includes('csv')) {
    writeFileAtomic(join(context.outDir, 'voice-memos.csv'), toCsv(header, rows, times));
    files++;
  }
  if (context.formats.includes('json')) {
    writeFileAtomic(
      join(context.outDir, 'voice-memos.json'),
      toJson(
        data.items.map((m) => voiceMemoJson(m, exported.get(m) ?? null)),
        times,
      ),
    );
    files++;
  }
  return {
    artifact: 'voice-memos',
    files,
    problems,
    counts: {
      recordings: exported.size,
      'listed without audio': data.items.filter((m) => !m.file).length,
      'recently deleted': data.items.filter((m) => m.recentlyDeleted).length,
    },
  };
}

/** One recording as voice-memos.json holds it. */
export function voiceMemoJson(m: VoiceMemo, exportedFile: string | null): Record<string, unknown> {
  return { ...m, exportedFile };
}

export const voiceMemosExporter = defineExporter(voiceMemosDeclaration, writeVoiceMemos);
