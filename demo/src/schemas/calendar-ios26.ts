// Calendar.sqlitedb of iOS 18 and iOS 26, RECONSTRUCTED: no dump of either is public.
// Built as: the real iOS 11.2 statements (calendar-ios11-2.ts) with the five CalendarItem columns the real iOS 14.3 file
// adds (calendar.ts CALENDAR_IOS14_3_EXTRA_COLUMNS), then these statements, as iOS migrates.
// Added [reconstructed from iLEAPP 423798fa scripts/artifacts/calendarAll.py, which detects both at run time: :236 column
// CalendarItem.conference_url_detected (else conference_url), :218 table AttachmentFile (else Attachment.filename/file_size)];
// types from research/schemas/calendar-ios26.sql [inferred]. iLEAPP's samples: iOS 18.0-18.7.8; no iOS 26 sample, and no
// iOS 18/26 change is documented (research/ios26-schemas.md section 6).

export const CALENDAR_IOS26_ADDED: readonly string[] = [
  'ALTER TABLE CalendarItem ADD COLUMN conference_url_detected TEXT;',
  'CREATE TABLE AttachmentFile (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, filename TEXT, file_size INTEGER);',
];
