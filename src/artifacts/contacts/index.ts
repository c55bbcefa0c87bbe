import { declaredIdentity } from '../identity.js';
import { pushTo } from '../../collections.js';
import {
  emptyData,
  defineReader,
  type ArtifactData,
  type ReadOptions,
  type RecoveredMark,
} from '../artifact.js';
import { fromAppleTime } from '../apple-time.js';
import { defineArtifact } from '../declaration.js';
import type { ArtifactDatabase, Row } from '../database.js';
import {
  ContactNameIndex,
  guessCountry,
  NO_NAMES,
  type NamedHandles,
  type NameIndex,
} from '../names.js';
import { held, readDatabase, type DatabaseProblems } from '../read-database.js';
import { attachEarlierVersions, attachOtherVersions, type EarlierVersion } from '../history.js';
import { readColumns } from '../known-schema.js';
import { bytes, columnList, get, num, text } from '../sql-values.js';
import { ADDRESS_BOOK_IMAGES_SCHEMA, ADDRESS_BOOK_SCHEMA } from './schema.js';

/** Contacts: the address book, with the card photos kept beside it. */
export const contactsDeclaration = defineArtifact({
  id: 'contacts',
  title: 'Contacts',
  locations: {
    addressBook: {
      domain: 'HomeDomain',
      path: 'Library/AddressBook/AddressBook.sqlitedb',
      kind: 'database',
      naturalKey: [
        { table: 'ABPerson', columns: ['guid'] },
        { table: 'ABMultiValue', columns: ['guid'] },
      ],
      schema: ADDRESS_BOOK_SCHEMA,
    },
    images: {
      domain: 'HomeDomain',
      path: 'Library/AddressBook/AddressBookImages.sqlitedb',
      kind: 'database',
      companion: true,
      catalog: false,
      naturalKey: [
        { table: 'ABFullSizeImage', columns: ['record_id'] },
        { table: 'ABThumbnailImage', columns: ['record_id', 'format'] },
      ],
      schema: ADDRESS_BOOK_IMAGES_SCHEMA,
    },
  },
  identity: {
    describe: "the card's guid (iOS 9+), else its names and phone numbers",
    keys: [
      { fields: ['guid'], from: { table: 'ABPerson', columns: ['guid'] } },
      { fields: ['firstName', 'lastName', 'organization', 'phones'] },
    ],
  },
  needsNames: false,
  aliases: [],
  formats: ['vcf', 'csv', 'json'],
  defaultFormats: ['vcf', 'csv'],
});

export const ADDRESS_BOOK = contactsDeclaration.locations.addressBook;
export const ADDRESS_BOOK_IMAGES = contactsDeclaration.locations.images;

/** A card's old copy is compared on its own row: phones, e-mails and the rest come from other tables. */
const CARD_HISTORY = {
  ignore: ['id', 'displayName', 'phones', 'emails', 'urls', 'relatedNames', 'addresses', 'photo'],
  bookkeeping: ['modified'],
};
/** A card by its guid; cards of old address books by names and numbers (digits only, any format). */
export const contactsIdentity = declaredIdentity<Contact>()(contactsDeclaration, {
  volatile: ['id', 'photo', 'displayName'],
  canonical: {
    phones: (phones) => (phones as LabeledValue[]).map((p) => p.value.replace(/[^\d+]/g, '')),
  },
});

/** ABMultiValue.property numbers (Apple's kABPerson...Property). */
export const AB_PROPERTY = {
  phone: 3,
  email: 4,
  address: 5,
  date: 12,
  url: 22,
  relatedName: 23,
} as const;

export interface LabeledValue {
  /** "Mobile", "Home", "Work", "Main", or the user's own label; null when none. */
  label: string | null;
  value: string;
}

export interface PostalAddress {
  label: string | null;
  street: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string | null;
  countryCode: string | null;
  /** Other parts (SubLocality, SubAdministrativeArea...), by their Contacts key. */
  other?: Record<string, string>;
}

export interface ContactPhoto {
  mimeType: string;
  data: Buffer;
  /** Which table of AddressBookImages.sqlitedb it came from. */
  source: 'full-size' | 'thumbnail';
}

