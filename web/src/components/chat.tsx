import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { MessagePage, MessageSearch, WireMessage } from '../../../src/server/api-types.js';
import { api, download } from '../api.js';
import { Empty, ErrorState, Loading, RecoveredBadge } from '../common.js';
import { recoveredOf } from '../items.js';
import { dayKey, formatDay, formatTime } from '../time.js';
import {
  attachmentLabel,
  CardView,
  highlighted,
  Marks,
  ReplyLine,
  StyledText,
  type Quoted,
} from './bubble-content.js';
import type { Chats } from './conversations-view.js';
import { useDebounced } from './conversations-view.js';
import { MediaPreview } from './media-preview.js';
import { EarlierVersions } from './earlier-versions.js';

const REACTIONS: Record<string, string> = {
  love: '❤️',
  like: '👍',
  dislike: '👎',
  laugh: '😂',
  emphasize: '‼️',
  question: '❓',
};
/** Messages fetched at a time, and the most kept in the page (older or newer ones are dropped). */
const PAGE = 100;
/** A thread opens on its newest messages: a screen and a little more. */
const FIRST_PAGE = 50;
const KEEP = 300;
const NEAR_EDGE = 400;

type Window = Omit<MessagePage, 'messages'> & { messages: WireMessage[] };
/** Where the list should be scrolled after the next render. */
type Scroll =
  | { to: 'bottom' }
  | { to: 'message'; index: number }
  | { to: 'anchor'; index: number; offset: number };

/**
 * One conversation as a chat, read in pages around where the person is: it opens on the newest messages,
 * older ones load while scrolling up (newer ones when scrolling down again), at most KEEP in the page.
 * A date jump and a search of the whole thread (on the server) move the window.
 */
