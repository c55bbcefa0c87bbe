import { declaredIdentity } from '../identity.js';
import { posix } from 'node:path';
import type { BackupEntry } from '../../backup/types.js';
import { emptyData, defineReader, type ArtifactData } from '../artifact.js';
import { fromAppleTime, fromUnixTime } from '../apple-time.js';
import type { ArtifactDatabase, Row } from '../database.js';
import { addMissing } from '../missing.js';
import { problemsOf, readDatabase, type DatabaseProblems } from '../read-database.js';
import { num, text } from '../sql-values.js';
import { defineArtifact, type DatabaseSchema } from '../declaration.js';
import type { ArtifactSource } from '../source.js';
import { parsePlist } from '../../backup/plist.js';

const MEDIA = 'MediaDomain';
const GROUP = 'AppDomainGroup-group.com.apple.VoiceMemos.shared';
const AUDIO_FILES = '**/*.{m4a,caf,aac,mp3,wav,qta}';
/** ZUNIQUEID is Voice Memos' own id of a recording (no public schema shows the column; it is looked for). */
const CLOUD_KEY = [{ table: 'ZCLOUDRECORDING', columns: ['ZUNIQUEID'] }];
const OLD_KEY = [{ table: 'ZRECORDING', columns: ['ZPATH'] }];
/** Edited or multi-take recordings: <name>.composition/manifest.plist beside <name>.m4a (iLEAPP before 3791d340). */
const MANIFESTS = '**/*.composition/manifest.plist';

/**
 * What the reader reads. No real CloudRecordings.db schema is public: iLEAPP voiceRecordings.py (rewritten
 * for issue #1717, an iOS 26.5.2 backup) reads ZDATE, ZDURATION, ZCUSTOMLABELFORSORTING and ZPATH (NULL:
 * no local copy); mila VoiceMemosLibrary.swift (macOS reader of the synced store) ZUNIQUEID, ZENCRYPTEDTITLE,
 * ZCUSTOMLABEL, ZFOLDER → ZFOLDER(ZUUID, ZENCRYPTEDNAME), ZEVICTIONDATE. Recordings.db: the real iOS 7 file.
 */
const RECORDINGS_SCHEMA = {
  coreData: true,
  tables: {
    ZCLOUDRECORDING: {
      optional: [
        'ZDATE',
        'ZDURATION',
        'ZPATH',
        'ZENCRYPTEDTITLE|ZCUSTOMLABEL|ZCUSTOMLABELFORSORTING',
      ],
      extras: ['ZEVICTIONDATE', 'ZFOLDER', 'ZUNIQUEID'],
    },
    ZRECORDING: { optional: ['ZDATE', 'ZDURATION', 'ZPATH', 'ZCUSTOMLABEL'] },
    ZFOLDER: { extras: ['ZENCRYPTEDNAME'], ignored: 'ZUUID' },
  },
} as const satisfies DatabaseSchema;

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
      schema: RECORDINGS_SCHEMA,
    },
    recordings: {
      domain: MEDIA,
      path: 'Media/Recordings/Recordings.db',
      kind: 'database',
      ios: { through: 11 },
      naturalKey: OLD_KEY,
      catalog: false,
      schema: RECORDINGS_SCHEMA,
    },
    audio: { domain: MEDIA, path: `Media/Recordings/${AUDIO_FILES}`, kind: 'media', nocase: true },
    manifests: {
      domain: MEDIA,
      path: `Media/Recordings/${MANIFESTS}`,
      kind: 'document',
      companion: true,
      catalog: false,
    },
    groupCloudRecordings: {
      domain: GROUP,
      path: 'Recordings/CloudRecordings.db',
      kind: 'database',
      naturalKey: CLOUD_KEY,
      catalog: false,
      schema: RECORDINGS_SCHEMA,
    },
    groupRecordings: {
      domain: GROUP,
      path: 'Recordings/Recordings.db',
      kind: 'database',
      naturalKey: OLD_KEY,
      catalog: false,
      schema: RECORDINGS_SCHEMA,
    },
    groupAudio: { domain: GROUP, path: `Recordings/${AUDIO_FILES}`, kind: 'media', nocase: true },
    groupManifests: {
      domain: GROUP,
      path: `Recordings/${MANIFESTS}`,
      kind: 'document',
      companion: true,
      catalog: false,
    },
  },
  identity: {
    describe: 'the recording unique id, else a SHA-256 of the audio',
    keys: [
      { fields: ['uniqueId'], from: { table: 'ZCLOUDRECORDING', columns: ['ZUNIQUEID'] } },
      { content: 'sha256' },
    ],
  },
  needsNames: false,
  aliases: ['voicememos', 'memos'],
  formats: ['csv', 'json'],
  defaultFormats: ['csv', 'json'],
});

