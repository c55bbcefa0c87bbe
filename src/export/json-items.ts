import type { ArtifactId } from '../artifacts/artifact.js';
import type { CalendarEvent } from '../artifacts/calendar/index.js';
import type { CallRecord } from '../artifacts/calls/index.js';
import type { Contact } from '../artifacts/contacts/index.js';
import type { Conversation, ConversationMessage } from '../artifacts/conversation.js';
import type { IdentityUnit } from '../artifacts/identities.js';
import type { NameIndex } from '../artifacts/names.js';
import type { PhotoAsset } from '../artifacts/photos/index.js';
import type { Reminder } from '../artifacts/reminders/index.js';
import type { VoiceMemo } from '../artifacts/voice-memos/index.js';
import type { Voicemail } from '../artifacts/voicemail/index.js';
import type { Clock } from '../time.js';
import { eventJson } from './calendar.js';
import { callJson } from './calls.js';
import { contactJson } from './contacts.js';
import { messageJsonValue } from './conversations/json.js';
import { conversationTitle, ME, personName, prepareMessage } from './conversations/model.js';
import { photoJson } from './photos.js';
import { reminderJson } from './reminders.js';
import { voiceMemoJson } from './voice-memos.js';
import { voicemailJson } from './voicemail.js';

export interface JsonItemContext {
  names: NameIndex;
  clock: Clock;
}

/**
 * One record with the fields that data type's JSON export gives it (a message: as in its conversation's JSON,
 * with the conversation it belongs to), for `diff --json` and search. Types without a JSON export give the record.
 */
export function jsonItem<K extends ArtifactId>(
  id: K,
  item: IdentityUnit<K>,
  context: JsonItemContext,
  conversation?: Conversation,
): Record<string, unknown> {
  const { names, clock } = context;
  switch (id) {
    case 'messages':
    case 'whatsapp': {
      const message = item as ConversationMessage;
      const conv = conversation!;
      return {
        conversation: {
          id: conv.id,
          ...(conv.guid ? { guid: conv.guid } : {}),
          title: conversationTitle(conv, names),
          participants: conv.participants.map((p) => ({
            handle: p.handle,
            name: names.nameFor(p.handle) ?? p.name ?? null,
          })),
        },
        ...messageJsonValue(
          prepareMessage(message, conv, names),
          new Set(conv.messages.map((m) => m.id)),
          (handle) => (handle === null ? ME : personName(handle, names, conv)),
        ),
      };
    }
    case 'photos':
      return photoJson(item as PhotoAsset, clock);
    case 'voice-memos':
      return voiceMemoJson(item as VoiceMemo, null);
    case 'voicemail':
      return voicemailJson(item as Voicemail, names, null);
    case 'contacts':
      return contactJson(item as Contact);
    case 'calls':
      return callJson(item as CallRecord, names);
    case 'calendar':
      return eventJson(item as CalendarEvent, clock);
    case 'reminders':
      return reminderJson(item as Reminder, clock);
    default:
      return { ...(item as Record<string, unknown>) };
  }
}
