import { join } from 'node:path';
import type { ArtifactData } from '../artifacts/artifact.js';
import { callsDeclaration, type CallRecord } from '../artifacts/calls/index.js';
import type { NameIndex } from '../artifacts/names.js';
import { toCsv } from './csv.js';
import { defineExporter } from './exporter.js';
import { writeFileAtomic } from './files.js';
import { toJson } from './json.js';
import { clock } from '../time.js';

/** 3725 → "1:02:05"; 95 → "1:35". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600),
    m = Math.floor((s % 3600) / 60),
    r = s % 60;
  return h > 0
    ? `${h}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}`
    : `${m}:${String(r).padStart(2, '0')}`;
}

const KIND_TEXT: Record<CallRecord['kind'], string> = {
  phone: 'Phone',
  'facetime-video': 'FaceTime video',
  'facetime-audio': 'FaceTime audio',
  facetime: 'FaceTime',
  app: 'App call',
};

const HEADER = [
  'date',
  'direction',
  'type',
  'answered',
  'missed',
  'duration_seconds',
  'duration',
  'number',
  'name',
  'name_in_call_log',
  'service',
  'country',
  'location',
  'database',
  'id',
  'recovered',
  'recovered_from',
];

const callName = (c: CallRecord, names: NameIndex): string | null =>
  names.nameFor(c.address) ?? c.storedName ?? null;

/** One call as calls.json holds it. */
export function callJson(c: CallRecord, names: NameIndex): Record<string, unknown> {
  return {
    ...c,
    name: callName(c, names),
    type: KIND_TEXT[c.kind],
    recovered: c.recovered ?? null,
  };
}

/** calls.csv and calls.json, each call with the contact's name for its number. */
export const callsExporter = defineExporter(
  callsDeclaration,
  async (data: ArtifactData<CallRecord>, context) => {
    const calls = data.items.map((c) => ({ ...c, name: callName(c, context.names) }));
    let files = 0;
    const times = clock(context.options.time);
    if (context.formats.includes('csv')) {
      const rows = calls.map((c) => [
        c.date,
        c.direction,
        KIND_TEXT[c.kind],
        c.answered ? 'yes' : 'no',
        c.missed ? 'yes' : 'no',
        c.durationSeconds,
        formatDuration(c.durationSeconds),
        c.address,
        c.name,
        c.storedName,
        c.service,
        c.countryCode,
        c.location,
        c.database,
        c.id,
        c.recovered ? 'yes' : '',
        c.recovered?.source ?? '',
      ]);
      const header = HEADER.map((h) => (h === 'date' ? times.column(h) : h));
      writeFileAtomic(join(context.outDir, 'calls.csv'), toCsv(header, rows, times));
      files++;
    }
    if (context.formats.includes('json')) {
      writeFileAtomic(
        join(context.outDir, 'calls.json'),
        toJson(
          data.items.map((c) => callJson(c, context.names)),
          times,
        ),
      );
      files++;
    }
    context.onProgress?.(calls.length, calls.length);
    return {
      artifact: 'calls',
      counts: {
        calls: calls.length,
        missed: calls.filter((c) => c.missed).length,
        recovered: calls.filter((c) => c.recovered).length,
        named: calls.filter((c) => c.name).length,
      },
      files,
      problems: [],
    };
  },
);
