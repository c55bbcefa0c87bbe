import type { BackupFileInput } from '../../src/backup/types.js';
import { appleSeconds, asDate, unixSeconds } from './apple-time.js';
import { CORE_DATA_BOOKKEEPING_SCHEMA, writeCoreDataBookkeeping } from './core-data.js';
import { demoUUID } from './ids.js';
import { buildIsoMedia } from './media/iso-media.js';
import { buildSqliteFile, insertRow } from './sqlite-file.js';

/**
 * Voice Memos: MediaDomain Media/Recordings/<yyyyMMdd HHmmss>.m4a and Media/Recordings/CloudRecordings.db.
 * No real CloudRecordings.db schema is public: ZCLOUDRECORDING holds the Core Data bookkeeping columns plus exactly
 * the columns iLEAPP reads (ZDATE, ZDURATION, ZCUSTOMLABELFORSORTING, ZPATH; voicememos-ios-unversioned-columns-seen.sql).
 * Entity number 1 is an assumption. ZPATH holds the file name, relative to Media/Recordings.
 */
export const CLOUD_RECORDINGS_TABLES: readonly string[] = [
  'CREATE TABLE ZCLOUDRECORDING ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZDATE TIMESTAMP, ZDURATION FLOAT, ZCUSTOMLABELFORSORTING VARCHAR, ZPATH VARCHAR );',
];

export interface DemoVoiceMemo {
  pk: number;
  label: string;
  recordedAt: string;
  durationSeconds: number;
  fileName: string;
  audio: Buffer;
}
export interface VoiceMemosData {
  memos: DemoVoiceMemo[];
}

function memo(
  pk: number,
  label: string,
  localStamp: string,
  recordedAt: string,
  durationSeconds: number,
): DemoVoiceMemo {
  return {
    pk,
    label,
    recordedAt,
    durationSeconds,
    fileName: `${localStamp}.m4a`,
    audio: buildIsoMedia({ kind: 'm4a', createdUnix: unixSeconds(recordedAt), durationSeconds }),
  };
}

export function voiceMemosData(): VoiceMemosData {
  return {
    memos: [
      memo(1, 'Guitar riff idea', '20240312 093000', '2024-03-12T16:30:00Z', 42.5),
      memo(2, 'Trailhead directions', '20250117 181500', '2025-01-18T02:15:00Z', 18.2),
    ],
  };
}

export function buildVoiceMemos(data: VoiceMemosData = voiceMemosData()): BackupFileInput[] {
  const db = buildSqliteFile(
    [...CLOUD_RECORDINGS_TABLES, ...CORE_DATA_BOOKKEEPING_SCHEMA],
    (db) => {
      for (const m of data.memos) {
        insertRow(db, 'ZCLOUDRECORDING', {
          Z_PK: m.pk,
          Z_ENT: 1,
          Z_OPT: 1,
          ZDATE: appleSeconds(m.recordedAt),
          ZDURATION: m.durationSeconds,
          ZCUSTOMLABELFORSORTING: m.label,
          ZPATH: m.fileName,
        });
      }
      writeCoreDataBookkeeping(db, [{ ent: 1, name: 'CloudRecording', max: data.memos.length }], {
        storeUUID: demoUUID('cloud-recordings'),
        frameworkVersion: 1340,
        modelVersionIdentifiers: [''],
      });
    },
  );
  return [
    {
      domain: 'MediaDomain',
      relativePath: 'Media/Recordings/CloudRecordings.db',
      data: db,
      modified: asDate('2025-01-18T02:15:20Z'),
    },
    ...data.memos.map((m) => ({
      domain: 'MediaDomain',
      relativePath: `Media/Recordings/${m.fileName}`,
      data: m.audio,
      modified: asDate(m.recordedAt),
    })),
  ];
}
