import { posix } from 'node:path';
import type { BackupEntry } from '../../backup/types.js';
import { emptyData, defineReader, type ArtifactData } from '../artifact.js';
import { fromAppleTime, fromUnixTime } from '../apple-time.js';
import type { ArtifactDatabase, Row } from '../database.js';
import { problemsOf, readDatabase, type DatabaseProblems } from '../read-database.js';
import { num, text } from '../sql-values.js';
import { defineArtifact } from '../declaration.js';
import type { ArtifactSource } from '../source.js';

const MEDIA = 'MediaDomain';
const GROUP = 'AppDomainGroup-group.com.apple.VoiceMemos.shared';
const AUDIO_FILES = '**/*.{m4a,caf,aac,mp3,wav,qta}';
/** ZUNIQUEID is Voice Memos' own id of a recording (no public schema shows the column; it is looked for). */
const CLOUD_KEY = [{ table: 'ZCLOUDRECORDING', columns: ['ZUNIQUEID'] }];
const OLD_KEY = [{ table: 'ZRECORDING', columns: ['Z_PK'] }];

export const voiceMemosDeclaration = defineArtifact({
  id: 'voice-memos',
  title: 'Voice memos',
  locations: {
    cloudRecordings: {
      domain: MEDIA,
      path: 'Media/Recordings/CloudRecordings.db',
      kind: 'database',
      ios: { from: 12 },
      naturalKey: CLOUD_KEY,
      catalog: false,
    },
    recordings: {
      domain: MEDIA,
      path: 'Media/Recordings/Recordings.db',
      kind: 'database',
      ios: { through: 11 },
      naturalKey: OLD_KEY,
      catalog: false,
    },
    audio: { domain: MEDIA, path: `Media/Recordings/${AUDIO_FILES}`, kind: 'media', nocase: true },
    groupCloudRecordings: {
      domain: GROUP,
      path: 'Recordings/CloudRecordings.db',
      kind: 'database',
      naturalKey: CLOUD_KEY,
      catalog: false,
    },
    groupRecordings: {
      domain: GROUP,
      path: 'Recordings/Recordings.db',
      kind: 'database',
      naturalKey: OLD_KEY,
      catalog: false,
    },
    groupAudio: { domain: GROUP, path: `Recordings/${AUDIO_FILES}`, kind: 'media', nocase: true },
  },
  identity: {
    describe: 'the recording unique id, else a SHA-256 of the audio',
    keys: [{ table: 'ZCLOUDRECORDING', columns: ['ZUNIQUEID'] }, { content: 'sha256' }],
  },
  needsNames: false,
  aliases: ['voicememos', 'memos'],
  formats: ['csv', 'json'],
  defaultFormats: ['csv', 'json'],
});

/**
 * Voice Memos: the audio files (Recordings/*.m4a, older *.caf/.aac) and their titles and dates from
 * CloudRecordings.db (ZCLOUDRECORDING, iOS 12+) or Recordings.db (ZRECORDING, older). Both live in MediaDomain
 * Media/Recordings/; newer systems may keep them in the Voice Memos app group (Recordings/).
 */

export interface VoiceMemo {
  /** Z_PK, or "file:<name>" for a recording the database does not list. */
  id: string;
  title: string | null;
  recordedAt: Date | null;
  durationSeconds: number | null;
  /** In the app's Recently Deleted folder (ZEVICTIONDATE set). */
  recentlyDeleted: boolean;
  /** The audio file in the backup, when it is there. */
  file: { domain: string; relativePath: string; size: number } | null;
  /** The file name the database gives (ZPATH's last part). */
  fileName: string | null;
  note: string | null;
}

const { cloudRecordings, recordings, audio, groupCloudRecordings, groupRecordings, groupAudio } =
  voiceMemosDeclaration.locations;
/** Each folder's recordings, with the databases that list them (newest first). */
const FOLDERS = [
  { audio, databases: [cloudRecordings, recordings] },
  { audio: groupAudio, databases: [groupCloudRecordings, groupRecordings] },
];

