import type { ComponentChildren } from 'preact';
import { formatDate } from '../items.js';
import type { ConversationMessage } from '../../../src/artifacts/conversation.js';
import type { Wire } from '../../../src/server/api-types.js';

type Message = Wire<ConversationMessage>;
type Style = NonNullable<Message['textStyles']>[number];
type Card = NonNullable<Message['card']>;
type Attachment = Message['attachments'][number];

/** Text with every occurrence of `q` marked (any case). */
export function highlighted(text: string, q: string): ComponentChildren {
  if (!q) return text;
  const lower = text.toLowerCase();
  const needle = q.toLowerCase();
  const parts: ComponentChildren[] = [];
  let at = 0;
  for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, at)) {
    if (i > at) parts.push(text.slice(at, i));
    parts.push(<mark>{text.slice(i, i + needle.length)}</mark>);
    at = i + needle.length;
  }
  parts.push(text.slice(at));
  return parts;
}

/**
 * Text with its iOS 18 formatting: bold, italic, underline, strikethrough, animated effects as classes;
 * `mark`: a search to highlight (within each formatted stretch).
 */
export function StyledText({
  text,
  styles,
  mark = '',
}: {
  text: string;
  styles?: Style[];
  mark?: string;
}) {
  if (!styles?.length) return <>{highlighted(text, mark)}</>;
  const cuts = [
    ...new Set([0, text.length, ...styles.flatMap((s) => [s.start, s.start + s.length])]),
  ]
    .filter((n) => n >= 0 && n <= text.length)
    .sort((a, b) => a - b);
  const pieces: ComponentChildren[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [from, to] = [cuts[i]!, cuts[i + 1]!];
    let node: ComponentChildren = highlighted(text.slice(from, to), mark);
    const s = styles.find((x) => x.start <= from && x.start + x.length >= to);
    if (s?.bold) node = <b>{node}</b>;
    if (s?.italic) node = <i>{node}</i>;
    if (s?.underline) node = <u>{node}</u>;
    if (s?.strikethrough) node = <s>{node}</s>;
    if (s?.effect)
      node = (
        <span class={`fx fx-${s.effect.replace(/[^a-z0-9]/gi, '')}`} title={`${s.effect} effect`}>
          {node}
        </span>
      );
    pieces.push(node);
  }
  return <>{pieces}</>;
}

/** A rich bubble: link preview, app message, poll with voters, call, contact cards, handwriting. */
export function CardView({ card, nameOf }: { card: Card; nameOf: (h: string | null) => string }) {
  return (
    <div class={`msg-card card-${card.kind}`}>
      <div class="card-label">{card.label}</div>
      {card.title && <div class="card-title">{card.title}</div>}
      {/* Our own SVG: polylines of numbers drawn from the handwriting strokes, nothing from the backup as text. */}
      {card.svg && <div class="handwriting" dangerouslySetInnerHTML={{ __html: card.svg }} />}
      {(card.lines ?? []).map((l) => (
        <div>{l}</div>
      ))}
      {(card.times ?? []).map((t) => (
        <div>
          {t.label} {formatDate(t.date)}
        </div>
      ))}
      {card.options && card.options.length > 0 && (
        <ul>
          {card.options.map((o) => (
            <li>
              {o.text}
              {o.voters.length > 0 && (
                <span class="meta"> · {o.voters.map((v) => nameOf(v)).join(', ')}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {card.contacts && card.contacts.length > 0 && (
        <ul>
          {card.contacts.map((c) => (
            <li>
              {c.name} <span class="meta">{c.phones.join(', ')}</span>
            </li>
          ))}
        </ul>
      )}
      {card.duration !== undefined && <div>{Math.round(card.duration)} s</div>}
      {card.url && /^https?:\/\//i.test(card.url) && (
        <a href={card.url} target="_blank" rel="noopener noreferrer nofollow">
          {card.url}
        </a>
      )}
      {card.note && <div class="meta">{card.note}</div>}
    </div>
  );
}

/** What an attachment is when it is not a plain file: Genmoji, sticker, audio message (and its state). */
export function attachmentLabel(a: Attachment): string | null {
  const described = a.description ? ` “${a.description}”` : '';
  if (a.kind === 'genmoji') return `Genmoji${described}`;
  if (a.kind === 'sticker') return `Sticker${described}`;
  if (a.kind === 'audio-message')
    return a.expired ? 'Audio message expired (not kept)' : 'Audio message';
  return null;
}

/** What a reply line needs of the message replied to (a whole message, or the server's quote of it). */
export type Quoted = {
  text?: string | null;
  card?: { title?: string; label: string } | null;
};

/** Reply line, marks and translation around a bubble's content. */
export function ReplyLine({ m, original }: { m: Message; original: Quoted | undefined }) {
  if (!m.replyTo && !m.quote) return null;
  const quoted = original
    ? (original.text ?? original.card?.title ?? original.card?.label)
    : m.quote?.text;
  return (
    <div class="reply meta">
      ↩ Reply{quoted ? ` to “${quoted.length > 60 ? `${quoted.slice(0, 60)}…` : quoted}”` : ''}
      {!original &&
        (quoted
          ? ' (the original is no longer in this backup)'
          : ' to a message that is no longer in this backup')}
    </div>
  );
}

export function Marks({ m }: { m: Message }) {
  const marks = [
    m.effect ? `sent with ${m.effect}` : null,
    m.satellite ? 'via satellite' : null,
    m.sharedWithYou ? 'Shared with You' : null,
    m.viewOnce ? 'view once' : null,
    m.fromMe && m.status ? m.status : null,
  ].filter(Boolean);
  return (
    <>
      {m.translation && (
        <div class="meta">
          Translation{m.translation.language ? ` (${m.translation.language})` : ''}:{' '}
          {m.translation.text}
        </div>
      )}
      {marks.length > 0 && <div class="meta">{marks.join(' · ')}</div>}
    </>
  );
}
