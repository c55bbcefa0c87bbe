import { toJson } from '../json.js';
import { marksJson } from '../marks.js';
import {
  ME,
  type PreparedAttachment,
  type PreparedConversation,
  type PreparedMessage,
} from './model.js';

/** The conversation as structured data: every field of the model, names resolved, exported file paths. */
function attachmentJson(a: PreparedAttachment): unknown {
  const at = a.attachment;
  return {
    fileName: at.fileName,
    mimeType: at.mimeType,
    size: at.size,
    backupPath: at.domain && at.relativePath ? `${at.domain}/${at.relativePath}` : null,
    exportedPath: a.exportedPath,
    present: a.exportedPath !== null,
    ...(a.previewPath ? { previewPath: a.previewPath } : {}),
    ...(at.caption ? { caption: at.caption } : {}),
    ...(at.kind ? { kind: at.kind } : {}),
    ...(at.description ? { description: at.description } : {}),
    ...(at.expired ? { expired: true } : {}),
    ...(at.transcript ? { transcript: at.transcript } : {}),
    ...(at.detectedType ? { detectedType: at.detectedType } : {}),
  };
}

export function conversationJsonValue(c: PreparedConversation): unknown {
  const conv = c.conversation;
  const ids = new Set(c.messages.map((p) => p.message.id));
  const nameOf = c.nameOf ?? ((h: string | null) => h ?? ME);
  return {
    id: conv.id,
    title: c.title,
    isGroup: conv.isGroup,
    service: conv.service,
    ...(conv.guid ? { guid: conv.guid } : {}),
    participants: c.participants,
    ...marksJson(conv),
    ...(conv.recovered ? { recovered: conv.recovered } : {}),
    ...(conv.kind ? { kind: conv.kind } : {}),
    ...(conv.account ? { account: conv.account } : {}),
    messageCount: c.messages.length,
    messages: c.messages.map((p) => messageJsonValue(p, ids, nameOf)),
  };
}

/** One message as the conversation's JSON holds it (the diff's JSON items are the same). */
export function messageJsonValue(
  { message: m, senderName, eventText, attachments, reactions }: PreparedMessage,
  ids: ReadonlySet<string> = new Set(),
  nameOf: (handle: string | null) => string = (h) => h ?? ME,
): Record<string, unknown> {
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
    ...(m.replyTo && !ids.has(m.replyTo) ? { replyToMissing: true } : {}),
    ...(m.quote ? { quote: m.quote } : {}),
    ...(m.card
      ? {
          card: m.card.options
            ? {
                ...m.card,
                options: m.card.options.map((o) => ({
                  ...o,
                  voterNames: o.voters.map(nameOf),
                })),
              }
            : m.card,
        }
      : {}),
    ...(m.textStyles?.length ? { textStyles: m.textStyles } : {}),
    ...(m.status ? { status: m.status } : {}),
    ...(m.satellite ? { satellite: true } : {}),
    ...(m.sharedWithYou ? { sharedWithYou: true } : {}),
    ...(m.viewOnce ? { viewOnce: true } : {}),
    ...(m.translation ? { translation: m.translation } : {}),
    attachments: attachments.map(attachmentJson),

    ...(m.parts ? { parts: m.parts } : {}),
    reactions: reactions.map((r) => ({
      kind: r.kind,
      from: r.from,
      by: r.by,
      date: r.date,
      ...(r.recovered ? { recovered: r.recovered } : {}),
      ...(r.attachment ? { attachment: attachmentJson(r.attachment) } : {}),
    })),
    ...(m.edits?.length ? { edits: m.edits } : {}),
    ...(m.editedAt ? { editedAt: m.editedAt } : {}),
    ...(m.unsent ? { unsent: true } : {}),
    ...(m.dateRead ? { dateRead: m.dateRead } : {}),
    ...(m.dateDelivered ? { dateDelivered: m.dateDelivered } : {}),
    ...(m.recovered ? { recovered: m.recovered } : {}),
    ...(m.earlierVersions?.length ? { earlierVersions: m.earlierVersions } : {}),
    ...marksJson(m),
  };
}

export function conversationJson(c: PreparedConversation): string {
  return toJson(conversationJsonValue(c), c.clock);
}
