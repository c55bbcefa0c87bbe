import { useEffect, useRef } from 'preact/hooks';
import { Empty, RecoveredBadge } from '../common.js';
import { formatDate, recoveredOf } from '../items.js';
import { conversationName, type ConversationItem } from './conversations-view.js';
import { attachmentLabel, CardView, Marks, ReplyLine, StyledText } from './bubble-content.js';
import { MediaPreview } from './media-preview.js';

const REACTIONS: Record<string, string> = {
  love: '❤️',
  like: '👍',
  dislike: '👎',
  laugh: '😂',
  emphasize: '‼️',
  question: '❓',
};

type Message = ConversationItem['messages'][number];

/** One conversation as a chat: bubbles, attachments, edits, reactions, recovered messages marked. */
export function Chat({
  backup,
  conversation,
  contacts,
}: {
  backup: string;
  conversation: ConversationItem;
  contacts: Record<string, string>;
}) {
  const messages = conversation.messages;
  const names = new Map<string, string>(Object.entries(contacts));
  for (const p of conversation.participants)
    if (p.name && !names.has(p.handle)) names.set(p.handle, p.name);
  const byId = new Map(messages.map((m) => [m.id, m] as const));
  const list = useRef<HTMLDivElement>(null);
  useEffect(() => {
    list.current?.scrollTo({ top: list.current.scrollHeight });
  }, [conversation]);
  return (
    <div class="chat" aria-label={`conversation with ${conversationName(conversation, contacts)}`}>
      <header class="chat-head">
        <h2>{conversationName(conversation, contacts)}</h2>
        <span class="meta">
          {[
            conversation.service,
            conversation.isGroup ? 'group' : null,
            `${messages.length} messages`,
          ]
            .filter(Boolean)
            .join(' · ')}
        </span>
        <RecoveredBadge mark={recoveredOf(conversation)} />
      </header>
      <div class="messages" ref={list} tabIndex={0}>
        {messages.length === 0 && <Empty>This conversation has no messages left.</Empty>}
        {messages.map((m) =>
          m.event ? (
            <div class="event">
              {m.event}
              {m.date ? ` · ${formatDate(m.date)}` : ''} <RecoveredBadge mark={recoveredOf(m)} />
            </div>
          ) : (
            <Bubble
              backup={backup}
              message={m}
              group={conversation.isGroup}
              names={names}
              original={m.replyTo ? byId.get(m.replyTo) : undefined}
            />
          ),
        )}
      </div>
    </div>
  );
}

function Bubble({
  backup,
  message: m,
  group,
  names,
  original,
}: {
  backup: string;
  message: Message;
  group: boolean;
  names: Map<string, string>;
  original: Message | undefined;
}) {
  const nameOf = (h: string | null) => (h === null ? 'me' : (names.get(h) ?? h));
  return (
    <div
      class={`bubble ${m.fromMe ? 'me' : 'them'} ${recoveredOf(m) ? 'is-recovered' : ''}`}
      data-message={m.id}
    >
      {!m.fromMe && group && m.sender && (
        <div class="sender">{names.get(m.sender) ?? m.sender}</div>
      )}
      <ReplyLine m={m} original={original} />
      {m.unsent ? (
        <div class="unsent">(unsent)</div>
      ) : (
        m.text && (
          <div class="text">
            <StyledText text={m.text} styles={m.textStyles} />
          </div>
        )
      )}
      {m.attachments.map((a) => (
        <div class="attachment">
          {attachmentLabel(a) && !a.expired && <div class="meta">{attachmentLabel(a)}</div>}
          {a.expired ? (
            <span class="missing-attachment">
              🎤 {attachmentLabel(a)}: {a.fileName}
            </span>
          ) : a.present && a.domain && a.relativePath ? (
            <MediaPreview
              backup={backup}
              file={{ ...a, domain: a.domain, relativePath: a.relativePath }}
            />
          ) : (
            <span class="missing-attachment">📎 {a.fileName} (not in the backup)</span>
          )}
          {a.caption && <div class="caption">{a.caption}</div>}
          {a.transcript && <div class="caption">“{a.transcript}”</div>}
        </div>
      ))}
      {m.card && <CardView card={m.card} nameOf={nameOf} />}
      <Marks m={m} />
      {(m.edits ?? []).length > 0 && (
        <details class="edits">
          <summary>edited</summary>
          {m.edits!.map((e) => (
            <div>
              {e.text} <span class="meta">{formatDate(e.date)}</span>
            </div>
          ))}
        </details>
      )}
      <div class="bubble-foot">
        {m.reactions.map((r) => (
          <span
            class="reaction"
            title={`${r.attachment ? (attachmentLabel(r.attachment) ?? r.kind) : r.kind} from ${nameOf(r.from)}`}
          >
            {r.attachment?.present && r.attachment.domain && r.attachment.relativePath ? (
              <MediaPreview
                backup={backup}
                compact
                file={{
                  ...r.attachment,
                  domain: r.attachment.domain,
                  relativePath: r.attachment.relativePath,
                }}
              />
            ) : (
              (REACTIONS[r.kind] ?? r.kind)
            )}
          </span>
        ))}
        <span class="time">{formatDate(m.date)}</span>
        <RecoveredBadge mark={recoveredOf(m)} />
      </div>
    </div>
  );
}
