import type { ArtifactId } from '../artifacts/artifact.js';
import type { CalendarEvent } from '../artifacts/calendar/index.js';
import type { CallRecord } from '../artifacts/calls/index.js';
import type { Contact } from '../artifacts/contacts/index.js';
import type { Conversation, ConversationMessage } from '../artifacts/conversation.js';
import type { DriveFile } from '../artifacts/drive/index.js';
import { conversationIdentityOf, identityOf } from '../artifacts/identities.js';
import type { KeyboardWord } from '../artifacts/keyboard/index.js';
import { phoneFromJid, phoneKeys, type NameIndex } from '../artifacts/names.js';
import type { Note } from '../artifacts/notes/index.js';
import type { PhotoAsset } from '../artifacts/photos/index.js';
import type { Reminder } from '../artifacts/reminders/index.js';
import type { SafariItem } from '../artifacts/safari/index.js';
import type { VoiceMemo } from '../artifacts/voice-memos/index.js';
import type { Voicemail } from '../artifacts/voicemail/index.js';
import { conversationTitle, personName } from '../export/conversations/model.js';
import { unitDate } from '../history/units.js';

/** What search looks in: every data type, and the files of the source by their paths. */
export const SEARCH_TYPES = [
  'messages',
  'whatsapp',
  'notes',
  'contacts',
  'calls',
  'calendar',
  'reminders',
  'safari',
  'voicemail',
  'voice-memos',
  'photos',
  'keyboard',
  'drive',
] as const satisfies readonly ArtifactId[];
export type SearchType = (typeof SEARCH_TYPES)[number] | 'files';

/** One thing search can find: a message, a contact, a note, a file path... */
export interface SearchDocument {
  type: SearchType;
  /** Where the UI opens it: the record's identity (a message: its conversation, then its own). */
  ref: string;
  title: string;
  body: string;
  /** Phone-number keys of the numbers it names (any format finds them). */
  numbers: string;
  date: Date | null;
  recovered: boolean;
}

const MAX_BODY = 20_000;

/**
 * The tokens a phone number is found by: its digits in E.164, its national number, and its last 7 digits
 * (a local number typed without area code); WhatsApp JIDs as the numbers they are.
 */
export function numberTokens(handle: string | null | undefined): string[] {
  if (!handle) return [];
  const text = phoneFromJid(handle) ?? handle;
  if (text.includes('@') || !/\d/.test(text)) return [];
  const digits = text.replace(/\D/g, '');
  if (digits.length < 5) return [];
  const keys = phoneKeys(text, undefined, true);
  const out = new Set<string>();
  if (keys.e164) out.add(keys.e164.replace(/\D/g, ''));
  for (const n of keys.national) out.add(n);
  out.add(digits);
  for (const t of [...out]) if (t.length > 7) out.add(t.slice(-7));
  return [...out];
}

const join = (parts: Array<string | null | undefined | false>) =>
  parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join('\n');

function doc(
  type: SearchType,
  ref: string,
  title: string,
  body: string,
  handles: Array<string | null | undefined>,
  date: Date | null,
  recovered: boolean,
): SearchDocument {
  return {
    type,
    ref,
    title,
    body: body.length > MAX_BODY ? body.slice(0, MAX_BODY) : body,
    numbers: [...new Set(handles.flatMap(numberTokens))].join(' '),
    date,
    recovered,
  };
}

const key = (id: ArtifactId, item: unknown, fallback: string) =>
  identityOf(id, item as never) ?? fallback;

