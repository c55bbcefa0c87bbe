import { marksOf } from '../marks.js';
import { reactionEmoji, recoveredText, type PreparedConversation } from './model.js';

/** Plain text, one block per message (in the manner of imessage-exporter's TXT output). */
export function conversationTxt(c: PreparedConversation): string {
  const conv = c.conversation;
  const humanDate = (date: Date | null | undefined) => c.clock.text(date);
  const out: string[] = [c.title];
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
      lines.push(`${m.fromMe ? 'You' : p.senderName} ${p.eventText ?? m.event}`);
      out.push(...lines, '');
      continue;
    }
    lines.push(p.senderName);
    if (m.replyTo) {
      const quoted = byId.get(m.replyTo)?.text;
      lines.push(`(reply to${quoted ? ` \u201c${quoted}\u201d` : ` message ${m.replyTo}`})`);
    }
    if (m.subject) lines.push(`Subject: ${m.subject}`);
    if (m.unsent) lines.push(`(${m.fromMe ? 'You' : p.senderName} unsent a message)`);
    const attachmentLine = (a: (typeof p.attachments)[number]) =>
      a.exportedPath
        ? `[Attachment: ${a.exportedPath}]`
        : `[Attachment not in the backup: ${a.attachment.fileName}]`;
    if (m.parts) {
      for (const part of m.parts) {
        if ('text' in part) lines.push(part.text);
        else if (p.attachments[part.attachment])
          lines.push(attachmentLine(p.attachments[part.attachment]!));
      }
    } else {
      if (m.text !== null) lines.push(m.text);
      for (const a of p.attachments) lines.push(attachmentLine(a));
    }
    if (m.effect) lines.push(`(sent with ${m.effect})`);
    if (m.edits?.length) {
      lines.push(`(edited${m.editedAt ? ` ${humanDate(m.editedAt)}` : ''}; earlier versions:)`);
      for (const e of m.edits) lines.push(`  - ${humanDate(e.date)}: ${e.text}`);
    } else if (m.editedAt && !m.unsent) {
      lines.push(`(edited ${humanDate(m.editedAt)})`);
    }
    if (p.reactions.length) {
      lines.push(
        `Reactions: ${p.reactions.map((r) => `${reactionEmoji(r.kind)} ${r.kind} by ${r.by}${r.recovered ? ' [recovered]' : ''}`).join('; ')}`,
      );
    }
    out.push(...lines, '');
  }
  return out.join('\n');
}
