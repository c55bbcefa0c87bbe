import { marksOf } from '../marks.js';
import {
  attachmentKind,
  attachmentLine,
  cardLines,
  eventSentence,
  messageMarks,
  replyText,
  stylesText,
} from './describe.js';
import { ME, reactionEmoji, recoveredText, type PreparedConversation } from './model.js';

/** Plain text, one block per message (in the manner of imessage-exporter's TXT output). */
export function conversationTxt(c: PreparedConversation): string {
  const conv = c.conversation;
  const humanDate = (date: Date | null | undefined) => c.clock.text(date);
  const nameOf = c.nameOf ?? ((h: string | null) => h ?? ME);
  const out: string[] = [c.title];
  if (conv.kind === 'status') out.push('Status updates (not a chat)');
  if (conv.account) out.push(`Account: ${conv.account}`);
  if (c.participants.length)
    out.push(
      `With: ${c.participants.map((p) => (p.name && p.name !== p.handle ? `${p.name} (${p.handle})` : p.handle)).join(', ')}`,
    );
  if (conv.service) out.push(`Service: ${conv.service}`);
  if (conv.recovered) out.push(`[RECOVERED] ${recoveredText(conv.recovered)}`);
  out.push(`${c.messages.length} message${c.messages.length === 1 ? '' : 's'}`);
  if (!c.clock.utc) out.push(`Times in ${c.clock.zone}`);
  out.push('');
  const byId = new Map(c.messages.map((p) => [p.message.id, p.message] as const));
  for (const p of c.messages) {
    const m = p.message;
    const lines: string[] = [humanDate(m.date)];
    if (m.recovered) lines.push(`[RECOVERED] ${recoveredText(m.recovered)}`);
    const context = marksOf(m).context;
    if (context) lines.push(`[CONTEXT] ${context}`);
    if (m.event) {
      lines.push(eventSentence(m, p.senderName, p.eventText));
      out.push(...lines, '');
      continue;
    }
    lines.push(p.senderName);
    if (m.replyTo || m.quote)
      lines.push(`(${replyText(m, m.replyTo ? byId.get(m.replyTo) : undefined)})`);
    if (m.subject) lines.push(`Subject: ${m.subject}`);
    if (m.unsent) lines.push(`(${m.fromMe ? 'You' : p.senderName} unsent a message)`);
    if (m.parts) {
      for (const part of m.parts) {
        if ('text' in part) {
          lines.push(part.text);
          const styled = stylesText(part.text, part.styles);
          if (styled) lines.push(`(formatting: ${styled})`);
        } else if (p.attachments[part.attachment])
          lines.push(attachmentLine(p.attachments[part.attachment]!));
      }
    } else {
      if (m.text !== null) {
        lines.push(m.text);
        const styled = stylesText(m.text, m.textStyles);
        if (styled) lines.push(`(formatting: ${styled})`);
      }
      for (const a of p.attachments) lines.push(attachmentLine(a));
    }
    if (m.card) lines.push(...cardLines(m.card, c.clock, nameOf));
    if (m.translation)
      lines.push(
        `(translation${m.translation.language ? `, ${m.translation.language}` : ''}: ${m.translation.text})`,
      );
    if (m.effect) lines.push(`(sent with ${m.effect})`);
    const marks = messageMarks(m);
    if (marks.length) lines.push(`(${marks.join('; ')})`);
    if (m.edits?.length) {
      lines.push(`(edited${m.editedAt ? ` ${humanDate(m.editedAt)}` : ''}; earlier versions:)`);
      for (const e of m.edits) lines.push(`  - ${humanDate(e.date)}: ${e.text}`);
    } else if (m.editedAt && !m.unsent) {
      lines.push(`(edited ${humanDate(m.editedAt)})`);
    }
    if (p.reactions.length) {
      lines.push(
        `Reactions: ${p.reactions
          .map((r) => {
            const placed = r.attachment
              ? `${attachmentKind(r.attachment.attachment) ?? r.kind}${r.attachment.exportedPath ? ` (${r.attachment.exportedPath})` : ' (not in the backup)'}`
              : `${reactionEmoji(r.kind)} ${r.kind}`;
            return `${placed} by ${r.by}${r.recovered ? ' [recovered]' : ''}`;
          })
          .join('; ')}`,
      );
    }
    out.push(...lines, '');
  }
  return out.join('\n');
}
