// Databases built to real iOS schemas for the carving tests, the way a device writes them:
// secure_delete off (SQLite's Debian build turns it on; devices do not zero freed space), one
// statement per change, the schema's triggers in place. Not a test file itself.
import Database from 'better-sqlite3';
import { SMS_IOS12_4_SCHEMA } from '../../demo/src/schemas/sms-ios12-4.js';
import { attributedBodyFor } from '../../demo/src/typedstream.js';

/** Functions the real sms.db triggers call (iOS registers them in-process). */
export function smsFunctions(db: Database.Database): void {
  for (const name of ['delete_attachment_path', 'before_delete_attachment_path'])
    db.function(name, { varargs: true }, () => null);
}

export function openForWriting(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('secure_delete = OFF');
  db.pragma('journal_mode = DELETE');
  return db;
}

/** An empty sms.db of iOS 12.4 (every table, index and trigger of the real file). */
export function createSmsDb(path: string): Database.Database {
  const db = openForWriting(path);
  smsFunctions(db);
  for (const sql of SMS_IOS12_4_SCHEMA) db.exec(sql);
  return db;
}

export interface Msg {
  rowid: number;
  guid: string;
  text: string;
  handle: number;
  /** Nanoseconds since 2001, as iOS stores them (past 2^53: read back as bigint). */
  date: bigint;
  fromMe: number;
  body: Buffer;
}

let counter = 0;
/** A guid as iOS writes them (uppercase UUID). */
export function newGuid(seed: number): string {
  counter++;
  const hex = (n: number, w: number): string =>
    (Math.imul(n + counter, 2654435761) >>> 0)
      .toString(16)
      .toUpperCase()
      .padStart(w, '0')
      .slice(-w);
  return `${hex(seed, 8)}-${hex(seed * 3, 4)}-4${hex(seed * 5, 3)}-9${hex(seed * 7, 3)}-${hex(seed * 11, 8)}${hex(seed * 13, 4)}`;
}

/** Inserts a text message as Messages stores it (attributedBody holds the text too). */
export function insertMessage(
  db: Database.Database,
  text: string,
  opts: { handle?: number; date?: bigint; fromMe?: number; guid?: string } = {},
): Msg {
  const date = opts.date ?? 600_000_000_000_000_000n;
  const guid = opts.guid ?? newGuid(text.length * 977 + Number(date % 1_000_003n));
  const handle = opts.handle ?? 1;
  const fromMe = opts.fromMe ?? 0;
  const body = attributedBodyFor(text);
  const info = db
    .prepare(
      `INSERT INTO message (guid, text, handle_id, service, account, account_guid, date, date_read,
        date_delivered, is_delivered, is_finished, is_from_me, is_read, is_sent, attributedBody,
        destination_caller_id)
       VALUES (?, ?, ?, 'iMessage', 'e:owner@example.org', ?, ?, ?, ?, 1, 1, ?, 1, ?, ?, '+15550100')`,
    )
    .run(
      guid,
      text,
      handle,
      newGuid(7),
      date,
      date + 4_000_000_000n,
      date + 1_000_000_000n,
      fromMe,
      fromMe,
      body,
    );
  return { rowid: Number(info.lastInsertRowid), guid, text, handle, date, fromMe, body };
}

/** The freeblocks of every table-leaf page: [page offset in the file, size]. */
export function freeblocks(file: Buffer, pageSize: number): Array<{ at: number; size: number }> {
  const out: Array<{ at: number; size: number }> = [];
  for (let base = 0; base + pageSize <= file.length; base += pageSize) {
    const h = base === 0 ? 100 : 0;
    if (file[base + h] !== 0x0d) continue;
    let off = file.readUInt16BE(base + h + 1);
    for (let guard = 0; off !== 0 && guard < pageSize / 4; guard++) {
      const size = file.readUInt16BE(base + off + 2);
      out.push({ at: base + off, size });
      off = file.readUInt16BE(base + off);
    }
  }
  return out;
}
