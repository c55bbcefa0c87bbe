import { basename, posix } from 'node:path';
import { pushTo } from '../../collections.js';
import type { ArtifactDatabase, Row } from '../database.js';
import { num, str } from '../sql-values.js';
import type { ArtifactSource } from '../source.js';

/** Far above what one old sms.db holds; bounds the tables read here. */
const MAX_ROWS = 500_000;

/** The attachments and MMS texts of an iOS 5 (or earlier) sms.db, by message ROWID. */
export interface LegacyParts {
  /** Attachment rows in the shape of the later attachment table (filename, transfer_name, mime_type, uti). */
  rows: Map<number, Row>;
  byMessage: Map<number, number[]>;
  /** MMS text parts (msg_pieces text/plain), joined in part order. */
  texts: Map<number, string>;
}

/**
 * iOS 5 kept iMessage attachments in madrid_attachment (filename as later, "~/Library/SMS/Attachments/..")
 * and MMS parts in msg_pieces: text in its data, other parts as files named MESSAGE-PART.ext somewhere
 * under Library/SMS/Parts/ (two hashed folder levels), found here by that name.
 */
export function readLegacyParts(
  db: ArtifactDatabase,
  source: ArtifactSource,
  domain: string,
  rowsOf: (sql: string, table: string) => Row[],
): LegacyParts {
  const parts: LegacyParts = { rows: new Map(), byMessage: new Map(), texts: new Map() };
  let key = 0;
  const add = (message: number, row: Row) => {
    parts.rows.set(++key, { ...row, ROWID: key });
    pushTo(parts.byMessage, message, key);
  };
  if (db.hasTable('madrid_attachment'))
    for (const r of rowsOf(
      `SELECT * FROM madrid_attachment ORDER BY ROWID LIMIT ${MAX_ROWS}`,
      'madrid_attachment',
    )) {
      const filename = str(r.filename);
      add(num(r.message_id) ?? 0, {
        guid: str(r.attachment_guid),
        filename,
        transfer_name: filename ? basename(filename) : null,
        mime_type: str(r.mime_type),
        uti: str(r.uti_type),
        total_bytes: null,
      });
    }
  if (db.hasTable('msg_pieces')) {
    const stored = new Map<string, string>();
    for (const e of source.list(domain, 'Library/SMS/Parts/**')) {
      const name = posix.basename(e.relativePath);
      stored.set(name.replace(/\.[^.]*$/, '').toLowerCase(), e.relativePath);
    }
    const texts = new Map<number, string[]>();
    for (const r of rowsOf(
      `SELECT * FROM msg_pieces ORDER BY message_id, part_id LIMIT ${MAX_ROWS}`,
      'msg_pieces',
    )) {
      const message = num(r.message_id) ?? 0;
      const type = (str(r.content_type) ?? '').toLowerCase();
      if (type === 'application/smil') continue; // the MMS layout, not content
      if (type.startsWith('text/') && Buffer.isBuffer(r.data)) {
        pushTo(texts, message, r.data.toString('utf8'));
        continue;
      }
      const path = stored.get(`${message}-${num(r.part_id) ?? 0}`);
      add(message, {
        guid: null,
        filename: path ? `~/${path}` : null,
        transfer_name: str(r.content_loc),
        mime_type: type || null,
        uti: null,
        total_bytes: null,
      });
    }
    for (const [message, list] of texts) parts.texts.set(message, list.join('\n'));
  }
  return parts;
}
