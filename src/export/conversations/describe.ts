import type {
  ConversationMessage,
  MessageAttachment,
  MessageCard,
  TextStyle,
} from '../../artifacts/conversation.js';
import type { Clock } from '../../time.js';
import type { PreparedAttachment } from './model.js';

/**
 * Plain-text forms of what a bubble shows beyond its text (cards, formatting, attachment kinds, marks),
 * shared by the TXT and CSV writers (HTML draws them, JSON keeps the fields).
 */

/** Who a handle is, as the export names people (null: the phone's owner). */
export type NameOf = (handle: string | null) => string;

const STYLE_WORDS: Array<[keyof TextStyle, string]> = [
  ['bold', 'bold'],
  ['italic', 'italic'],
  ['underline', 'underlined'],
  ['strikethrough', 'struck through'],
];

/** "bold “word”; big effect “Happy birthday”" — null when the text has no formatting. */
export function stylesText(text: string, styles: TextStyle[] | undefined): string | null {
  if (!styles?.length) return null;
  const out = styles.map((s) => {
    const words = STYLE_WORDS.filter(([k]) => s[k]).map(([, w]) => w);
    if (s.effect) words.push(`${s.effect} effect`);
    return `${words.join(', ')} \u201c${text.slice(s.start, s.start + s.length)}\u201d`;
  });
  return out.join('; ');
}

/** The lines a card shows, as text. */
export function cardLines(card: MessageCard, clock: Clock, nameOf: NameOf): string[] {
  const lines = [`[${card.label}]${card.title ? ` ${card.title}` : ''}`];
  for (const l of card.lines ?? []) lines.push(l);
  for (const t of card.times ?? []) lines.push(`${t.label} ${clock.text(t.date)}`);
  for (const o of card.options ?? [])
    lines.push(
      `  \u2022 ${o.text}${o.voters.length ? ` \u2014 ${o.voters.length} vote${o.voters.length === 1 ? '' : 's'}: ${o.voters.map(nameOf).join(', ')}` : ''}`,
    );
  for (const c of card.contacts ?? [])
    lines.push(`  \u2022 ${c.name}${c.phones.length ? ` (${c.phones.join(', ')})` : ''}`);
  if (card.duration !== undefined) lines.push(`Duration: ${durationText(card.duration)}`);
  if (card.url) lines.push(card.url);
  if (card.svg) lines.push('(the drawing is in the HTML export)');
  if (card.note) lines.push(`(${card.note})`);
  return lines;
}

export function durationText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts = [h ? `${h} h` : '', m ? `${m} min` : '', `${s % 60} s`].filter(Boolean);
  return h || m ? parts.filter((p) => p !== '0 s').join(' ') : parts.join(' ');
}

/** What an attachment is, in words ("Genmoji “a cat surfing”", "Audio message", "Sticker"). */
export function attachmentKind(a: MessageAttachment): string | null {
  if (a.kind === 'genmoji') return `Genmoji${a.description ? ` \u201c${a.description}\u201d` : ''}`;
  if (a.kind === 'sticker') return `Sticker${a.description ? ` \u201c${a.description}\u201d` : ''}`;
  if (a.kind === 'audio-message') return 'Audio message';
  return null;
}

/** One attachment as a line of text. */
export function attachmentLine(a: PreparedAttachment): string {
  const kind = attachmentKind(a.attachment);
  const prefix = kind ? `${kind}: ` : '';
  const transcript = a.attachment.transcript
    ? ` \u2014 \u201c${a.attachment.transcript}\u201d`
    : '';
  if (a.attachment.expired)
    return `[${kind ?? 'Attachment'} expired (not kept): ${a.attachment.fileName}]`;
  return a.exportedPath
    ? `[${prefix || 'Attachment: '}${a.exportedPath}]${transcript}`
    : `[${prefix}Attachment not in the backup: ${a.attachment.fileName}]${transcript}`;
}

/** Marks a message carries besides its text: via satellite, Shared with You, view once, state. */
export function messageMarks(m: ConversationMessage): string[] {
  return [
    m.satellite ? 'via satellite' : null,
    m.sharedWithYou ? 'in Shared with You' : null,
    m.viewOnce ? 'view once' : null,
    m.fromMe && m.status ? m.status : null,
  ].filter((x): x is string => x !== null);
}

/** A short stand-in for a message in a reply quote: its text, else what its bubble was. */
export function previewText(m: ConversationMessage | undefined): string | null {
  if (!m) return null;
  if (m.unsent) return 'an unsent message';
  if (m.text) return m.text;
  if (m.card) return m.card.title ?? m.card.label;
  const a = m.attachments[0];
  if (a) return attachmentKind(a) ?? a.fileName;
  return null;
}

/** The reply line: what it answers, or that the original is gone (with the copy the reply kept). */
export function replyText(
  m: ConversationMessage,
  original: ConversationMessage | undefined,
): string {
  if (original) {
    const quoted = previewText(original);
    return `reply to${quoted ? ` \u201c${quoted}\u201d` : ' a message'}`;
  }
  if (m.quote?.text)
    return `reply to \u201c${m.quote.text}\u201d (the original is no longer in this backup)`;
  return 'reply to a message that is no longer in this backup';
}

/** A system line as a sentence: "You left", "Jamie Chen joined the group", or the notice alone. */
export function eventSentence(
  m: ConversationMessage,
  senderName: string,
  eventText: string | null,
): string {
  const text = eventText ?? m.event ?? '';
  if (m.fromMe) return `You ${text}`;
  if (!m.sender) return text.charAt(0).toUpperCase() + text.slice(1);
  return `${senderName} ${text}`;
}
