import type { ArtifactData, ReadOptions, RecoveredMark } from '../artifact.js';
import { fromAppleTime } from '../apple-time.js';
import type { ArtifactDatabase, Row } from '../database.js';
import type { DatabaseProblems } from '../read-database.js';
import { num, str } from '../sql-values.js';
import { paragraphsText } from './document.js';
import { htmlToParagraphs } from './html-body.js';
import type { Note } from './model.js';

/** Notes before iOS 9: HomeDomain Library/Notes/notes.sqlite, ZNOTE with its HTML body in ZNOTEBODY.ZCONTENT. */

/** Reads notes.sqlite's notes into `out` (the database is opened by the caller). */
export function readLegacyNotes(
  db: ArtifactDatabase,
  problems: DatabaseProblems,
  options: ReadOptions,
  out: ArtifactData<Note>,
): void {
  if (!db.hasTable('ZNOTE') || !db.hasTable('ZNOTEBODY')) {
    problems.error(
      'notes.sqlite has no ZNOTE/ZNOTEBODY table (unknown schema); no notes read from it',
    );
    return;
  }
  const noteCols = new Set(db.columns('ZNOTE').map((c) => c.toUpperCase()));
  const bodyCols = new Set(db.columns('ZNOTEBODY').map((c) => c.toUpperCase()));
  const stores = new Map<number, { name: string | null; account: number | null }>();
  if (db.hasTable('ZSTORE')) {
    for (const r of db.all('SELECT * FROM ZSTORE'))
      stores.set(num(r['Z_PK']) ?? -1, { name: str(r['ZNAME']), account: num(r['ZACCOUNT']) });
  }
  const accounts = new Map<number, string | null>();
  if (db.hasTable('ZACCOUNT'))
    for (const r of db.all('SELECT * FROM ZACCOUNT'))
      accounts.set(num(r['Z_PK']) ?? -1, str(r['ZNAME']));

  const bodies = new Map<number, string>();
  const bodyByOwner = new Map<number, string>();
  for (const r of db.all('SELECT * FROM ZNOTEBODY')) {
    const content = str(r['ZCONTENT']);
    if (content === null) continue;
    bodies.set(num(r['Z_PK']) ?? -1, content);
    if (bodyCols.has('ZOWNER') && num(r['ZOWNER']) !== null)
      bodyByOwner.set(num(r['ZOWNER'])!, content);
  }

  const make = (r: Row, body: string | null, recovered?: RecoveredMark): Note => {
    const pk = num(r['Z_PK']) ?? 0;
    const store = stores.get(num(r['ZSTORE']) ?? -1);
    const paragraphs = body !== null ? htmlToParagraphs(body) : null;
    const note: Note = {
      id: str(r['ZGUID']) ?? `legacy-${pk}`,
      pk,
      title:
        str(r['ZTITLE']) ??
        paragraphs
          ?.map((p) =>
            p.runs
              .map((x) => x.text)
              .join('')
              .trim(),
          )
          .find((t) => t) ??
        'Untitled note',
      snippet: str(r['ZSUMMARY']),
      account:
        store?.account !== undefined && store.account !== null
          ? (accounts.get(store.account) ?? null)
          : null,
      folder: store?.name ?? null,
      folderId: null,
      inRecentlyDeleted: noteCols.has('ZDELETEDFLAG') && num(r['ZDELETEDFLAG']) === 1,
      pinned: false,
      created: fromAppleTime(r['ZCREATIONDATE']),
      modified: fromAppleTime(r['ZMODIFICATIONDATE']),
      locked: false,
      paragraphs,
      text: paragraphs ? paragraphsText(paragraphs) : null,
      attachments: [],
      store: 'legacy',
      issues: body === null ? ['the note has no body in the database'] : [],
    };
    if (recovered) note.recovered = recovered;
    return note;
  };

  const live = new Set<number>();
  for (const r of db.all('SELECT * FROM ZNOTE')) {
    const pk = num(r['Z_PK']) ?? -1;
    live.add(pk);
    out.items.push(make(r, bodies.get(num(r['ZBODY']) ?? -1) ?? bodyByOwner.get(pk) ?? null));
  }
  if (options.recoverDeleted !== false) {
    const carvedBodies = db.recovered('ZNOTEBODY');
    const usedBodies = new Set<number>();
    for (const r of db.recovered('ZNOTE')) {
      const pk = num(r.values['Z_PK']) ?? -1;
      if (live.has(pk)) continue;
      const carved = carvedBodies.findIndex(
        (b) => num(b.values['ZOWNER']) === pk || num(b.values['Z_PK']) === num(r.values['ZBODY']),
      );
      if (carved >= 0) usedBodies.add(carved);
      const body =
        bodies.get(num(r.values['ZBODY']) ?? -1) ??
        bodyByOwner.get(pk) ??
        (carved >= 0 ? str(carvedBodies[carved]!.values['ZCONTENT']) : null);
      if (body === null && !str(r.values['ZTITLE'])) continue;
      out.items.push(make(r.values, body, r.recovered));
    }
    carvedBodies.forEach((b, i) => {
      const owner = num(b.values['ZOWNER']);
      const content = str(b.values['ZCONTENT']);
      if (usedBodies.has(i) || content === null || (owner !== null && live.has(owner))) return;
      const note = make({ Z_PK: owner ?? 0 }, content, b.recovered);
      note.id = `legacy-recovered-body-${b.rowid ?? i}`;
      note.issues.push('recovered note body without its note record (no title, folder or dates)');
      out.items.push(note);
    });
  }
}
