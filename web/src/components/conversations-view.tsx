import { useMemo, useState } from 'preact/hooks';
import { arrowNavigation, Empty, ErrorState, Loading, RecoveredBadge } from '../common.js';
import { formatDate, recoveredOf } from '../items.js';
import { useArtifact } from '../state.js';
import type { ItemOf, View, ViewProps } from '../views/view.js';
import { Chat } from './chat.js';
import { ItemsHeader } from './items-header.js';
import { SelectBox } from './select-box.js';

type Chats = 'messages' | 'whatsapp';
export type ConversationItem = ItemOf<Chats>;

/** A chat data type (Messages, WhatsApp): the conversation list and a chat view with attachments. */
export const conversationsView = (artifact: Chats, label: string): View => ({
  label,
  Page: (props: ViewProps) => <ConversationsView {...props} artifact={artifact} title={label} />,
});

export function conversationName(c: ConversationItem, contacts: Record<string, string> = {}) {
  if (c.title) return c.title;
  return (
    c.participants.map((p) => contacts[p.handle] || p.name || p.handle).join(', ') ||
    `Conversation ${c.id}`
  );
}

function ConversationsView({
  backup,
  artifact,
  title,
  sel,
}: ViewProps & { artifact: Chats; title: string }) {
  const { data, error } = useArtifact(backup, artifact);
  const [open, setOpen] = useState<number | null>(null);
  const [filter, setFilter] = useState('');
  const items = data?.items ?? [];
  const visible = useMemo(() => {
    const q = filter.trim().toLowerCase();
    const all = items.map((_, i) => i);
    return q
      ? all.filter(
          (i) =>
            conversationName(items[i]!, data?.names).toLowerCase().includes(q) ||
            items[i]!.messages.some((m) => (m.text ?? '').toLowerCase().includes(q)),
        )
      : all;
  }, [data, filter]);
  if (error) return <ErrorState message={error} />;
  if (!data) return <Loading what={title} />;
  return (
    <section class="conversations">
      <ItemsHeader title={title} data={data} sel={sel} artifact={artifact} visible={visible} />
      {items.length === 0 ? (
        <Empty>No {title} conversations in this backup.</Empty>
      ) : (
        <div class="chat-layout">
          <div class="chat-list">
            <input
              type="search"
              class="filter"
              placeholder="Search conversations…"
              value={filter}
              aria-label="search conversations"
              onInput={(e) => setFilter((e.currentTarget as HTMLInputElement).value)}
            />
            <ul onKeyDown={arrowNavigation('.conv-open')}>
              {visible.map((i) => {
                const c = items[i]!;
                const last = c.messages[c.messages.length - 1];
                const recoveredCount = c.messages.filter((m) => recoveredOf(m)).length;
                return (
                  <li class={`conv ${open === i ? 'open' : ''}`}>
                    <SelectBox
                      checked={sel.has(artifact, i)}
                      onChange={(on) => sel.toggle(artifact, i, on)}
                      label={`select ${conversationName(c, data.names)}`}
                    />
                    <button
                      type="button"
                      class="conv-open"
                      data-index={i}
                      onClick={() => setOpen(i)}
                      onKeyDown={(e) => {
                        if (e.key === ' ') {
                          e.preventDefault();
                          sel.toggle(artifact, i);
                        }
                      }}
                    >
                      <span class="conv-name">{conversationName(c, data.names)}</span>
                      <span class="conv-meta">
                        {c.messages.length} message{c.messages.length === 1 ? '' : 's'}
                        {last?.date ? ` · ${formatDate(last.date)}` : ''}
                      </span>
                      {last?.text && <span class="conv-last">{last.text.slice(0, 80)}</span>}
                      <span>
                        <RecoveredBadge mark={recoveredOf(c)} />
                        {recoveredCount > 0 && (
                          <span class="badge recovered">{recoveredCount} recovered</span>
                        )}
                      </span>
                    </button>
                  </li>
                );
              })}
            </ul>
            {visible.length === 0 && <Empty>Nothing matches “{filter}”.</Empty>}
          </div>
          {open !== null && items[open] ? (
            <Chat backup={backup} conversation={items[open]!} contacts={data.names} />
          ) : (
            <div class="chat empty-chat">
              <Empty>Choose a conversation (↑ ↓ to move, Enter to open, Space to select).</Empty>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
