import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  contactsArtifact,
  contactsDeclaration,
  type Contact,
} from '../../src/artifacts/contacts/index.js';
import { buildContacts, contactsData } from '../../demo/src/contacts.js';
import { assertGracefulDrops, dropEachColumn } from '../support/column-drop.js';
import { exportFiles } from '../support/loose-files.js';

const { addressBook, images } = contactsDeclaration.locations;

describe('contacts built to the iOS 26 schema (iOS 15.3.1 layout, inferred unchanged)', () => {
  const data = contactsData();
  const files = buildContacts(data, { ios: 'ios26' });

  test('every card is exported to vCard with its numbers, e-mails and photo', async () => {
    const { results, written } = await exportFiles(files, ['contacts']);
    assert.deepEqual(results[0]!.problems, []);
    assert.equal(results[0]!.items, data.contacts.length);
    const vcf = written.get('contacts/contacts.vcf')!.toString('utf8');
    assert.equal(vcf.match(/BEGIN:VCARD/g)?.length, data.contacts.length);
    for (const c of data.contacts) {
      assert.ok(vcf.includes(c.person.phoneDisplay), c.person.phoneDisplay);
      if (c.person.email) assert.ok(vcf.includes(c.person.email), c.person.email);
    }
    assert.match(vcf, /PHOTO;ENCODING=b;TYPE=JPEG:/);
  });

  test('each optional column of AddressBook.sqlitedb dropped in turn: every card still comes out', async () => {
    const result = await dropEachColumn<Contact>({
      files,
      database: addressBook,
      read: (source) => contactsArtifact.read(source, { recoverDeleted: false }),
    });
    assertGracefulDrops(result, {
      fields: {
        'ABPerson.First': ['firstName', 'displayName'],
        'ABPerson.Last': ['lastName', 'displayName'],
        'ABPerson.Organization': ['organization', 'displayName'],
        'ABPerson.Middle': ['middleName', 'displayName'],
        'ABPerson.Kind': ['isCompany', 'displayName'],
        'ABMultiValue.value': [
          'phones',
          'emails',
          'urls',
          'relatedNames',
          'addresses',
          'displayName',
        ],
        'ABMultiValueEntry.value': ['addresses'],
        'ABMultiValueEntry.key': ['addresses'],
        'ABMultiValueEntry.parent_id': ['addresses'],
      },
    });
  });

  test('each optional column of AddressBookImages.sqlitedb dropped in turn', async () => {
    const result = await dropEachColumn<Contact>({
      files,
      database: images,
      read: (source) => contactsArtifact.read(source, { recoverDeleted: false }),
    });
    assertGracefulDrops(result, { fields: { 'ABThumbnailImage.format': [] } });
  });
});