export interface Contact {
  /** ABPerson ROWID. */
  id: string;
  /** ABPerson.guid: the card's own id, the same in every backup (iOS 9+). */
  guid?: string;
  /** "First Last", the organisation, or a phone number / address when there is no name. */
  displayName: string;
  prefix: string | null;
  firstName: string | null;
  middleName: string | null;
  lastName: string | null;
  suffix: string | null;
  nickname: string | null;
  organization: string | null;
  department: string | null;
  jobTitle: string | null;
  /** Contacts' "company" card (Kind 1). */
  isCompany: boolean;
  /** YYYY-MM-DD. */
  birthday: string | null;
  note: string | null;
  phones: LabeledValue[];
  emails: LabeledValue[];
  urls: LabeledValue[];
  relatedNames: LabeledValue[];
  addresses: PostalAddress[];
  created: Date | null;
  modified: Date | null;
  photo: ContactPhoto | null;
  recovered?: RecoveredMark;
  /** Earlier versions of this card (old copies of its ABPerson row, with other values). */
  earlierVersions?: EarlierVersion[];
}

const PERSON_COLUMNS = readColumns(ADDRESS_BOOK_SCHEMA.tables.ABPerson);

/** "_$!<Mobile>!$_" → "Mobile"; a user's own label stays as typed. */
export function cleanLabel(label: string | null): string | null {
  if (!label) return null;
  const m = /^_\$!<(.*)>!\$_$/.exec(label);
  return (m ? m[1]! : label).trim() || null;
}

/**
 * A birthday stored as seconds since 2001 (Contacts keeps it at midnight or noon GMT, or at local
 * midnight written in GMT): the calendar day nearest to it.
 */
export function birthdayFrom(value: unknown): string | null {
  const v = text(value);
  if (v === null) return null;
  if (/^\d{4}-\d{2}-\d{2}/.test(v)) return v.slice(0, 10);
  const seconds = Number(v);
  if (!Number.isFinite(seconds)) return null;
  const unix = seconds + 978307200;
  const day = 86400;
  const secondsOfDay = ((unix % day) + day) % day;
  const dayStart = unix - secondsOfDay;
  const pick = secondsOfDay === day / 2 || secondsOfDay < day / 2 ? dayStart : dayStart + day;
  const date = new Date(pick * 1000);
  return Number.isNaN(date.getTime()) ? null : date.toISOString().slice(0, 10);
}

export function displayNameOf(
  c: Pick<
    Contact,
    | 'prefix'
    | 'firstName'
    | 'middleName'
    | 'lastName'
    | 'suffix'
    | 'nickname'
    | 'organization'
    | 'phones'
    | 'emails'
    | 'isCompany'
  >,
): string {
  const personal = [c.firstName, c.middleName, c.lastName].filter(Boolean).join(' ');
  if (c.isCompany && c.organization) return c.organization;
  return (
    personal ||
    c.nickname ||
    c.organization ||
    c.phones[0]?.value ||
    c.emails[0]?.value ||
    'No name'
  );
}

function imageMime(data: Buffer): string {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8) return 'image/jpeg';
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (
    data
      .subarray(4, 12)
      .toString('latin1')
      .match(/^ftyp(heic|heix|mif1|heim|hevc)/)
  )
    return 'image/heic';
  if (data.subarray(0, 6).toString('latin1').startsWith('GIF8')) return 'image/gif';
  return 'application/octet-stream';
}

interface MultiValueRow {
  UID: number | null;
  record_id: number | null;
  property: number | null;
  label: string | null;
  value: string | null;
}