/** The search documents of one data type's records. */
export function documentsOf(
  id: (typeof SEARCH_TYPES)[number],
  items: readonly unknown[],
  names: NameIndex,
): SearchDocument[] {
  const out: SearchDocument[] = [];
  const rec = (x: unknown) => Boolean((x as { recovered?: unknown }).recovered);
  switch (id) {
    case 'messages':
    case 'whatsapp':
      for (const c of items as Conversation[]) {
        const title = conversationTitle(c, names);
        const chat = conversationIdentityOf(id, c);
        const handles = c.participants.map((p) => p.handle);
        for (const m of c.messages as ConversationMessage[]) {
          const who = m.fromMe ? 'Me' : personName(m.sender, names, c);
          out.push(
            doc(
              id,
              `${chat}\n${key(id, m, m.id)}`,
              title,
              join([
                `${who}: ${m.text ?? m.event ?? ''}`,
                m.subject,
                ...m.attachments.map((a) => a.fileName),
                ...(m.edits ?? []).map((e) => e.text),
              ]),
              [...handles, m.sender],
              m.date,
              rec(m) || rec(c),
            ),
          );
        }
      }
      break;
    case 'contacts':
      for (const c of items as Contact[])
        out.push(
          doc(
            id,
            key(id, c, c.id),
            c.displayName,
            join([
              c.nickname,
              c.organization,
              c.jobTitle,
              ...c.phones.map((p) => p.value),
              ...c.emails.map((e) => e.value),
              ...c.addresses.map((a) => [a.street, a.city, a.country].filter(Boolean).join(', ')),
              c.note,
            ]),
            c.phones.map((p) => p.value),
            c.modified ?? c.created,
            rec(c),
          ),
        );
      break;
    case 'calls':
      for (const c of items as CallRecord[]) {
        const name = names.nameFor(c.address) ?? c.storedName;
        out.push(
          doc(
            id,
            key(id, c, c.id),
            `${c.direction} ${c.kind} call${name ? ` \u2014 ${name}` : ''}`,
            join([name, c.address, c.location]),
            [c.address],
            c.date,
            rec(c),
          ),
        );
      }
      break;
    case 'notes':
      for (const n of items as Note[])
        out.push(
          doc(
            id,
            key(id, n, n.id),
            n.title,
            join([n.text, n.folder]),
            [],
            n.modified ?? n.created,
            rec(n),
          ),
        );
      break;
    case 'calendar':
      for (const e of items as CalendarEvent[])
        out.push(
          doc(
            id,
            key(id, e, e.uid),
            e.summary ?? '(untitled event)',
            join([
              e.location?.title,
              e.location?.address,
              e.description,
              e.url,
              e.calendar,
              ...e.attendees.map((a) => a.name ?? a.email),
            ]),
            e.attendees.map((a) => a.phone),
            e.start,
            rec(e),
          ),
        );
      break;
    case 'reminders':
      for (const r of items as Reminder[])
        out.push(
          doc(
            id,
            key(id, r, r.uid),
            r.title ?? '(untitled reminder)',
            join([r.notes, r.url, r.list]),
            [],
            r.due ?? r.created,
            rec(r),
          ),
        );
      break;
    case 'safari':
      for (const s of items as SafariItem[]) {
        if (s.kind === 'folder') continue;
        out.push(
          doc(
            id,
            key(id, s, `${s.kind}:${s.url ?? ''}`),
            s.title ?? s.url ?? '(untitled)',
            join([s.url]),
            [],
            unitDate(s),
            rec(s),
          ),
        );
      }
      break;
    case 'voicemail':
      for (const v of items as Voicemail[]) {
        const who = names.nameFor(v.sender) ?? v.sender ?? 'unknown caller';
        out.push(
          doc(
            id,
            key(id, v, String(v.rowid)),
            `Voicemail from ${who}`,
            join([v.transcript, v.sender, v.callbackNumber]),
            [v.sender, v.callbackNumber],
            v.receivedAt,
            rec(v),
          ),
        );
      }
      break;
    case 'voice-memos':
      for (const m of items as VoiceMemo[])
        out.push(
          doc(
            id,
            key(id, m, m.id),
            m.title ?? m.fileName ?? 'Voice memo',
            join([m.fileName]),
            [],
            m.recordedAt,
            false,
          ),
        );
      break;
    case 'photos':
      for (const p of items as PhotoAsset[])
        out.push(
          doc(
            id,
            key(id, p, p.id),
            p.title ?? p.filename,
            join([p.filename, p.originalFilename, p.directory, ...p.albums]),
            [],
            p.created,
            false,
          ),
        );
      break;
    case 'keyboard':
      for (const w of items as KeyboardWord[])
        out.push(doc(id, key(id, w, w.word), w.word, w.language, [], null, false));
      break;
    case 'drive':
      for (const f of items as DriveFile[])
        out.push(doc(id, key(id, f, f.path), f.path, f.path, [], f.modified, false));
      break;
  }
  return out;
}
