import type { ArtifactData } from '../artifacts/artifact.js';
import { pushTo } from '../collections.js';
import { join } from 'node:path';
import { remindersDeclaration, type Reminder } from '../artifacts/reminders/index.js';
import { toCsv } from './csv.js';
import { defineExporter } from './exporter.js';
import { safeFileName, UniqueNames, writeFileAtomic } from './files.js';
import { beginCalendar, writeTodo } from './ical/components.js';
import { IcsBuilder } from './ical/ics.js';
import { toJson } from './json.js';
import { dueTime } from './event-times.js';
import { clock, type Clock } from '../time.js';

/** One reminder as reminders.json holds it. */
export function reminderJson(r: Reminder, times: Clock): Record<string, unknown> {
  return { ...r, due: dueTime(r, times) };
}

/** One VTODO .ics per list, reminders.csv and reminders.json. */
export const remindersExporter = defineExporter(
  remindersDeclaration,
  async (data: ArtifactData<Reminder>, context) => {
    const counts: Record<string, number> = {
      reminders: data.items.length,
      completed: data.items.filter((r) => r.completed).length,
      recovered: data.items.filter((r) => r.recovered).length,
    };
    let files = 0;
    const exportedAt = new Date();
    const times = clock(context.options.time);
    if (context.formats.includes('ics')) {
      const byList = new Map<string, Reminder[]>();
      for (const r of data.items) pushTo(byList, r.list, r);
      const names = new UniqueNames();
      for (const [list, reminders] of byList) {
        const ics = new IcsBuilder();
        beginCalendar(ics, list);
        for (const r of reminders) writeTodo(ics, r, exportedAt);
        ics.end('VCALENDAR');
        writeFileAtomic(
          join(context.outDir, names.take(`${safeFileName(list, 'Reminders')}.ics`)),
          ics.toString(),
        );
        files++;
      }
      counts.lists = byList.size;
    }
    if (context.formats.includes('csv')) {
      const header = [
        'list',
        'title',
        'completed',
        times.column('completion_date'),
        times.utc ? 'due' : `due (a date when all day; else ${times.zone})`,
        'due_all_day',
        'priority',
        'flagged',
        'tags',
        'section',
        'subtask_of',
        'url',
        'notes',
        times.column('created'),
        times.column('last_modified'),
        'marked_for_deletion',
        'uid',
        'source',
        'recovered',
        'recovered_from',
      ];
      const titleOf = new Map(data.items.map((r) => [r.uid, r.title]));
      const rows = data.items.map((r) => [
        r.list,
        r.title,
        r.completed,
        r.completionDate,
        dueTime(r, times),
        r.dueAllDay,
        r.priority,
        r.flagged,
        (r.tags ?? []).map((t) => `#${t}`).join(' '),
        r.section,
        r.parent ? (titleOf.get(r.parent) ?? r.parent) : null,
        r.url,
        r.notes,
        r.created,
        r.lastModified,
        r.markedForDeletion,
        r.uid,
        r.source,
        r.recovered ? 'yes' : '',
        r.recovered?.source,
      ]);
      writeFileAtomic(join(context.outDir, 'reminders.csv'), toCsv(header, rows, times));
      files++;
    }
    if (context.formats.includes('json')) {
      const reminders = data.items.map((r) => reminderJson(r, times));
      writeFileAtomic(join(context.outDir, 'reminders.json'), toJson({ reminders }, times));
      files++;
    }
    context.onProgress?.(data.items.length, data.items.length);
    return { artifact: 'reminders', counts, files, problems: [] };
  },
);