/** Fills phones, e-mails, URLs, related names and addresses of contacts from ABMultiValue rows. */
function attachMultiValues(
  contacts: Map<number, Contact>,
  rows: MultiValueRow[],
  entries: Map<number, Array<{ key: string; value: string }>>,
): void {
  for (const row of rows) {
    const contact = row.record_id === null ? undefined : contacts.get(row.record_id);
    if (!contact) continue;
    const label = cleanLabel(row.label);
    const value = text(row.value);
    switch (row.property) {
      case AB_PROPERTY.phone:
        if (value) contact.phones.push({ label, value });
        break;
      case AB_PROPERTY.email:
        if (value) contact.emails.push({ label, value });
        break;
      case AB_PROPERTY.url:
        if (value) contact.urls.push({ label, value });
        break;
      case AB_PROPERTY.relatedName:
        if (value) contact.relatedNames.push({ label, value });
        break;
      case AB_PROPERTY.address: {
        const parts = row.UID === null ? [] : (entries.get(row.UID) ?? []);
        const pick = (key: string) =>
          parts.find((p) => p.key.toLowerCase() === key.toLowerCase())?.value ?? null;
        const known = new Set(['street', 'city', 'state', 'zip', 'country', 'countrycode']);
        const other = Object.fromEntries(
          parts.filter((p) => !known.has(p.key.toLowerCase())).map((p) => [p.key, p.value]),
        );
        if (parts.length === 0 && !value) break;
        contact.addresses.push({
          label,
          street: pick('Street') ?? value,
          city: pick('City'),
          state: pick('State'),
          postalCode: pick('ZIP'),
          country: pick('Country'),
          countryCode: pick('CountryCode'),
          ...(Object.keys(other).length ? { other } : {}),
        });
        break;
      }
      default:
        break;
    }
  }
}

function contactFromRow(row: Row, recovered?: RecoveredMark): Contact {
  const kind = num(get(row, 'Kind'));
  const guid = text(get(row, 'guid'));
  const c: Contact = {
    id: String(num(get(row, 'ROWID')) ?? ''),
    ...(guid ? { guid } : {}),
    displayName: '',
    prefix: text(get(row, 'Prefix')),
    firstName: text(get(row, 'First')),
    middleName: text(get(row, 'Middle')),
    lastName: text(get(row, 'Last')),
    suffix: text(get(row, 'Suffix')),
    nickname: text(get(row, 'Nickname')),
    organization: text(get(row, 'Organization')),
    department: text(get(row, 'Department')),
    jobTitle: text(get(row, 'JobTitle')),
    isCompany: kind === 1,
    birthday: birthdayFrom(get(row, 'Birthday')),
    note: text(get(row, 'Note')),
    phones: [],
    emails: [],
    urls: [],
    relatedNames: [],
    addresses: [],
    created: fromAppleTime(get(row, 'CreationDate')),
    modified: fromAppleTime(get(row, 'ModificationDate')),
    photo: null,
  };
  if (recovered) c.recovered = recovered;
  return c;
}

function readPhotos(db: ArtifactDatabase, contacts: Map<number, Contact>): void {
  const tables: Array<['full-size' | 'thumbnail', string]> = [
    ['full-size', 'ABFullSizeImage'],
    ['thumbnail', 'ABThumbnailImage'],
  ];
  for (const [kind, table] of tables) {
    if (!db.hasTable(table) || !db.hasColumn(table, 'record_id') || !db.hasColumn(table, 'data'))
      continue;
    const order = db.hasColumn(table, 'format') ? 'ORDER BY format' : '';
    for (const row of db.all<{ record_id: number; data: Buffer | null }>(
      `SELECT record_id, data FROM ${table} ${order}`,
    )) {
      const contact = contacts.get(Number(row.record_id));
      const data = bytes(row.data);
      if (!contact || contact.photo || !data) continue;
      contact.photo = { mimeType: imageMime(data), data, source: kind };
    }
  }
}