function readTable(db: ArtifactDatabase, problems: DatabaseProblems): Row[] {
  const table = db.hasTable('ZCLOUDRECORDING')
    ? 'ZCLOUDRECORDING'
    : db.hasTable('ZRECORDING')
      ? 'ZRECORDING'
      : null;
  if (!table) {
    problems.error(`${db.label} has neither ZCLOUDRECORDING nor ZRECORDING`);
    return [];
  }
  const cols = new Set(db.columns(table).map((c) => c.toUpperCase()));
  const pick = (c: string) => (cols.has(c) ? c : 'NULL');
  const title = ['ZENCRYPTEDTITLE', 'ZCUSTOMLABEL', 'ZCUSTOMLABELFORSORTING'].filter((c) =>
    cols.has(c),
  );
  return db.all<Row>(
    `SELECT Z_PK, ${pick('ZDATE')} AS ZDATE, ${pick('ZDURATION')} AS ZDURATION, ${pick('ZPATH')} AS ZPATH,
     ${title.length ? `COALESCE(${title.map((c) => `NULLIF(${c}, '')`).join(', ')}, NULL)` : 'NULL'} AS TITLE,
     ${pick('ZEVICTIONDATE')} AS ZEVICTIONDATE FROM ${table} ORDER BY ZDATE, Z_PK`,
  );
}

async function readVoiceMemos(source: ArtifactSource): Promise<ArtifactData<VoiceMemo>> {
  const data = emptyData<VoiceMemo>('voice-memos');
  const files = new Map<string, BackupEntry>();
  for (const folder of FOLDERS) {
    for (const e of source.listAt(folder.audio))
      files.set(posix.basename(e.relativePath).toLowerCase(), e);
  }
  const claimed = new Set<string>();
  for (const folder of FOLDERS) {
    for (const where of folder.databases) {
      const name = posix.basename(where.path);
      await readDatabase(
        source,
        where,
        data,
        { title: voiceMemosDeclaration.title, recoverDeleted: false },
        (db, problems) => {
          for (const row of readTable(db, problems)) {
            const path = text(row['ZPATH']);
            const fileName = path ? posix.basename(path) : null;
            const entry = fileName ? files.get(fileName.toLowerCase()) : undefined;
            if (fileName && claimed.has(fileName.toLowerCase())) continue; // listed by both databases
            if (fileName) claimed.add(fileName.toLowerCase());
            const stored = entry !== undefined && source.has(entry);
            data.items.push({
              id: `${name}:${row['Z_PK']}`,
              title: text(row['TITLE']),
              recordedAt: fromAppleTime(row['ZDATE']),
              durationSeconds: num(row['ZDURATION']),
              recentlyDeleted: fromAppleTime(row['ZEVICTIONDATE']) !== null,
              file: stored
                ? { domain: entry!.domain, relativePath: entry!.relativePath, size: entry!.size }
                : null,
              fileName,
              note: stored ? null : 'the audio file is not in the backup',
            });
          }
        },
      );
    }
  }
  // Recordings the databases do not list are exported too, dated by their file time.
  for (const [key, entry] of files) {
    if (claimed.has(key) || !source.has(entry)) continue;
    data.items.push({
      id: `file:${entry.relativePath}`,
      title: null,
      recordedAt: fileNameDate(entry.relativePath) ?? fromUnixTime(entry.modified),
      durationSeconds: null,
      recentlyDeleted: false,
      file: { domain: entry.domain, relativePath: entry.relativePath, size: entry.size },
      fileName: posix.basename(entry.relativePath),
      note: 'not listed in the recordings database',
    });
  }
  const missing = data.items.filter((m) => !m.file).length;
  if (missing)
    problemsOf(data, voiceMemosDeclaration.title).warn(
      `${missing} voice memo(s) are listed without their audio file in the backup`,
    );
  if (data.items.length === 0 && data.sources.length === 0 && data.problems.length === 0)
    data.notInBackup.push('This backup holds no voice memos (Media/Recordings).');
  return data;
}

/** "20240312 093000.m4a" is the local time the memo was started; read as UTC when nothing better is known. */
function fileNameDate(path: string): Date | null {
  const m = /(\d{4})(\d{2})(\d{2}) (\d{2})(\d{2})(\d{2})/.exec(posix.basename(path));
  if (!m) return null;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

export const voiceMemosArtifact = defineReader(voiceMemosDeclaration, (source) =>
  readVoiceMemos(source),
);
