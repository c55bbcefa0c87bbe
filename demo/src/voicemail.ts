import type { BackupFileInput } from '../../src/backup/types.js';
import { APPLE_EPOCH_UNIX, asDate, unixSeconds } from './apple-time.js';
import { buildSilentAmr } from './media/amr.js';
import { OWNER, person, type DemoPerson } from './people.js';
import { VOICEMAIL_IOS16_3_SCHEMA } from './schemas/voicemail-ios16-3.js';
import { buildSqliteFile, insertRow } from './sqlite-file.js';

/** Library/Voicemail/voicemail.db with the real iOS 16.3 schema (same table as iOS 15.3.1), and <ROWID>.amr files. Dates are Unix seconds; trashed_date (a day after the date, for trashed ones) is seconds since 2001. */

export interface DemoVoicemail {
  rowid: number;
  sender: DemoPerson;
  date: string;
  durationSeconds: number;
  read: boolean;
  trashed: boolean;
  audio: Buffer;
}
export interface VoicemailData {
  voicemails: DemoVoicemail[];
}

export function voicemailData(): VoicemailData {
  return {
    voicemails: [
      {
        rowid: 1,
        sender: person('dentist'),
        date: '2024-04-02T16:10:40Z',
        durationSeconds: 14,
        read: true,
        trashed: false,
        audio: buildSilentAmr(14),
      },
      {
        rowid: 2,
        sender: person('mom'),
        date: '2025-02-10T17:42:00Z',
        durationSeconds: 9,
        read: false,
        trashed: false,
        audio: buildSilentAmr(9),
      },
    ],
  };
}

export function buildVoicemail(data: VoicemailData = voicemailData()): BackupFileInput[] {
  const db = buildSqliteFile(VOICEMAIL_IOS16_3_SCHEMA, (db) => {
    for (const v of data.voicemails) {
      insertRow(db, 'voicemail', {
        ROWID: v.rowid,
        remote_uid: 100 + v.rowid,
        date: unixSeconds(v.date),
        token: 'Complete',
        sender: v.sender.phone,
        callback_num: v.sender.phone,
        duration: v.durationSeconds,
        expiration: unixSeconds(v.date) + 30 * 86400,
        trashed_date: v.trashed ? unixSeconds(v.date) - APPLE_EPOCH_UNIX + 86400 : 0,
        flags: v.read ? 3 : 2,
        receiver: OWNER.phone,
        label: null,
      });
    }
  });
  return [
    {
      domain: 'HomeDomain',
      relativePath: 'Library/Voicemail/voicemail.db',
      data: db,
      modified: asDate('2025-02-10T17:42:05Z'),
    },
    ...data.voicemails.map((v) => ({
      domain: 'HomeDomain',
      relativePath: `Library/Voicemail/${v.rowid}.amr`,
      data: v.audio,
      modified: asDate(v.date),
    })),
  ];
}