function readAddressBook(
  db: ArtifactDatabase,
  options: ReadOptions,
  problems: DatabaseProblems,
): Map<number, Contact> {
  const contacts = new Map<number, Contact>();
  if (!db.hasTable('ABPerson')) {
    problems.error(
      `${db.label} has no ABPerson table (not an address book, or an unknown version)`,
    );
    return contacts;
  }
  for (const row of db.all(
    `SELECT ${columnList(db, 'ABPerson', PERSON_COLUMNS)} FROM ABPerson ORDER BY ROWID`,
  )) {
    contacts.set(Number(row.ROWID), contactFromRow(row));
  }
  const live = new Set(contacts.keys());
  const recoveredPeople = new Map<number, Contact>();
  /** Recovered cards whose rowid was overwritten (the first bytes of a freed cell are): linked to their values below. */
  const unplaced: Contact[] = [];
  if (options.recoverDeleted !== false) {
    // old copies of live cards (an edit that made the row longer) are their history
    attachEarlierVersions(
      db,
      'ABPerson',
      contacts,
      (values, mark) => contactFromRow(values, mark),
      CARD_HISTORY,
    );
    for (const r of db.recovered('ABPerson')) {
      const rowid = r.rowid ?? num(get(r.values, 'ROWID'));
      // a deleted card whose rowid a newer card took, or a second copy of the same deleted card
      if (rowid !== null && (live.has(rowid) || recoveredPeople.has(rowid))) continue;
      const c = contactFromRow({ ...r.values, ROWID: rowid }, r.recovered);
      attachOtherVersions(
        c,
        r,
        (values, mark) => contactFromRow({ ...values, ROWID: rowid }, mark),
        CARD_HISTORY,
      );
      // A carved record with no name, organisation or note at all tells nothing: leave it out.
      if (!c.firstName && !c.lastName && !c.organization && !c.nickname && !c.note && !c.middleName)
        continue;
      if (rowid !== null) recoveredPeople.set(rowid, c);
      else unplaced.push(c);
    }
  }
  const anyRecovered = () => recoveredPeople.size > 0 || unplaced.length > 0;

  // Multi-values (phones, e-mails, addresses...) with their labels and address parts.
  if (db.hasTable('ABMultiValue')) {
    const labels = new Map<number, string>();
    if (db.hasTable('ABMultiValueLabel'))
      for (const l of db.all<{ id: number; value: string }>(
        'SELECT rowid AS id, value FROM ABMultiValueLabel',
      ))
        labels.set(l.id, l.value);
    const keys = new Map<number, string>();
    if (db.hasTable('ABMultiValueEntryKey'))
      for (const k of db.all<{ id: number; value: string }>(
        'SELECT rowid AS id, value FROM ABMultiValueEntryKey',
      ))
        keys.set(k.id, k.value);
    const entries = new Map<number, Array<{ key: string; value: string }>>();
    const addEntry = (parent: unknown, key: unknown, value: unknown) => {
      const p = num(parent),
        k = num(key),
        v = text(value);
      if (p === null || k === null || v === null) return;
      pushTo(entries, p, { key: keys.get(k) ?? `key${k}`, value: v });
    };
    if (db.hasTable('ABMultiValueEntry')) {
      for (const e of db.all(
        `SELECT ${columnList(db, 'ABMultiValueEntry', ['parent_id', 'key', 'value'])} FROM ABMultiValueEntry ORDER BY rowid`,
      ))
        addEntry(e.parent_id, e.key, e.value);
    }
    const mvColumns = readColumns(ADDRESS_BOOK_SCHEMA.tables.ABMultiValue);
    const labelOf = (id: unknown) => {
      const n = num(id);
      return n === null ? null : (labels.get(n) ?? null);
    };
    const rows: MultiValueRow[] = db
      .all(
        `SELECT ${columnList(db, 'ABMultiValue', mvColumns)} FROM ABMultiValue ORDER BY record_id, property, identifier, UID`,
      )
      .map((r) => ({
        UID: num(r.UID),
        record_id: num(r.record_id),
        property: num(r.property),
        label: labelOf(r.label),
        value: text(r.value),
      }));
    attachMultiValues(contacts, rows, entries);
    if (anyRecovered()) {
      const liveUids = new Set(rows.map((r) => r.UID));
      if (db.hasTable('ABMultiValueEntry')) {
        for (const e of db.recovered('ABMultiValueEntry'))
          addEntry(get(e.values, 'parent_id'), get(e.values, 'key'), get(e.values, 'value'));
      }
      const carved = db
        .recovered('ABMultiValue')
        .map((r) => ({
          UID: r.rowid ?? num(get(r.values, 'UID')),
          record_id: num(get(r.values, 'record_id')),
          property: num(get(r.values, 'property')),
          label: labelOf(get(r.values, 'label')),
          value: text(get(r.values, 'value')),
          identifier: num(get(r.values, 'identifier')),
        }))
        .filter((r) => r.UID === null || !liveUids.has(r.UID))
        .sort(
          (a, b) =>
            (a.property ?? 0) - (b.property ?? 0) ||
            (a.identifier ?? 0) - (b.identifier ?? 0) ||
            (a.UID ?? 0) - (b.UID ?? 0),
        );
      // Address parts name their value by parent_id = UID; carved values that lost their UID take the
      // orphaned parent ids, in order.
      const knownUids = new Set(
        [...liveUids, ...carved.map((r) => r.UID)].filter((x): x is number => x !== null),
      );
      const orphanParents = [...entries.keys()]
        .filter((id) => !knownUids.has(id))
        .sort((a, b) => a - b);
      for (const r of carved)
        if (r.UID === null && r.property === AB_PROPERTY.address && orphanParents.length)
          r.UID = orphanParents.shift()!;
      // Deleted values name their card by record_id; those of no live or placed card belong to the unplaced
      // cards, paired in creation order (Contacts hands out rowids in that order).
      const orphanIds = [
        ...new Set(
          carved
            .map((r) => r.record_id)
            .filter((id): id is number => id !== null && !live.has(id) && !recoveredPeople.has(id)),
        ),
      ].sort((a, b) => a - b);
      unplaced.sort((a, b) => (a.created?.getTime() ?? 0) - (b.created?.getTime() ?? 0));
      unplaced.forEach((c, i) => {
        const id = orphanIds[i];
        if (id !== undefined) c.id = String(id);
        recoveredPeople.set(id ?? -(i + 1), c);
      });
      unplaced.length = 0;
      attachMultiValues(recoveredPeople, carved, entries);
    }
  } else {
    problems.warn(
      `${db.label} has no ABMultiValue table: phone numbers, e-mails and addresses not read`,
    );
  }
  unplaced.forEach((c, i) => recoveredPeople.set(-(i + 1), c));
  for (const [rowid, c] of recoveredPeople) {
    if (rowid < 0) c.id = `deleted-${-rowid}`;
    contacts.set(rowid, c);
  }
  return contacts;
}

