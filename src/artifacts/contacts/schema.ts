import type { DatabaseSchema } from '../declaration.js';

/**
 * What the contacts reader reads. AddressBook.sqlitedb: the real iOS 15.3.1 schema (fixture
 * ios15-AddressBook.sqlitedb); iLEAPP addressBook.py runs one query for iOS 18.0-18.7.8 samples and no
 * change is documented up to iOS 26 (research/ios26-schemas.md section 3).
 */
export const ADDRESS_BOOK_SCHEMA = {
  tables: {
    ABPerson: {
      required: ['ROWID'],
      optional: ['First', 'Last', 'Organization'],
      extras: [
        'Middle',
        'Prefix',
        'Suffix',
        'Nickname',
        'Department',
        'JobTitle',
        'Birthday',
        'Note',
        'Kind',
        'CreationDate',
        'ModificationDate',
        'guid',
      ],
      ignored: `FirstPhonetic MiddlePhonetic LastPhonetic FirstSort LastSort CompositeNameFallback
        ExternalIdentifier ExternalModificationTag ExternalUUID StoreID DisplayName ExternalRepresentation
        FirstSortSection LastSortSection FirstSortLanguageIndex LastSortLanguageIndex PersonLink ImageURI
        IsPreferredName PhonemeData AlternateBirthday MapsData FirstPronunciation MiddlePronunciation
        LastPronunciation OrganizationPhonetic OrganizationPronunciation PreviousFamilyName
        PreferredLikenessSource PreferredPersonaIdentifier PreferredChannel DowntimeWhitelist ImageType
        ImageHash MemojiMetadata`,
    },
    ABMultiValue: {
      required: ['record_id', 'property'],
      optional: ['value', 'label'],
      extras: ['UID', 'identifier'],
      ignored: 'guid',
    },
    ABMultiValueLabel: { extras: ['value'] },
    ABMultiValueEntry: { optional: ['parent_id', 'key', 'value'] },
    ABMultiValueEntryKey: { extras: ['value'] },
  },
  ignoredTables: `_SqliteDatabaseProperties ABStore ABPersonChanges ABPersonLink ABPersonSearchKey ABGroup
    ABGroupChanges ABAccount ABGroupMembers ABPhoneLastFour ABPersonMultiValueDeletes FirstSortSectionCount
    LastSortSectionCount FirstSortSectionCountTotal LastSortSectionCountTotal ClientCursor ClientSequence
    ClientCursorConsumed ABPersonFullTextSearch ABPersonFullTextSearch_content
    ABPersonFullTextSearch_segments ABPersonFullTextSearch_segdir ABPersonFullTextSearch_docsize
    ABPersonFullTextSearch_stat`,
} as const satisfies DatabaseSchema;

/** AddressBookImages.sqlitedb (iLEAPP addressBook.py; the real iOS 15 demo layout). */
export const ADDRESS_BOOK_IMAGES_SCHEMA = {
  tables: {
    ABFullSizeImage: { required: ['record_id', 'data'], ignored: 'crop_x crop_y crop_width' },
    ABThumbnailImage: {
      required: ['record_id', 'data'],
      extras: ['format'],
      ignored: 'derived_from_format',
    },
  },
} as const satisfies DatabaseSchema;
