import { copyIntoExport } from './media/copy.js';
import { extname, join } from 'node:path';
import type { ArtifactData, Problem } from '../artifacts/artifact.js';
import { voicemailDeclaration, type Voicemail } from '../artifacts/voicemail/index.js';
import type { NameIndex } from '../artifacts/names.js';
import { toCsv } from './csv.js';
import { defineExporter, type ExportContext, type ExportSummary } from './exporter.js';
import { safeFileName, UniqueNames, writeFileAtomic } from './files.js';
import { toJson } from './json.js';
import { stampForName } from './media/names.js';
import { clock } from '../time.js';

/** Voicemail as "2025-02-10 1742 Mom.amr" (sender named from the contacts, bytes unchanged, date as file time) + voicemail.csv. */
export async function writeVoicemail(
  data: ArtifactData<Voicemail>,
  context: ExportContext,
): Promise<ExportSummary> {
  const names = new UniqueNames();
  names.take('voicemail.csv');
  names.take('voicemail.json');
  const problems: Problem[] = [];
  const exported = new Map<Voicemail, string>();
  const senderName = (v: Voicemail) => voicemailSender(v, context.names);
  let files = 0;
  let done = 0;
  const times = clock(context.options.time);
  for (const v of data.items) {
    if (v.file) {
      const who = senderName(v) ?? v.sender ?? v.callbackNumber ?? 'Unknown caller';
      const marks = [v.trashed ? 'deleted' : '', v.recovered ? 'recovered' : '']
        .filter(Boolean)
        .join(', ');
      const ext = extname(v.file.relativePath).toLowerCase() || '.amr';
      const name = names.take(
        safeFileName(
          `${stampForName(v.receivedAt, times)} ${who}${marks ? ` (${marks})` : ''}`,
          'Voicemail',
        ) + ext,
      );
      if (await copyIntoExport(context, v.file, name, v.receivedAt, problems)) {
        exported.set(v, name);
        files++;
      }
    }
    context.onProgress?.(++done, data.items.length);
  }
  const header = [
    'rowid',
    times.column('received_at'),
    'sender',
    'sender_name',
    'callback_number',
    'duration_s',
    'read',
    'trashed',
    times.column('trashed_at'),
    'transcript',
    'exported_file',
    'note',
    'recovered_from',
  ];
  const rows = data.items.map((v) => [
    v.rowid,
    v.receivedAt,
    v.sender,
    senderName(v),
    v.callbackNumber,
    v.durationSeconds,
    v.read,
    v.trashed,
    v.trashedAt,
    v.transcript,
    exported.get(v) ?? '',
    v.note,
    v.recovered ? v.recovered.source : '',
  ]);
  if (context.formats.includes('csv')) {
    writeFileAtomic(join(context.outDir, 'voicemail.csv'), toCsv(header, rows, times));
    files++;
  }
  if (context.formats.includes('json')) {
    writeFileAtomic(
      join(context.outDir, 'voicemail.json'),
      toJson(
        data.items.map((v) => voicemailJson(v, context.names, exported.get(v) ?? null)),
        times,
      ),
    );
    files++;
  }
  return {
    artifact: 'voicemail',
    files,
    problems,
    counts: {
      voicemails: exported.size,
      'listed without audio': data.items.filter((v) => !v.file).length,
      deleted: data.items.filter((v) => v.trashed).length,
      recovered: data.items.filter((v) => v.recovered).length,
    },
  };
}

const voicemailSender = (v: Voicemail, names: NameIndex): string | null =>
  names.nameFor(v.sender) ?? names.nameFor(v.callbackNumber) ?? null;

/** One voicemail as voicemail.json holds it. */
export function voicemailJson(
  v: Voicemail,
  names: NameIndex,
  exportedFile: string | null,
): Record<string, unknown> {
  return { ...v, senderName: voicemailSender(v, names), exportedFile };
}

export const voicemailExporter = defineExporter(voicemailDeclaration, writeVoicemail);