export const contactsArtifact = defineReader(contactsDeclaration, async (source, options) => {
  const data = emptyData<Contact>('contacts');
  const title = contactsDeclaration.title;
  let contacts = new Map<number, Contact>();
  const found = await readDatabase(
    source,
    ADDRESS_BOOK,
    data,
    { title, recoverDeleted: options.recoverDeleted },
    (db, problems) => {
      contacts = readAddressBook(db, options, problems);
    },
  );
  if (!held(found)) {
    if (found === 'absent')
      data.notInBackup.push(
        'This backup holds no address book (Library/AddressBook/AddressBook.sqlitedb); contacts kept only in iCloud are not in backups.',
      );
    return data;
  }
  if (found === 'failed') return data;
  await readDatabase(
    source,
    ADDRESS_BOOK_IMAGES,
    data,
    { title, recoverDeleted: false, optional: 'photos not read' },
    (db) => readPhotos(db, contacts),
  );
  for (const c of contacts.values()) c.displayName = displayNameOf(c);
  data.items = [...contacts.values()].sort(
    (a, b) =>
      Number(Boolean(a.recovered)) - Number(Boolean(b.recovered)) ||
      (Number(a.id) || 0) - (Number(b.id) || 0),
  );
  return data;
});

/** The name index messages, WhatsApp and calls use, built from the contacts read. */
export function nameIndexFrom(data: ArtifactData<unknown>): NameIndex {
  const items = (data.items ?? []).filter(
    (i): i is Contact => typeof i === 'object' && i !== null && 'phones' in i && 'displayName' in i,
  );
  if (items.length === 0) return NO_NAMES;
  // Live cards first: a deleted card never hides the name on a live one.
  const ordered = [...items.filter((c) => !c.recovered), ...items.filter((c) => c.recovered)];
  const people: NamedHandles[] = ordered.map((c) => ({
    name: c.displayName === 'No name' ? '' : c.displayName,
    phones: c.phones.map((p) => p.value),
    emails: c.emails.map((e) => e.value),
  }));
  const country = guessCountry(
    ordered.flatMap((c) => c.phones.map((p) => p.value)),
    ordered.flatMap((c) => c.addresses.map((a) => a.countryCode ?? '')),
  );
  return new ContactNameIndex(people, country);
}
