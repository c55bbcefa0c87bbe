import { toCsv, type CsvValue } from '../csv.js';
import type { Clock } from '../../time.js';
import { attachmentKind, cardLines, messageMarks, replyText, stylesText } from './describe.js';
import { ME, type PreparedConversation } from './model.js';

const CONVERSATION_CSV_COLUMNS = [
  'conversation',
  'message_id',
  'date',
  'from_me',
  'sender',
  'sender_name',
  'text',
  'service',
  'subject',
  'event',
  'effect',
  'attachments',
  'missing_attachments',
  'reactions',
  'reply_to',
  'edited',
  'edited_at',
  'earlier_versions',
  'unsent',
  'date_read',
  'date_delivered',
  'recovered',
  'recovered_from',
  'recovered_confidence',
  'card',
  'formatting',
  'reply',
  'marks',
  'translation',
];
const TIME_COLUMNS = new Set(['date', 'edited_at', 'date_read', 'date_delivered']);

/** The header; columns of times name the zone ("date (America/New_York)"), except with --utc. */
export function conversationCsvHeader(clock: Clock): string[] {
  return CONVERSATION_CSV_COLUMNS.map((name) =>
    TIME_COLUMNS.has(name) ? clock.column(name) : name,
  );
}

export function conversationCsvRows(c: PreparedConversation): CsvValue[][] {
  const isoDate = (date: Date | null) => c.clock.iso(date);
  const nameOf = c.nameOf ?? ((h: string | null) => h ?? ME);
  const byId = new Map(c.messages.map((p) => [p.message.id, p.message] as const));
  const formatting = (m: PreparedConversation['messages'][number]['message']): string | null => {
    const texts = m.parts
      ? m.parts.flatMap((part) => ('text' in part ? [stylesText(part.text, part.styles)] : []))
      : [m.text !== null ? stylesText(m.text, m.textStyles) : null];
    const found = texts.filter((t): t is string => t !== null);
    return found.length ? found.join('; ') : null;
  };
  return c.messages.map(({ message: m, senderName, eventText, attachments, reactions }) => [
    c.title,
    m.id,
    isoDate(m.date),
    m.fromMe,
    m.fromMe ? '' : m.sender,
    senderName,
    m.text,
    m.service,
    m.subject ?? null,
    eventText,
    m.effect ?? null,
    attachments
      .filter((a) => a.exportedPath)
      .map((a) => {
        const kind = attachmentKind(a.attachment);
        return `${a.exportedPath}${kind ? ` (${kind})` : ''}`;
      })
      .join('; '),
    attachments
      .filter((a) => !a.exportedPath)
      .map(
        (a) => `${a.attachment.fileName}${a.attachment.expired ? ' (expired audio message)' : ''}`,
      )
      .join('; '),
    reactions
      .map((r) => {
        const kind = r.attachment ? (attachmentKind(r.attachment.attachment) ?? r.kind) : r.kind;
        const file = r.attachment?.exportedPath ? ` (${r.attachment.exportedPath})` : '';
        return `${kind}${file} by ${r.by}${r.recovered ? ' (recovered)' : ''}`;
      })
      .join('; '),
    m.replyTo ?? null,
    Boolean(m.edits?.length || m.editedAt) && !m.unsent,
    isoDate(m.editedAt ?? null),
    (m.edits ?? []).map((e) => `${isoDate(e.date) ?? ''} ${e.text}`).join(' | '),
    m.unsent === true,
    isoDate(m.dateRead ?? null),
    isoDate(m.dateDelivered ?? null),
    m.recovered ? true : false,
    m.recovered?.source ?? null,
    m.recovered?.confidence ?? null,
    m.card ? cardLines(m.card, c.clock, nameOf).join(' | ') : null,
    formatting(m),
    m.replyTo || m.quote ? replyText(m, m.replyTo ? byId.get(m.replyTo) : undefined) : null,
    messageMarks(m).join('; ') || null,
    m.translation ? m.translation.text : null,
  ]);
}

export function conversationCsv(c: PreparedConversation): string {
  return toCsv(conversationCsvHeader(c.clock), conversationCsvRows(c), c.clock);
}
