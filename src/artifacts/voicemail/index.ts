import { declaredIdentity } from '../identity.js';
import { posix } from 'node:path';
import { readBinaryPlist } from '../../backup/bplist-reader.js';
import type { BackupEntry } from '../../backup/types.js';
import {
  emptyData,
  defineReader,
  type ArtifactData,
  type ReadOptions,
  type RecoveredMark,
} from '../artifact.js';
import { fromAppleTime, fromUnixTime } from '../apple-time.js';
import type { Row } from '../database.js';
import { readDatabase } from '../read-database.js';
import { attachEarlierVersions, type EarlierVersion } from '../history.js';
import { addMissing } from '../missing.js';
import { readColumns } from '../known-schema.js';
import { columnList, num, text } from '../sql-values.js';
import { defineArtifact, type DatabaseSchema, type TableReads } from '../declaration.js';
import type { ArtifactSource } from '../source.js';

/**
 * voicemail.db: the real iOS 16.3 schema (docs/schemas/voicemail-ios16.3.sql); iLEAPP voicemail.py reads the
 * same columns for iOS 18.0-18.7.8 samples; no change documented up to iOS 26.
 */
const VOICEMAIL_READS: TableReads = {
  optional: ['sender', 'date', 'duration', 'flags', 'trashed_date'],
  extras: ['callback_num'],
  ignored: 'remote_uid token expiration receiver label',
};
const VOICEMAIL_SCHEMA = {
  tables: { voicemail: VOICEMAIL_READS, deleted: VOICEMAIL_READS },
  ignoredTables: '_SqliteDatabaseProperties map',
} as const satisfies DatabaseSchema;

export const voicemailDeclaration = defineArtifact({
  id: 'voicemail',
  title: 'Voicemail',
  locations: {
    database: {
      domain: 'HomeDomain',
      path: 'Library/Voicemail/voicemail.db',
      kind: 'database',
      naturalKey: [{ table: 'voicemail', columns: ['remote_uid'] }],
      catalog: false,
      schema: VOICEMAIL_SCHEMA,
    },
    audio: { domain: 'HomeDomain', path: 'Library/Voicemail/*.amr', kind: 'media', nocase: true },
    transcripts: {
      domain: 'HomeDomain',
      path: 'Library/Voicemail/*.transcript',
      kind: 'media',
      nocase: true,
      catalog: false,
    },
  },
  identity: {
    describe: "the carrier's message id (remote_uid), else a SHA-256 of the audio",
    keys: [
      { fields: ['remoteUid'], from: { table: 'voicemail', columns: ['remote_uid'] } },
      { content: 'sha256' },
    ],
  },
  needsNames: true,
  aliases: [],
  formats: ['csv', 'json'],
  defaultFormats: ['csv', 'json'],
});

/** A voicemail by the carrier's id, else by its audio. */
export const voicemailIdentity = declaredIdentity<Voicemail>()(voicemailDeclaration, {
  volatile: ['rowid', 'file', 'note'],
  contentFile: (v) => v.file,
});

/**
 * Visual voicemail: HomeDomain Library/Voicemail/voicemail.db (table voicemail; `date` in Unix seconds,
 * `trashed_date` in seconds since 2001, 0 when not trashed) and the audio as <ROWID>.amr beside it, with an
 * optional <ROWID>.transcript (a property list holding the transcription).
 */

export interface Voicemail {
  rowid: number | null;
  /** remote_uid: the carrier's id of the message, the same in every backup. */
  remoteUid?: number;
  /** The caller's number or address as stored (resolved to a name at export time). */
  sender: string | null;
  callbackNumber: string | null;
  receivedAt: Date | null;
  durationSeconds: number | null;
  read: boolean;
  /** In the Deleted Messages list of the Phone app. */
  trashed: boolean;
  trashedAt: Date | null;
  transcript: string | null;
  file: { domain: string; relativePath: string; size: number } | null;
  note: string | null;
  /** Carved from deleted space in voicemail.db. */
  recovered?: RecoveredMark;
  /** Earlier versions of this voicemail's row with other values (its read and trash state alone are not kept). */
  earlierVersions?: EarlierVersion[];
}

const { database, audio, transcripts } = voicemailDeclaration.locations;

async function transcriptOf(
  source: ArtifactSource,
  entry: BackupEntry | undefined,
): Promise<string | null> {
  if (!entry || !source.has(entry)) return null;
  try {
    const found: string[] = [];
    const seen = new Set<object>(); // plists share objects: walk each once
    const walk = (v: unknown, depth: number): void => {
      if (depth > 8 || v === null || typeof v !== 'object' || seen.has(v)) return;
      seen.add(v);
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (/transcriptionString/i.test(k) && typeof x === 'string') found.push(x);
        else walk(x, depth + 1);
      }
    };
    walk(readBinaryPlist(await source.read(entry)), 0);
    return found[0] ?? null;
  } catch {
    return null;
  }
}

