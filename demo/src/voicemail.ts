import type { BackupFileInput } from '../../src/backup/types.js';
import { APPLE_EPOCH_UNIX, asDate, unixSeconds } from './apple-time.js';
import { buildSilentAmr } from './media/amr.js';
import { OWNER, person, type DemoPerson } from './people.js';
import bplistCreator from 'bplist-creator';
import { VOICEMAIL_IOS16_3_SCHEMA } from './schemas/voicemail-ios16-3.js';
import { VOICEMAIL_IOS26_SCHEMA } from './schemas/voicemail-ios26.js';
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
  /** Written as <ROWID>.transcript, a binary plist holding transcriptionString (iLEAPP voicemail.py). */
  transcript?: string;
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

/** The schemas voicemail.db can be built to (the bundled demo: iOS 16.3). */
export const VOICEMAIL_SCHEMAS = {
  ios16: VOICEMAIL_IOS16_3_SCHEMA,
  ios26: VOICEMAIL_IOS26_SCHEMA,
} as const;

export function buildVoicemail(
  data: VoicemailData = voicemailData(),
  options: { ios?: keyof typeof VOICEMAIL_SCHEMAS } = {},
): BackupFileInput[] {
  const db = buildSqliteFile(VOICEMAIL_SCHEMAS[options.ios ?? 'ios16'], (db) => {
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
    ...data.voicemails
      .filter((v) => v.transcript !== undefined)
      .map((v) => ({
        domain: 'HomeDomain',
        relativePath: `Library/Voicemail/${v.rowid}.transcript`,
        data: bplistCreator({ transcriptionString: v.transcript!, confidence: 0.9 }),
        modified: asDate(v.date),
      })),
  ];
}
