import type { BackupFileInput } from '../../src/backup/types.js';
import { appleSeconds, asDate } from './apple-time.js';
import { demoUUID } from './ids.js';
import { encodeJpeg } from './media/jpeg.js';
import { PEOPLE, type DemoPerson } from './people.js';
import { ADDRESSBOOK_IOS15_SCHEMA } from './schemas/addressbook-ios15.js';
import { buildSqliteFile, insertRow, type SqliteDatabase, type SqlValue } from './sqlite-file.js';

/**
 * Library/AddressBook/AddressBook.sqlitedb with the real iOS 15 schema (fixture ios15-AddressBook.sqlitedb),
 * and AddressBookImages.sqlitedb with one thumbnail.
 * ABMultiValue.property: 3 phone, 4 email, 5 postal address (its parts in ABMultiValueEntry); label and
 * entry keys point at ABMultiValueLabel / ABMultiValueEntryKey rowids, as in the real file.
 */

export const AB_PROPERTY = { phone: 3, email: 4, address: 5 } as const;
export const AB_LABELS = [
  '_$!<Mobile>!$_',
  '_$!<Home>!$_',
  '_$!<Work>!$_',
  '_$!<Main>!$_',
] as const;
export const AB_ENTRY_KEYS = ['Street', 'ZIP', 'City', 'CountryCode', 'State', 'Country'] as const;

export interface DemoContactValue {
  uid: number;
  personRowid: number;
  property: 3 | 4 | 5;
  label: (typeof AB_LABELS)[number];
  value: string | null;
}
export interface DemoContact {
  rowid: number;
  person: DemoPerson;
  created: string;
  hasThumbnail: boolean;
  /** Optional card fields (none in the bundled demo): YYYY-MM-DD birthday, note, job title, nickname, department. */
  birthday?: string;
  note?: string;
  jobTitle?: string;
  nickname?: string;
  department?: string;
}
export interface ContactsData {
  contacts: DemoContact[];
  values: DemoContactValue[];
  thumbnail: { personRowid: number; jpeg: Buffer };
  /**
   * Contacts (by rowid) deleted again after they were written, with secure_delete off, as Contacts deletes a card
   * (ABPerson row, its ABMultiValue and ABMultiValueEntry rows): their bytes stay in free space. None in the bundled demo.
   */
  deletedRowids?: number[];
}

export function contactsData(): ContactsData {
  const contacts: DemoContact[] = PEOPLE.map((person, i) => ({
    rowid: i + 1,
    person,
    created: `2024-0${i + 1}-1${i}T12:00:00Z`,
    hasThumbnail: person.key === 'jamie',
  }));
  const values: DemoContactValue[] = [];
  for (const c of contacts) {
    const p = c.person;
    const add = (
      property: DemoContactValue['property'],
      label: DemoContactValue['label'],
      value: string | null,
    ) => values.push({ uid: values.length + 1, personRowid: c.rowid, property, label, value });
    add(AB_PROPERTY.phone, p.organization ? '_$!<Main>!$_' : '_$!<Mobile>!$_', p.phoneDisplay);
    if (p.email) add(AB_PROPERTY.email, '_$!<Home>!$_', p.email);
    if (p.address) add(AB_PROPERTY.address, '_$!<Home>!$_', null);
  }
  const thumbnail = encodeJpeg({
    width: 24,
    height: 24,
    corners: {
      topLeft: [90, 140, 210],
      topRight: [60, 110, 190],
      bottomLeft: [40, 80, 150],
      bottomRight: [20, 50, 120],
    },
  });
  return {
    contacts,
    values,
    thumbnail: { personRowid: contacts.find((c) => c.hasThumbnail)!.rowid, jpeg: thumbnail },
  };
}

/** Functions the real schema's defaults and triggers call (Contacts registers them in-process). */
const ADDRESSBOOK_FUNCTIONS: Record<string, (...args: SqlValue[]) => SqlValue> = {
  ab_generate_guid: () => {
    throw new Error('demo rows must set guid explicitly');
  },
  ab_update_value_from_trigger: (value) => value,
};

function sortSection(p: DemoPerson, which: 'first' | 'last'): string {
  const name =
    p.organization ?? (which === 'first' ? (p.first ?? p.last) : (p.last ?? p.first)) ?? '#';
  return name.charAt(0).toUpperCase();
}

/** Deletes cards the way Contacts does, leaving their bytes in free space (secure_delete off). */
function deleteContacts(db: SqliteDatabase, rowids: readonly number[]): void {
  if (rowids.length === 0) return;
  db.pragma('secure_delete = OFF');
  for (const rowid of rowids) {
    db.prepare(
      'DELETE FROM ABMultiValueEntry WHERE parent_id IN (SELECT UID FROM ABMultiValue WHERE record_id = ?)',
    ).run(rowid);
    db.prepare('DELETE FROM ABMultiValue WHERE record_id = ?').run(rowid);
    db.prepare('DELETE FROM ABPerson WHERE ROWID = ?').run(rowid);
  }
}

