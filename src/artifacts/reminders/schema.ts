import type { DatabaseSchema } from '../declaration.js';

/**
 * What the reminders reader reads. No real schema of a Reminders store is public: the columns are those
 * iLEAPP reminders.py reads (iOS 13-26; ZREMCDREMINDER from iOS 16, REMCDReminder rows of ZREMCDOBJECT
 * before), those rex/mcp-apple-reminders docs/SQLITE_SCHEMA.md reads from the same store on macOS
 * (ZPARENTREMINDER, ZICSURL, ZREMCDBASESECTION, ZREMCDHASHTAGLABEL and hashtag rows of ZREMCDOBJECT
 * linked by a ZREMINDER<n> column), and the section membership JSON of the list
 * (ZMEMBERSHIPSOFREMINDERSINSECTIONSASDATA; research/ios26-schemas.md section 7).
 */
export const REMINDERS_STORE_SCHEMA = {
  coreData: true,
  tables: {
    ZREMCDREMINDER: {
      optional: [
        'ZTITLE',
        'ZNOTES',
        'ZCOMPLETED',
        'ZCOMPLETIONDATE',
        'ZDUEDATE',
        'ZLIST',
        'ZPRIORITY',
        'ZFLAGGED',
        'ZCREATIONDATE',
        'ZLASTMODIFIEDDATE',
      ],
      extras: [
        'ZALLDAY',
        'ZMARKEDFORDELETION',
        'ZCKIDENTIFIER',
        'ZDACALENDARITEMUNIQUEIDENTIFIER',
        'ZEXTERNALIDENTIFIER',
        'ZPARENTREMINDER',
        'ZICSURL',
        'ZTITLE1',
        'ZNOTES1',
      ],
      ignored: 'ZACCOUNT',
    },
    /** Reminders before iOS 16; afterwards hashtags, URL attachments, alarms and other small entities. */
    ZREMCDOBJECT: {
      extras: [
        'ZTITLE1|ZTITLE',
        'ZNOTES1|ZNOTES',
        'ZCOMPLETED',
        'ZCOMPLETIONDATE',
        'ZDUEDATE',
        'ZLIST',
        'ZPRIORITY',
        'ZFLAGGED',
        'ZALLDAY',
        'ZMARKEDFORDELETION',
        'ZCREATIONDATE',
        'ZLASTMODIFIEDDATE',
        'ZCKIDENTIFIER',
        'ZDACALENDARITEMUNIQUEIDENTIFIER',
        'ZEXTERNALIDENTIFIER',
        'ZREMINDER#',
        'ZHASHTAGLABEL',
        'ZURL',
        'ZNAME',
      ],
      ignored: 'ZIDENTIFIER ZHOSTURL ZFILENAME ZUTI',
    },
    ZREMCDBASELIST: {
      optional: ['ZNAME'],
      extras: ['ZCKIDENTIFIER', 'ZMEMBERSHIPSOFREMINDERSINSECTIONSASDATA', 'ZMARKEDFORDELETION'],
      ignored: 'ZCREATIONDATE ZLASTMODIFIEDDATE ZCOLOR ZISGROUP',
    },
    ZREMCDBASESECTION: {
      extras: ['ZCKIDENTIFIER', 'ZDISPLAYNAME'],
      ignored: 'ZMARKEDFORDELETION',
    },
    ZREMCDHASHTAGLABEL: { extras: ['ZNAME'] },
  },
} as const satisfies DatabaseSchema;

/** Tasks in Calendar.sqlitedb (before iOS 13): the columns the reminders reader adds to the calendar's. */
export const CALENDAR_TASKS_SCHEMA = {
  tables: {
    CalendarItem: {
      // Tells tasks (3) from events: without it the table holds no task to read.
      required: ['entity_type'],
      extras: [
        'summary',
        'description',
        'url',
        'calendar_id',
        'completion_date',
        'due_date',
        'due_all_day',
        'priority',
        'creation_date',
        'last_modified',
        'unique_identifier',
        'UUID',
      ],
    },
    Calendar: { extras: ['title'] },
    Alarm: { extras: ['calendaritem_owner_id|owner_id', 'trigger_date'] },
  },
} as const satisfies DatabaseSchema;
