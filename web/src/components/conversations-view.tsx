import { useEffect, useState } from 'preact/hooks';
import type { ConversationList } from '../../../src/server/api-types.js';
import { api } from '../api.js';
import { arrowNavigation, Empty, ErrorState, Loading, RecoveredBadge } from '../common.js';
import { openItem } from '../route.js';
import { formatTime } from '../time.js';
import type { View, ViewProps } from '../views/view.js';
import { Chat } from './chat.js';
import { ItemsHeader } from './items-header.js';
import { SelectBox } from './select-box.js';
import { VirtualRows } from './virtual.js';

export type Chats = 'messages' | 'whatsapp';
const ROW = 76;

/** A chat data type (Messages, WhatsApp): the conversation list and a chat view with attachments. */
export const conversationsView = (artifact: Chats, label: string): View => ({
  label,
  Page: (props: ViewProps) => <ConversationsView {...props} artifact={artifact} title={label} />,
});

/** Waits until typing pauses before a value is used (a search on the server per pause, not per key). */
export function useDebounced<T>(value: T, ms = 250): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value]);
  return settled;
}

function ConversationsView({
  backup,
  artifact,
  title,
  sel,
  open,
}: ViewProps & { artifact: Chats; title: string }) {
  const [filter, setFilter] = useState('');
  const [order, setOrder] = useState<'recent' | 'name' | 'size'>('recent');
  const q = useDebounced(filter.trim());
  const [list, setList] = useState<ConversationList | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    api<ConversationList>(
      `/api/backups/${backup}/conversations/${artifact}?${new URLSearchParams({ q })}`,
      { signal: abort.signal },
    ).then(
      (l) => {
        setList(l);
        setError(null);
      },
      (e: Error) => {
        if (e.name !== 'AbortError')
          setError(`Could not read the ${title} conversations: ${e.message}`);
      },
    );
    return () => abort.abort();
  }, [backup, artifact, q]);
  if (error) return <ErrorState message={error} />;
  if (!list) return <Loading what={title} />;
  const shown =
    order === 'recent'
      ? list.conversations
      : [...list.conversations].sort((a, b) =>
          order === 'name' ? a.name.localeCompare(b.name) : b.messages - a.messages,
        );
  return (
    <section class="conversations">
      <ItemsHeader
        title={title}
        total={list.total}
        recovered={list.conversations.reduce(
          (n, c) => n + (c.recovered ? 1 : 0) + c.recoveredMessages,
          0,
        )}
        problems={list.problems}
        notInBackup={list.notInBackup}
        missing={list.missing}
        sel={sel}
        artifact={artifact}
        visible={shown.map((c) => c.index)}
      />
      {list.total === 0 ? (
        <Empty>No {title} conversations in this backup.</Empty>
      ) : (
        <div class="chat-layout">
          <div class="chat-list">
            <input
              type="search"
              class="filter"
              placeholder="Search names, numbers, messages…"
              value={filter}
              aria-label="search conversations"
              onInput={(e) => setFilter((e.currentTarget as HTMLInputElement).value)}
            />
            <label class="sort-by">
              Sort by{' '}
              <select
                aria-label="sort conversations"
                value={order}
                onChange={(e) =>
                  setOrder((e.currentTarget as HTMLSelectElement).value as typeof order)
                }
              >
                <option value="recent">most recent</option>
                <option value="name">name</option>
                <option value="size">most messages</option>
              </select>
            </label>
            {shown.length === 0 ? (
              <Empty>Nothing matches “{q}”.</Empty>
            ) : (
              <VirtualRows
                class="conv-rows"
                label="conversations"
                count={shown.length}
                deps={[shown]}
                heightOf={() => ROW}
                onKeyDown={arrowNavigation('.conv-open')}
                render={(k) => {
                  const c = shown[k]!;
                  return (
                    <div class={`conv ${open === c.index ? 'open' : ''}`} role="listitem">
                      <SelectBox
                        checked={sel.has(artifact, c.index)}
                        onChange={(on) => sel.toggle(artifact, c.index, on)}
                        label={`select ${c.name}`}
                      />
                      <button
                        type="button"
                        class="conv-open"
                        data-index={c.index}
                        onClick={() => openItem(backup, artifact, c.index)}
                        onKeyDown={(e) => {
                          if (e.key === ' ') {
                            e.preventDefault();
                            sel.toggle(artifact, c.index);
                          }
                        }}
                      >
                        <span class="conv-name">{c.name}</span>
                        <span class="conv-meta">
                          {c.messages.toLocaleString()} message{c.messages === 1 ? '' : 's'}
                          {c.last ? ` · ${formatTime(c.last)}` : ''}
                          {c.recoveredMessages > 0 && (
                            <span class="badge recovered">{c.recoveredMessages} recovered</span>
                          )}
                          <RecoveredBadge mark={c.recovered} />
                        </span>
                        {c.lastText && <span class="conv-last">{c.lastText.slice(0, 80)}</span>}
                      </button>
                    </div>
                  );
                }}
              />
            )}
          </div>
          {open !== null ? (
            <Chat key={open} backup={backup} artifact={artifact} n={open} />
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