/** A recording by its unique id, else by its audio. */
export const voiceMemosIdentity = declaredIdentity<VoiceMemo>()(voiceMemosDeclaration, {
  volatile: ['id', 'file', 'note'],
  contentFile: (m) => m.file,
});

/**
 * Voice Memos: the audio files (Recordings/*.m4a, older *.caf/.aac, and .qta, a QuickTime audio file with a
 * spatial track, written since iOS 26: iLEAPP PR #1724) and their titles, dates and folders from
 * CloudRecordings.db (ZCLOUDRECORDING, iOS 12+) or Recordings.db (ZRECORDING, older). Both live in MediaDomain
 * Media/Recordings/ up to iOS 16 and in the Voice Memos app group (Recordings/) from iOS 17. Audio a database does
 * not list is exported too, titled and dated from its <name>.composition/manifest.plist when it has one, else from
 * its file name. A recording whose ZPATH is empty is kept only in iCloud.
 */

export interface VoiceMemo {
  /** Z_PK, or "file:<name>" for a recording the database does not list. */
  id: string;
  /** ZUNIQUEID: the recording's own id, the same in every backup, when the database has it. */
  uniqueId?: string;
  title: string | null;
  recordedAt: Date | null;
  durationSeconds: number | null;
  /** In the app's Recently Deleted folder (ZEVICTIONDATE set). */
  recentlyDeleted: boolean;
  /** The audio file in the backup, when it is there. */
  file: { domain: string; relativePath: string; size: number } | null;
  /** The file name the database gives (ZPATH's last part). */
  fileName: string | null;
  /** The Voice Memos folder it is filed in. */
  folder?: string | null;
  note: string | null;
}

const {
  cloudRecordings,
  recordings,
  audio,
  manifests,
  groupCloudRecordings,
  groupRecordings,
  groupAudio,
  groupManifests,
} = voiceMemosDeclaration.locations;
/** Each folder's recordings, with the databases that list them (newest first). */
const FOLDERS = [
  { audio, manifests, databases: [cloudRecordings, recordings] },
  {
    audio: groupAudio,
    manifests: groupManifests,
    databases: [groupCloudRecordings, groupRecordings],
  },
];
const MAX_MANIFEST = 1024 * 1024;

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
  const pick = (c: string) => (cols.has(c) ? `r.${c}` : 'NULL');
  const title = ['ZENCRYPTEDTITLE', 'ZCUSTOMLABEL', 'ZCUSTOMLABELFORSORTING'].filter((c) =>
    cols.has(c),
  );
  const folders =
    cols.has('ZFOLDER') && db.hasTable('ZFOLDER') && db.hasColumn('ZFOLDER', 'ZENCRYPTEDNAME');
  return db.all<Row>(
    `SELECT r.Z_PK AS Z_PK, ${pick('ZDATE')} AS ZDATE, ${pick('ZDURATION')} AS ZDURATION, ${pick('ZPATH')} AS ZPATH,
     ${title.length ? `COALESCE(${title.map((c) => `NULLIF(r.${c}, '')`).join(', ')}, NULL)` : 'NULL'} AS TITLE,
     ${pick('ZEVICTIONDATE')} AS ZEVICTIONDATE, ${pick('ZUNIQUEID')} AS ZUNIQUEID, ${folders ? 'f.ZENCRYPTEDNAME' : 'NULL'} AS FOLDER
     FROM ${table} r ${folders ? 'LEFT JOIN ZFOLDER f ON f.Z_PK = r.ZFOLDER' : ''} ORDER BY ZDATE, r.Z_PK`,
  );
}

