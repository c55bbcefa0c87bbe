import type { ArtifactId } from '../artifacts/artifact.js';
import type { Conversation, ConversationMessage } from '../artifacts/conversation.js';
import type { NameIndex } from '../artifacts/names.js';
import { conversationTitle, personName } from '../export/conversations/model.js';

const TITLE_FIELDS = [
  'title',
  'displayName',
  'summary',
  'filename',
  'fileName',
  'word',
  'path',
  'url',
  'address',
  'sender',
] as const;

const clip = (text: string, max = 100) =>
  text.length > max ? `${text.slice(0, max - 1)}\u2026` : text;

/** A record in one line, for lists (diff, search): who said what, the title, the number called... */
export function describeRecord(
  id: ArtifactId,
  item: unknown,
  names: NameIndex,
  conversation?: Conversation,
): string {
  if ((id === 'messages' || id === 'whatsapp') && conversation) {
    const m = item as ConversationMessage;
    const who = m.fromMe ? 'Me' : personName(m.sender, names, conversation);
    const what =
      m.text ??
      m.event ??
      (m.attachments.length ? `[${m.attachments.map((a) => a.fileName).join(', ')}]` : '');
    return clip(
      `${conversationTitle(conversation, names)} \u2014 ${who}: ${what.replace(/\s+/g, ' ')}`,
    );
  }
  const record = item as Record<string, unknown>;
  if (id === 'calls') {
    const who = names.nameFor(record['address'] as string) ?? record['address'] ?? 'unknown number';
    return `${record['direction']} ${record['kind']} call, ${who}`;
  }
  if (id === 'voicemail')
    return `voicemail from ${names.nameFor(record['sender'] as string) ?? record['sender'] ?? 'unknown'}`;
  for (const field of TITLE_FIELDS) {
    const value = record[field];
    if (typeof value === 'string' && value.trim()) return clip(value.replace(/\s+/g, ' '));
  }
  return '(untitled)';
}
