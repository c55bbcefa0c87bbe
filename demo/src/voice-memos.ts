import type { BackupFileInput } from '../../src/backup/types.js';
import { appleSeconds, asDate, unixSeconds } from './apple-time.js';
import { CORE_DATA_BOOKKEEPING_SCHEMA, writeCoreDataBookkeeping } from './core-data.js';
import { demoUUID } from './ids.js';
import { buildIsoMedia } from './media/iso-media.js';
import bplistCreator from 'bplist-creator';
import { VOICEMEMOS_IOS26_TABLES } from './schemas/voicememos-ios26.js';
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
  /** ios26: the Voice Memos folder it is filed in. */
  folder?: string;
  /** ios26: kept only in iCloud (ZPATH empty, no audio in the backup). */
  iCloudOnly?: boolean;
}
/** An audio file no database row lists (ios26), with or without its <name>.composition/manifest.plist. */
export interface DemoUnlistedRecording {
  fileName: string;
  audio: Buffer;
  manifest?: { title: string; created: string };
}
export interface VoiceMemosData {
  memos: DemoVoiceMemo[];
  unlisted?: DemoUnlistedRecording[];
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

/** A .qta recording (iOS 26): a QuickTime file holding audio (the spatial track is not modelled). */
export function qtaAudio(recordedAt: string, durationSeconds: number): Buffer {
  return buildIsoMedia({
    kind: 'quicktime',
    createdUnix: unixSeconds(recordedAt),
    durationSeconds,
  });
}

/** iOS 17 and later: the app group's Recordings/ with the iOS 26 CloudRecordings.db (schemas/voicememos-ios26.ts). */
function buildIos26(data: VoiceMemosData): BackupFileInput[] {
  const domain = 'AppDomainGroup-group.com.apple.VoiceMemos.shared';
  const folders = [...new Set(data.memos.flatMap((m) => (m.folder ? [m.folder] : [])))];
  const db = buildSqliteFile(
    [...VOICEMEMOS_IOS26_TABLES, ...CORE_DATA_BOOKKEEPING_SCHEMA],
    (db) => {
      folders.forEach((name, i) =>
        insertRow(db, 'ZFOLDER', {
          Z_PK: i + 1,
          Z_ENT: 2,
          Z_OPT: 1,
          ZENCRYPTEDNAME: name,
          ZUUID: demoUUID(`voice-memo-folder-${name}`),
        }),
      );
      for (const m of data.memos)
        insertRow(db, 'ZCLOUDRECORDING', {
          Z_PK: m.pk,
          Z_ENT: 1,
          Z_OPT: 1,
          ZFOLDER: m.folder ? folders.indexOf(m.folder) + 1 : null,
          ZDATE: appleSeconds(m.recordedAt),
          ZDURATION: m.durationSeconds,
          ZCUSTOMLABEL: m.label,
          ZCUSTOMLABELFORSORTING: m.label,
          ZENCRYPTEDTITLE: m.label,
          ZPATH: m.iCloudOnly ? null : m.fileName,
          ZUNIQUEID: demoUUID(`voice-memo-${m.pk}`),
        });
      writeCoreDataBookkeeping(
        db,
        [
          { ent: 1, name: 'CloudRecording', max: data.memos.length },
          { ent: 2, name: 'Folder', max: folders.length },
        ],
        {
          storeUUID: demoUUID('cloud-recordings-ios26'),
          frameworkVersion: 1500,
          modelVersionIdentifiers: [''],
        },
      );
    },
  );
  const files: BackupFileInput[] = [
    {
      domain,
      relativePath: 'Recordings/CloudRecordings.db',
      data: db,
      modified: asDate('2025-09-20T10:00:00Z'),
    },
  ];
  for (const m of data.memos)
    if (!m.iCloudOnly)
      files.push({
        domain,
        relativePath: `Recordings/${m.fileName}`,
        data: m.audio,
        modified: asDate(m.recordedAt),
      });
  for (const u of data.unlisted ?? []) {
    files.push({ domain, relativePath: `Recordings/${u.fileName}`, data: u.audio });
    if (u.manifest)
      files.push({
        domain,
        relativePath: `Recordings/${u.fileName.replace(/\.[^.]*$/, '')}.composition/manifest.plist`,
        data: bplistCreator({
          RCSavedRecordingTitle: u.manifest.title,
          RCSavedRecordingCreationTime: appleSeconds(u.manifest.created),
          RCComposedAVURL: `file:///var/mobile/Containers/Shared/AppGroup/x/Recordings/${u.fileName}`,
        }),
      });
  }
  return files;
}

export function buildVoiceMemos(
  data: VoiceMemosData = voiceMemosData(),
  options: { ios?: 'ios16' | 'ios26' } = {},
): BackupFileInput[] {
  if (options.ios === 'ios26') return buildIos26(data);
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