async function readVoiceMemos(source: ArtifactSource): Promise<ArtifactData<VoiceMemo>> {
  const data = emptyData<VoiceMemo>('voice-memos');
  const files = new Map<string, BackupEntry>();
  const manifestEntries: BackupEntry[] = [];
  for (const folder of FOLDERS) {
    for (const e of source.listAt(folder.audio)) {
      const key = posix.basename(e.relativePath).toLowerCase();
      // A file of that name at the top of Recordings/ wins over one inside a .composition folder.
      if (!files.has(key) || !/\.composition\//i.test(e.relativePath)) files.set(key, e);
    }
    manifestEntries.push(...source.listAt(folder.manifests).filter((e) => source.has(e)));
  }
  const claimed = new Set<string>();
  let iCloudOnly = 0;
  for (const folder of FOLDERS) {
    for (const where of folder.databases) {
      const name = posix.basename(where.path);
      await readDatabase(
        source,
        where,
        data,
        { title: voiceMemosDeclaration.title, recoverDeleted: false },
        (db, problems) => {
          const hasPath = ['ZCLOUDRECORDING', 'ZRECORDING'].some(
            (t) => db.hasTable(t) && db.hasColumn(t, 'ZPATH'),
          );
          for (const row of readTable(db, problems)) {
            const path = text(row['ZPATH']);
            const fileName = path ? posix.basename(path) : null;
            const entry = fileName ? files.get(fileName.toLowerCase()) : undefined;
            if (fileName && claimed.has(fileName.toLowerCase())) continue; // listed by both databases
            if (fileName) claimed.add(fileName.toLowerCase());
            const stored = entry !== undefined && source.has(entry);
            const onlyInICloud = hasPath && !path;
            if (onlyInICloud) iCloudOnly++;
            // a recording the database lists and the backup does not (the index would say "not in this folder")
            if (!entry && (path || onlyInICloud))
              addMissing(
                data,
                path ? 'offloaded' : 'icloud-only',
                fileName ?? `recording ${String(row['Z_PK'])}`,
                null,
              );
            const uniqueId = text(row['ZUNIQUEID']);
            data.items.push({
              id: `${name}:${row['Z_PK']}`,
              ...(uniqueId ? { uniqueId } : {}),
              title: text(row['TITLE']),
              recordedAt: fromAppleTime(row['ZDATE']),
              durationSeconds: num(row['ZDURATION']),
              recentlyDeleted: fromAppleTime(row['ZEVICTIONDATE']) !== null,
              file: stored
                ? { domain: entry!.domain, relativePath: entry!.relativePath, size: entry!.size }
                : null,
              fileName,
              folder: text(row['FOLDER']),
              note: stored
                ? null
                : onlyInICloud
                  ? 'kept only in iCloud: the device had no copy of the audio'
                  : 'the audio file is not in the backup',
            });
          }
        },
      );
    }
  }
  // Recordings the databases do not list are exported too: titled and dated from their composition's
  // manifest when they have one, else dated from their file name (or file time).
  for (const [key, entry] of files) {
    if (claimed.has(key) || !source.has(entry)) continue;
    const manifest = await manifestOf(source, entry, manifestEntries);
    data.items.push({
      id: `file:${entry.relativePath}`,
      title: manifest?.title ?? null,
      recordedAt:
        manifest?.created ?? fileNameDate(entry.relativePath) ?? fromUnixTime(entry.modified),
      durationSeconds: null,
      recentlyDeleted: false,
      file: { domain: entry.domain, relativePath: entry.relativePath, size: entry.size },
      fileName: posix.basename(entry.relativePath),
      note: manifest
        ? 'not listed in the recordings database (title and date from its manifest.plist)'
        : 'not listed in the recordings database',
    });
  }
  if (iCloudOnly)
    data.notInBackup.push(
      `${iCloudOnly} voice memo(s) are kept only in iCloud (no audio on the device; listed in voice-memos.csv)`,
    );
  // Rows naming a file the backup lacks (iCloud-only rows name none).
  const missing = data.items.filter((m) => !m.file && m.fileName !== null).length;
  if (missing)
    problemsOf(data, voiceMemosDeclaration.title).warn(
      `${missing} voice memo(s) are listed without their audio file in the backup`,
    );
  if (data.items.length === 0 && data.sources.length === 0 && data.problems.length === 0)
    data.notInBackup.push('This backup holds no voice memos (Media/Recordings).');
  return data;
}

/**
 * The manifest.plist of the composition a recording belongs to: <stem>.composition/ beside it, or the
 * .composition folder it sits in. RCSavedRecordingTitle, RCSavedRecordingCreationTime (seconds since 2001).
 */
async function manifestOf(
  source: ArtifactSource,
  entry: BackupEntry,
  manifests: readonly BackupEntry[],
): Promise<{ title: string | null; created: Date | null } | null> {
  const dir = posix.dirname(entry.relativePath);
  const stem = posix.basename(entry.relativePath).replace(/\.[^.]*$/, '');
  const wanted = /\.composition$/i.test(dir)
    ? `${dir}/manifest.plist`
    : `${dir}/${stem}.composition/manifest.plist`;
  const found = manifests.find(
    (m) => m.domain === entry.domain && m.relativePath.toLowerCase() === wanted.toLowerCase(),
  );
  if (!found || found.size > MAX_MANIFEST) return null;
  try {
    const root = parsePlist(await source.read(found), 'manifest.plist') as Record<string, unknown>;
    const created = root?.['RCSavedRecordingCreationTime'];
    return {
      title:
        typeof root?.['RCSavedRecordingTitle'] === 'string' ? root['RCSavedRecordingTitle'] : null,
      created:
        created instanceof Date
          ? created
          : typeof created === 'number'
            ? fromAppleTime(created)
            : null,
    };
  } catch {
    return null;
  }
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