export function buildContacts(data: ContactsData = contactsData()): BackupFileInput[] {
  const addressBook = buildSqliteFile(
    ADDRESSBOOK_IOS15_SCHEMA,
    (db) => {
      insertRow(db, '_SqliteDatabaseProperties', { key: '_ClientVersion', value: '83' });
      insertRow(db, '_SqliteDatabaseProperties', { key: 'DefaultStore', value: '0' });
      insertRow(db, 'ABStore', {
        ROWID: 0,
        Type: 0,
        StoreInternalIdentifier: 'local',
        AccountID: -1,
        Enabled: 1,
        MeIdentifier: -1,
        Capabilities: 0,
        guid: demoUUID('ab-store-local'),
      });
      AB_LABELS.forEach((value) => insertRow(db, 'ABMultiValueLabel', { value }));
      AB_ENTRY_KEYS.forEach((value) => insertRow(db, 'ABMultiValueEntryKey', { value }));
      for (const c of data.contacts) {
        const p = c.person;
        const created = Math.round(appleSeconds(c.created));
        insertRow(db, 'ABPerson', {
          ROWID: c.rowid,
          First: p.first,
          Last: p.last,
          Organization: p.organization,
          Kind: p.organization ? 1 : 0,
          CreationDate: created,
          ModificationDate: created,
          StoreID: 0,
          FirstSortSection: sortSection(p, 'first'),
          LastSortSection: sortSection(p, 'last'),
          FirstSortLanguageIndex: 0,
          LastSortLanguageIndex: 0,
          PersonLink: -1,
          IsPreferredName: 1,
          guid: demoUUID(`ab-person-${c.rowid}`),
          ImageType: c.hasThumbnail ? 'PHOTO' : null,
          ...(c.birthday ? { Birthday: String(appleSeconds(`${c.birthday}T00:00:00Z`)) } : {}),
          ...(c.note ? { Note: c.note } : {}),
          ...(c.jobTitle ? { JobTitle: c.jobTitle } : {}),
          ...(c.nickname ? { Nickname: c.nickname } : {}),
          ...(c.department ? { Department: c.department } : {}),
        });
      }
      const labelRowid = (label: string) =>
        AB_LABELS.indexOf(label as (typeof AB_LABELS)[number]) + 1;
      for (const v of data.values) {
        const identifier = data.values.filter(
          (o) => o.personRowid === v.personRowid && o.property === v.property && o.uid < v.uid,
        ).length;
        insertRow(db, 'ABMultiValue', {
          UID: v.uid,
          record_id: v.personRowid,
          property: v.property,
          identifier,
          label: labelRowid(v.label),
          value: v.value,
          guid: demoUUID(`ab-mv-${v.uid}`),
        });
        if (v.property === AB_PROPERTY.phone && v.value)
          insertRow(db, 'ABPhoneLastFour', {
            multivalue_id: v.uid,
            value: v.value.replace(/\D/g, '').slice(-4),
          });
        const address = data.contacts.find((c) => c.rowid === v.personRowid)?.person.address;
        if (v.property === AB_PROPERTY.address && address) {
          const parts: Record<(typeof AB_ENTRY_KEYS)[number], string> = {
            Street: address.street,
            ZIP: address.zip,
            City: address.city,
            CountryCode: address.countryCode,
            State: address.state,
            Country: address.country,
          };
          AB_ENTRY_KEYS.forEach((key, i) =>
            insertRow(db, 'ABMultiValueEntry', { parent_id: v.uid, key: i + 1, value: parts[key] }),
          );
        }
      }
      deleteContacts(db, data.deletedRowids ?? []);
    },
    { functions: ADDRESSBOOK_FUNCTIONS },
  );
  // AddressBookImages.sqlitedb: no real schema of it was available; these two tables follow the layout
  // forensic tools read (record_id = ABPerson.ROWID, data = JPEG) and are NOT verified against a real file.
  const images = buildSqliteFile(
    [
      'CREATE TABLE ABThumbnailImage (record_id INTEGER, format INTEGER, derived_from_format INTEGER, data BLOB, UNIQUE(record_id, format));',
      'CREATE TABLE ABFullSizeImage (record_id INTEGER, crop_x INTEGER, crop_y INTEGER, crop_width INTEGER, data BLOB, UNIQUE(record_id));',
    ],
    (db) =>
      insertRow(db, 'ABThumbnailImage', {
        record_id: data.thumbnail.personRowid,
        format: 0,
        derived_from_format: 0,
        data: data.thumbnail.jpeg,
      }),
  );
  const modified = asDate('2024-06-01T09:00:00Z');
  return [
    {
      domain: 'HomeDomain',
      relativePath: 'Library/AddressBook/AddressBook.sqlitedb',
      data: addressBook,
      modified,
    },
    {
      domain: 'HomeDomain',
      relativePath: 'Library/AddressBook/AddressBookImages.sqlitedb',
      data: images,
      modified,
    },
  ];
}