export function Chat({ backup, artifact, n }: { backup: string; artifact: Chats; n: number }) {
  const [view, setView] = useState<Window | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [pdfBusy, setPdfBusy] = useState(false);
  const [pdfError, setPdfError] = useState<string | null>(null);
  const q = useDebounced(query.trim(), 200);
  const [search, setSearch] = useState<MessageSearch | null>(null);
  const [hit, setHit] = useState(0);
  const list = useRef<HTMLDivElement>(null);
  const scroll = useRef<Scroll | null>({ to: 'bottom' });
  const loading = useRef(false);
  const base = `/api/backups/${backup}/conversations/${artifact}/${n}`;

  const fetchPage = (params: Record<string, string | number>) =>
    api<Window>(
      `${base}/messages?${new URLSearchParams(
        Object.fromEntries(
          Object.entries({ count: PAGE, ...params }).map(([k, v]) => [k, String(v)]),
        ),
      )}`,
    );

  /** Replaces the window with the page around message `index` (or the newest), scrolled to it. */
  const jumpTo = async (params: Record<string, string | number>, target?: number) => {
    loading.current = true;
    try {
      const page = await fetchPage({ count: PAGE * 2, ...params });
      const index =
        target ?? (params.date ? page.start + Math.floor(page.messages.length / 2) : undefined);
      scroll.current = index === undefined ? { to: 'bottom' } : { to: 'message', index };
      setView(page);
    } catch (e) {
      setError(`Could not read this conversation: ${(e as Error).message}`);
    } finally {
      loading.current = false;
    }
  };

  useEffect(() => {
    void jumpTo({ count: FIRST_PAGE });
  }, [base]);

  useEffect(() => {
    setHit(0);
    if (!q) {
      setSearch(null);
      return;
    }
    const abort = new AbortController();
    api<MessageSearch>(`${base}/search?${new URLSearchParams({ q })}`, {
      signal: abort.signal,
    }).then(
      (s) => {
        setSearch(s);
        if (s.hits.length) showHit(s, s.hits.length - 1);
      },
      () => undefined,
    );
    return () => abort.abort();
  }, [q, base]);

  const showHit = (s: MessageSearch, k: number) => {
    setHit(k);
    const index = s.hits[k];
    if (index === undefined) return;
    const inView = view && index >= view.start + 5 && index < view.start + view.messages.length - 5;
    if (inView) {
      scroll.current = { to: 'message', index };
      setView({ ...view });
    } else void jumpTo({ around: index }, index);
  };

  /** Older or newer messages as the list nears an end, the place on screen kept still. */
  const onScroll = async () => {
    const el = list.current;
    if (!el || !view || loading.current) return;
    const older = el.scrollTop < NEAR_EDGE && view.start > 0;
    const end = view.start + view.messages.length;
    const newer = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_EDGE && end < view.total;
    if (!older && !newer) return;
    const first = [...el.querySelectorAll<HTMLElement>('[data-i]')].find(
      (m) => m.offsetTop + m.offsetHeight > el.scrollTop,
    );
    if (!first) return;
    loading.current = true;
    try {
      const page = await fetchPage(older ? { before: view.start } : { after: end - 1 });
      let messages = older
        ? [...page.messages, ...view.messages]
        : [...view.messages, ...page.messages];
      let start = older ? page.start : view.start;
      if (messages.length > KEEP) {
        if (older) messages = messages.slice(0, KEEP);
        else {
          start += messages.length - KEEP;
          messages = messages.slice(messages.length - KEEP);
        }
      }
      scroll.current = {
        to: 'anchor',
        index: Number(first.dataset['i']),
        offset: first.offsetTop - el.scrollTop,
      };
      setView({ ...page, start, messages });
    } finally {
      loading.current = false;
    }
  };

  useLayoutEffect(() => {
    const el = list.current;
    const want = scroll.current;
    if (!el || !want || !view) return;
    scroll.current = null;
    if (want.to === 'bottom') el.scrollTop = el.scrollHeight;
    else {
      const target = el.querySelector<HTMLElement>(`[data-i="${want.index}"]`);
      if (!target) return;
      el.scrollTop =
        want.to === 'anchor'
          ? target.offsetTop - want.offset
          : target.offsetTop - el.clientHeight / 2 + target.offsetHeight / 2;
    }
  }, [view]);

  if (error) return <ErrorState message={error} />;
  if (!view)
    return (
      <div class="chat">
        <Loading what="the conversation" />
      </div>
    );
  const c = view.conversation;
  const names = new Map<string, string>(Object.entries(view.names));
  for (const p of c.participants) if (p.name && !names.has(p.handle)) names.set(p.handle, p.name);
  const current = search?.hits[hit];
  // A reply's original: in the page, else as the server quotes it (it may be far back in the thread).
  const byId = new Map(view.messages.map((m) => [m.id, m] as const));
  const originalOf = (id: string | undefined): Quoted | undefined => {
    if (id === undefined) return undefined;
    const quoted = view.originals[id];
    return byId.get(id) ?? (quoted === undefined ? undefined : { text: quoted });
  };
  let lastDay = '';
  return (
    <div class="chat" aria-label={`conversation with ${c.name}`}>
      <header class="chat-head">
        <h2>{c.name}</h2>
        <span class="meta">
          {[c.service, c.isGroup ? 'group' : null, `${view.total.toLocaleString()} messages`]
            .filter(Boolean)
            .join(' · ')}
        </span>
        <RecoveredBadge mark={c.recovered} />
        <div class="chat-tools">
          <button
            type="button"
            class="secondary"
            disabled={pdfBusy}
            onClick={() => {
              setPdfBusy(true);
              setPdfError(null);
              download(`${base}/pdf`, `${c.name}.pdf`)
                .catch((e: Error) => setPdfError(e.message))
                .finally(() => setPdfBusy(false));
            }}
          >
            {pdfBusy ? 'Making the PDF…' : 'Save as PDF'}
          </button>
          {pdfError && <span role="alert">{pdfError}</span>}
          <label>
            Go to date{' '}
            <input
              type="date"
              aria-label="go to date"
              min={c.first?.slice(0, 10)}
              max={c.last?.slice(0, 10)}
              onChange={(e) => {
                const value = (e.currentTarget as HTMLInputElement).value;
                if (value) void jumpTo({ date: new Date(`${value}T00:00:00`).toISOString() });
              }}
            />
          </label>
          <input
            type="search"
            class="chat-search"
            placeholder="Search this conversation…"
            aria-label="search this conversation"
            value={query}
            onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && search?.hits.length)
                showHit(
                  search,
                  (hit + (e.shiftKey ? 1 : search.hits.length - 1)) % search.hits.length,
                );
            }}
          />
          {search && (
            <span class="search-nav" role="status">
              {search.total === 0
                ? 'no match'
                : `${(hit + 1).toLocaleString()} of ${search.total.toLocaleString()}`}
              <button
                type="button"
                aria-label="earlier match"
                disabled={!search.hits.length}
                onClick={() => showHit(search, (hit + search.hits.length - 1) % search.hits.length)}
              >
                ↑
              </button>
              <button
                type="button"
                aria-label="later match"
                disabled={!search.hits.length}
                onClick={() => showHit(search, (hit + 1) % search.hits.length)}
              >
                ↓
              </button>
            </span>
          )}
        </div>
      </header>
      <div class="messages" ref={list} tabIndex={0} onScroll={onScroll}>
        {view.start > 0 && <p class="meta more">Scroll up for older messages</p>}
        {view.total === 0 && <Empty>This conversation has no messages left.</Empty>}
        {view.messages.map((m) => {
          const day = dayKey(m.date);
          const head = day !== lastDay ? <div class="day-sep">{formatDay(m.date)}</div> : null;
          lastDay = day;
          return (
            <>
              {head}
              {m.event ? (
                <div class="event" data-i={m.index}>
                  {highlighted(m.event, q)}
                  {m.date ? ` · ${formatTime(m.date)}` : ''}{' '}
                  <RecoveredBadge mark={recoveredOf(m)} />
                </div>
              ) : (
                <Bubble
                  backup={backup}
                  message={m}
                  group={c.isGroup}
                  names={names}
                  q={q}
                  current={current === m.index}
                  original={originalOf(m.replyTo)}
                />
              )}
            </>
          );
        })}
      </div>
    </div>
  );
}

