import { toJson } from '../json.js';
import { marksJson } from '../marks.js';
import type { PreparedConversation, PreparedMessage } from './model.js';

/** The conversation as structured data: every field of the model, names resolved, exported file paths. */
export function conversationJsonValue(c: PreparedConversation): unknown {
  const conv = c.conversation;
  return {
    id: conv.id,
    title: c.title,
    isGroup: conv.isGroup,
    service: conv.service,
    ...(conv.guid ? { guid: conv.guid } : {}),
    participants: c.participants,
    ...marksJson(conv),
    ...(conv.recovered ? { recovered: conv.recovered } : {}),
    messageCount: c.messages.length,
    messages: c.messages.map(messageJsonValue),
  };
}

/** One message as the conversation's JSON holds it (the diff's JSON items are the same). */
export function messageJsonValue({
  message: m,
  senderName,
  eventText,
  attachments,
  reactions,
}: PreparedMessage): Record<string, unknown> {
  return {
    id: m.id,
    ...(m.guid ? { guid: m.guid } : {}),
    date: m.date,
    fromMe: m.fromMe,
    sender: m.sender,
    senderName,
    text: m.text,
    service: m.service,
    ...(m.subject ? { subject: m.subject } : {}),
    ...(m.effect ? { effect: m.effect } : {}),
    ...(m.event ? { event: eventText ?? m.event } : {}),
    ...(m.eventTarget ? { eventTarget: m.eventTarget } : {}),
    ...(m.replyTo ? { replyTo: m.replyTo } : {}),
    attachments: attachments.map((a) => ({
      fileName: a.attachment.fileName,
      mimeType: a.attachment.mimeType,
      size: a.attachment.size,
      backupPath:
        a.attachment.domain && a.attachment.relativePath
          ? `${a.attachment.domain}/${a.attachment.relativePath}`
          : null,
      exportedPath: a.exportedPath,
      present: a.exportedPath !== null,
      ...(a.previewPath ? { previewPath: a.previewPath } : {}),
      ...(a.attachment.caption ? { caption: a.attachment.caption } : {}),
    })),
    ...(m.parts ? { parts: m.parts } : {}),
    reactions: reactions.map((r) => ({
      kind: r.kind,
      from: r.from,
      by: r.by,
      date: r.date,
      ...(r.recovered ? { recovered: r.recovered } : {}),
    })),
    ...(m.edits?.length ? { edits: m.edits } : {}),
    ...(m.editedAt ? { editedAt: m.editedAt } : {}),
    ...(m.unsent ? { unsent: true } : {}),
    ...(m.dateRead ? { dateRead: m.dateRead } : {}),
    ...(m.dateDelivered ? { dateDelivered: m.dateDelivered } : {}),
    ...(m.recovered ? { recovered: m.recovered } : {}),
    ...marksJson(m),
  };
}

export function conversationJson(c: PreparedConversation): string {
  return toJson(conversationJsonValue(c), c.clock);
}
