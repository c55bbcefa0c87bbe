import type { ArtifactDatabase } from '../database.js';
import { columnList, text } from '../sql-values.js';

/**
 * Names from WhatsApp's own contacts database (ContactsV2.sqlite, table ZWAADDRESSBOOKCONTACT), by JID.
 * Columns as mvt reads them (mvt src/mvt/ios/modules/mixed/whatsapp_contacts.py builds its query from
 * the columns present): ZWHATSAPPID, ZLID, ZFULLNAME, ZGIVENNAME, ZLASTNAME, ZBUSINESSNAME.
 */
export function readContactNames(db: ArtifactDatabase): Map<string, string> {
  const names = new Map<string, string>();
  if (!db.hasTable('ZWAADDRESSBOOKCONTACT')) return names;
  const wanted = ['ZWHATSAPPID', 'ZLID', 'ZFULLNAME', 'ZGIVENNAME', 'ZLASTNAME', 'ZBUSINESSNAME'];
  for (const r of db.all(
    `SELECT ${columnList(db, 'ZWAADDRESSBOOKCONTACT', wanted)} FROM ZWAADDRESSBOOKCONTACT`,
  )) {
    const name =
      text(r.ZFULLNAME) ??
      ([text(r.ZGIVENNAME), text(r.ZLASTNAME)].filter(Boolean).join(' ') || null) ??
      text(r.ZBUSINESSNAME);
    if (!name) continue;
    for (const jid of [text(r.ZWHATSAPPID), text(r.ZLID)])
      if (jid && !names.has(jid)) names.set(jid, name);
  }
  return names;
}