function Bubble({
  backup,
  message: m,
  group,
  names,
  q,
  current,
  original,
}: {
  backup: string;
  message: WireMessage;
  group: boolean;
  names: Map<string, string>;
  q: string;
  current: boolean;
  original: Quoted | undefined;
}) {
  const nameOf = (h: string | null) => (h === null ? 'me' : (names.get(h) ?? h));
  return (
    <div
      class={`bubble ${m.fromMe ? 'me' : 'them'} ${recoveredOf(m) ? 'is-recovered' : ''} ${current ? 'current-hit' : ''}`}
      data-message={m.id}
      data-i={m.index}
    >
      {!m.fromMe && group && m.sender && (
        <div class="sender">{names.get(m.sender) ?? m.sender}</div>
      )}
      {m.subject && <div class="subject">{highlighted(m.subject, q)}</div>}
      <ReplyLine m={m} original={original} />
      {m.unsent ? (
        <div class="unsent">(unsent)</div>
      ) : (
        m.text && (
          <div class="text">
            <StyledText text={m.text} styles={m.textStyles} mark={q} />
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
          {a.caption && <div class="caption">{highlighted(a.caption, q)}</div>}
          {a.transcript && <div class="caption">“{highlighted(a.transcript, q)}”</div>}
        </div>
      ))}
      {m.card && <CardView card={m.card} nameOf={nameOf} />}
      <Marks m={m} />
      {(m.edits ?? []).length > 0 && (
        <details class="edits">
          <summary>edited</summary>
          {m.edits!.map((e) => (
            <div>
              {e.text} <span class="meta">{formatTime(e.date)}</span>
            </div>
          ))}
        </details>
      )}
      <EarlierVersions versions={m.earlierVersions} />
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
        <span class="time">{formatTime(m.date)}</span>
        <RecoveredBadge mark={recoveredOf(m)} />
      </div>
    </div>
  );
}