function fromRow(row: Row): Omit<Voicemail, 'file' | 'note' | 'transcript'> {
  const trashed = num(row['trashed_date']);
  const flags = num(row['flags']) ?? 0;
  const remoteUid = num(row['remote_uid']);
  return {
    rowid: num(row['ROWID']),
    ...(remoteUid !== null ? { remoteUid } : {}),
    sender: text(row['sender']),
    callbackNumber: text(row['callback_num']),
    receivedAt: fromUnixTime(row['date']),
    durationSeconds: num(row['duration']),
    read: (flags & 1) === 1,
    trashed: trashed !== null && trashed !== 0,
    trashedAt: trashed ? fromAppleTime(trashed) : null,
  };
}

async function readVoicemail(
  source: ArtifactSource,
  options: ReadOptions,
): Promise<ArtifactData<Voicemail>> {
  const data = emptyData<Voicemail>('voicemail');
  const files = new Map<string, BackupEntry>();
  for (const where of [audio, transcripts])
    for (const e of source.listAt(where))
      files.set(posix.basename(e.relativePath).toLowerCase(), e);
  const claimed = new Set<string>();
  const attach = async (
    base: Omit<Voicemail, 'file' | 'note' | 'transcript'>,
  ): Promise<Voicemail> => {
    const key = base.rowid !== null ? `${base.rowid}.amr` : '';
    const entry = files.get(key);
    const stored = entry !== undefined && source.has(entry);
    if (stored) claimed.add(key);
    return {
      ...base,
      transcript:
        base.rowid !== null
          ? await transcriptOf(source, files.get(`${base.rowid}.transcript`))
          : null,
      file: stored
        ? { domain: entry!.domain, relativePath: entry!.relativePath, size: entry!.size }
        : null,
      note: stored ? null : 'the audio is not in the backup',
    };
  };

  const found = await readDatabase(
    source,
    database,
    data,
    { title: voicemailDeclaration.title, recoverDeleted: options.recoverDeleted },
    async (db, problems) => {
      if (!db.hasTable('voicemail')) {
        problems.error(`${db.label} has no voicemail table`);
        return;
      }
      const select = (table: string) =>
        `SELECT ${columnList(db, table, ['ROWID', ...readColumns(VOICEMAIL_READS)])} FROM ${table} ORDER BY ${db.hasColumn(table, 'date') ? 'date, ' : ''}ROWID`;
      const live = db.all<Row>(select('voicemail'));
      const seen = new Set<number>();
      const byRowid = new Map<number, Voicemail>();
      for (const row of live) {
        const item = await attach(fromRow(row));
        if (item.rowid !== null && !files.has(`${item.rowid}.amr`))
          addMissing(
            data,
            'offloaded',
            `${database.domain}/Library/Voicemail/${item.rowid}.amr`,
            null,
          );
        if (item.rowid !== null) {
          seen.add(item.rowid);
          byRowid.set(item.rowid, item);
        }
        data.items.push(item);
      }
      if (options.recoverDeleted !== false)
        attachEarlierVersions(db, 'voicemail', byRowid, (values) => fromRow(values), {
          ignore: ['rowid', 'transcript', 'file', 'note'],
          bookkeeping: ['read', 'trashed', 'trashedAt'],
        });
      // Voicemails deleted on the phone wait in the `deleted` table until the carrier confirms.
      if (db.hasTable('deleted')) {
        for (const row of db.all<Row>(select('deleted'))) {
          const base = fromRow(row);
          if (base.rowid !== null && seen.has(base.rowid)) continue;
          const item = await attach({ ...base, trashed: true });
          data.items.push({ ...item, note: item.note ? `deleted; ${item.note}` : 'deleted' });
        }
      }
      if (options.recoverDeleted !== false) {
        for (const r of db.recovered('voicemail')) {
          const base = fromRow(r.values);
          // listed already (the deleted table holds it), or a rowid a newer voicemail took
          if (base.rowid !== null && seen.has(base.rowid)) continue;
          if (!base.sender && !base.receivedAt) continue;
          if (base.rowid !== null) seen.add(base.rowid);
          data.items.push({ ...(await attach(base)), recovered: r.recovered });
        }
      }
    },
  );
  // Audio the database does not list (or no database at all): still given back.
  for (const [key, entry] of files) {
    if (claimed.has(key) || !/\.amr$/i.test(key) || !source.has(entry)) continue;
    const rowid = /^(\d+)\.amr$/.exec(key);
    data.items.push({
      rowid: rowid ? Number(rowid[1]) : null,
      sender: null,
      callbackNumber: null,
      receivedAt: fromUnixTime(entry.modified),
      durationSeconds: null,
      read: false,
      trashed: false,
      trashedAt: null,
      transcript: null,
      file: { domain: entry.domain, relativePath: entry.relativePath, size: entry.size },
      note: 'not listed in voicemail.db',
    });
  }
  if (found === 'absent' && data.items.length === 0)
    data.notInBackup.push('This backup holds no voicemail (Library/Voicemail/voicemail.db).');
  return data;
}

export const voicemailArtifact = defineReader(voicemailDeclaration, readVoicemail);
