// WhatsApp databases as a current WhatsApp (iOS 18/26) writes them, RECONSTRUCTED (no public
// sqlite_master dump of a current ChatStorage.sqlite exists). The schema follows WhatsApp's own Core Data
// model, not iOS. Sources (research notes: /work/wt/research/ios26-schemas.md section 2,
// schemas/whatsapp-ios26.sql):
// - ChatStorage.sqlite: the real iOS-15-era schema (whatsapp-chatstorage-ios15.ts, from
//   ../shared/fixtures/databases/ios15-whatsapp-ChatStorage.sqlite), which already has every column the
//   current parsers read (WhatsApp-Chat-Exporter a0719bc ios_handler.py, IPED ad1a8364
//   ExtractorIOS.java, iLEAPP 423798fa whatsApp*.py), plus ZWAPHONENUMBERLIDPAIR, which newer versions
//   keep in ChatStorage.sqlite or LID.sqlite (mvt dac4acb whatsapp.py, LID_PAIRS_QUERY): columns from
//   mvt's query, types INFERRED.
// - ContactsV2.sqlite: ZWAADDRESSBOOKCONTACT with the columns mvt's whatsapp_contacts.py reads when
//   present; types INFERRED (VARCHAR/TIMESTAMP as Core Data declares them), Core Data bookkeeping tables
//   as in every Core Data store.
import { WHATSAPP_CHATSTORAGE_IOS15_SCHEMA } from './whatsapp-chatstorage-ios15.js';

export const WHATSAPP_CHATSTORAGE_IOS26_SCHEMA: readonly string[] = [
  ...WHATSAPP_CHATSTORAGE_IOS15_SCHEMA,
  'CREATE TABLE ZWAPHONENUMBERLIDPAIR ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZTIMESTAMP TIMESTAMP, ZLID VARCHAR, ZPHONENUMBER VARCHAR );',
];

export const WHATSAPP_CONTACTSV2_IOS26_SCHEMA: readonly string[] = [
  'CREATE TABLE ZWAADDRESSBOOKCONTACT ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZDISAPPEARINGMODEDURATION INTEGER, ZABOUTTIMESTAMP TIMESTAMP, ZABOUTEXPIRATIONTIMESTAMP TIMESTAMP, ZDISAPPEARINGMODETIMESTAMP TIMESTAMP, ZLASTUPDATED TIMESTAMP, ZABOUTEMOJI VARCHAR, ZABOUTTEXT VARCHAR, ZBUSINESSNAME VARCHAR, ZFULLNAME VARCHAR, ZGIVENNAME VARCHAR, ZIDENTIFIER VARCHAR, ZLASTNAME VARCHAR, ZLID VARCHAR, ZLOCALIZEDPHONENUMBER VARCHAR, ZNOTES VARCHAR, ZPHONENUMBER VARCHAR, ZPHONENUMBERLABEL VARCHAR, ZUSERNAME VARCHAR, ZWHATSAPPID VARCHAR );',
  'CREATE INDEX Z_WAAddressBookContact_byWhatsAppIDIndex ON ZWAADDRESSBOOKCONTACT (ZWHATSAPPID COLLATE BINARY ASC);',
  'CREATE TABLE Z_PRIMARYKEY (Z_ENT INTEGER PRIMARY KEY, Z_NAME VARCHAR, Z_SUPER INTEGER, Z_MAX INTEGER);',
  'CREATE TABLE Z_METADATA (Z_VERSION INTEGER PRIMARY KEY, Z_UUID VARCHAR(255), Z_PLIST BLOB);',
  'CREATE TABLE Z_MODELCACHE (Z_CONTENT BLOB);',
];
