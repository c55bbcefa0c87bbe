import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from './api.js';
import { arrowNavigation, Empty, ErrorState, Loading, Problems, RecoveredBadge } from './common.js';
import {
  columnsFor,
  downloadUrl,
  formatCell,
  fileRefs,
  photoFile,
  formatBytes,
  formatDate,
  formatValue,
  isObject,
  label,
  mediaKind,
  mediaUrl,
  recoveredOf,
  titleOf,
  type FileRef,
  type Item,
} from './items.js';
import { useArtifact, type ArtifactPayload, type SelectionApi } from './state.js';

interface ViewProps {
  backup: string;
  artifact: string;
  title: string;
  sel: SelectionApi;
}

function SelectBox({
  checked,
  onChange,
  label: text,
}: {
  checked: boolean;
  onChange: (on: boolean) => void;
  label: string;
}) {
  return (
    <input
      type="checkbox"
      class="select"
      checked={checked}
      aria-label={text}
      onClick={(e) => e.stopPropagation()}
      onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked)}
    />
  );
}

function Header({
  title,
  data,
  sel,
  artifact,
  visible,
}: {
  title: string;
  data: ArtifactPayload;
  sel: SelectionApi;
  artifact: string;
  visible: number[];
}) {
  const recovered = data.items.filter((i) => recoveredOf(i)).length;
  const picked = sel.selection[artifact]?.size ?? 0;
  const allPicked = visible.length > 0 && visible.every((i) => sel.has(artifact, i));
  return (
    <header class="page-head">
      <h1>{title}</h1>
      <p class="meta">
        {data.items.length.toLocaleString()} item{data.items.length === 1 ? '' : 's'}
        {recovered ? (
          <>
            {' '}
            · <span class="badge recovered">{recovered} recovered</span>
          </>
        ) : null}
        {picked ? ` · ${picked} selected` : ''}
      </p>
      {visible.length > 0 && (
        <button
          type="button"
          class="secondary"
          onClick={() => sel.setMany(artifact, visible, !allPicked)}
        >
          {allPicked ? 'Unselect all shown' : `Select all shown (${visible.length})`}
        </button>
      )}
      <Problems problems={data.problems} notInBackup={data.notInBackup} />
    </header>
  );
}

export function MediaPreview({
  backup,
  file,
  compact,
}: {
  backup: string;
  file: FileRef;
  compact?: boolean;
}) {
  const kind = mediaKind(file);
  const url = mediaUrl(backup, file);
  if (kind === 'image')
    return (
      <a href={url} target="_blank" rel="noopener">
        <img
          class={compact ? 'thumb-small' : 'attachment-image'}
          src={url}
          alt={file.fileName ?? file.relativePath}
          loading="lazy"
        />
      </a>
    );
  if (kind === 'video')
    return (
      <video
        class="attachment-video"
        src={mediaUrl(backup, file, false)}
        controls
        preload="metadata"
      />
    );
  if (kind === 'audio') {
    return (
      <span class="audio">
        <audio
          src={mediaUrl(backup, file, false)}
          controls
          preload="none"
          aria-label={`play ${file.fileName ?? file.relativePath}`}
        />
        <a
          href={downloadUrl(backup, file.domain, file.relativePath)}
          download
          title="download the recording"
          aria-label="download the recording"
        >
          ⬇
        </a>
      </span>
    );
  }
  return (
    <a class="file-link" href={downloadUrl(backup, file.domain, file.relativePath)} download>
      ⬇ {file.fileName || file.relativePath.split('/').pop()}
    </a>
  );
}

/** Any category: a table of the items' fields, with a detail panel; works whatever the item type. */
export function GenericView({ backup, artifact, title, sel }: ViewProps) {
  const { data, error } = useArtifact(backup, artifact);
  const [open, setOpen] = useState<number | null>(null);
  const [filter, setFilter] = useState('');
  const items = data?.items ?? [];
  const columns = useMemo(() => columnsFor(items, 7, artifact), [data]);
  const visible = useMemo(() => {
    const q = filter.trim().toLowerCase();
    const all = items.map((_, i) => i);
    return q ? all.filter((i) => JSON.stringify(items[i]).toLowerCase().includes(q)) : all;
  }, [data, filter]);
  if (error) return <ErrorState message={error} />;
  if (!data) return <Loading what={title} />;
  const withMedia = items.some((i) => fileRefs(i).length > 0);
  return (
    <section class="generic">
      <Header title={title} data={data} sel={sel} artifact={artifact} visible={visible} />
      {items.length === 0 ? (
        <Empty>No {title.toLowerCase()} in this backup.</Empty>
      ) : (
        <>
          <input
            type="search"
            class="filter"
            placeholder={`Search ${title.toLowerCase()}…`}
            value={filter}
            aria-label={`search ${title}`}
            onInput={(e) => setFilter((e.currentTarget as HTMLInputElement).value)}
          />
          <div class="split">
            <div class="table-wrap">
              <table class="items" onKeyDown={arrowNavigation('tbody tr')}>
                <thead>
                  <tr>
                    <th class="narrow">
                      <span class="sr">Select</span>
                    </th>
                    {withMedia && <th>Media</th>}
                    {columns.map((c) => (
                      <th>{label(c).replace(/ Seconds$/, '')}</th>
                    ))}
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {visible.slice(0, 2000).map((i) => {
                    const item = items[i]!;
                    const refs = fileRefs(item);
                    return (
                      <tr
                        tabIndex={0}
                        class={`${open === i ? 'open' : ''} ${recoveredOf(item) ? 'is-recovered' : ''}`}
                        data-index={i}
                        onClick={() => setOpen(i)}
                        onKeyDown={(e) => {
                          if (e.key === 'Enter') setOpen(i);
                          if (e.key === ' ') {
                            e.preventDefault();
                            sel.toggle(artifact, i);
                          }
                        }}
                      >
                        <td class="narrow">
                          <SelectBox
                            checked={sel.has(artifact, i)}
                            onChange={(on) => sel.toggle(artifact, i, on)}
                            label={`select ${titleOf(item)}`}
                          />
                        </td>
                        {withMedia && (
                          <td>
                            {refs[0] ? (
                              <MediaPreview backup={backup} file={refs[0]} compact />
                            ) : null}
                          </td>
                        )}
                        {columns.map((c) => (
                          <td
                            class={`cell ${typeof item[c] === 'string' && /^\d{4}-\d\d-\d\dT/.test(item[c]) ? 'date' : ''}`}
                          >
                            {named(c, item[c], data.names).slice(0, 160)}
                          </td>
                        ))}
                        <td>
                          <RecoveredBadge mark={recoveredOf(item)} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              {visible.length > 2000 && (
                <p class="meta">
                  Showing the first 2,000 of {visible.length.toLocaleString()}; search to narrow.
                </p>
              )}
              {visible.length === 0 && <Empty>Nothing matches “{filter}”.</Empty>}
            </div>
            {open !== null && items[open] && (
              <Detail
                backup={backup}
                item={items[open]!}
                names={data.names}
                onClose={() => setOpen(null)}
              />
            )}
          </div>
        </>
      )}
    </section>
  );
}

/** A value, with the contact's name when it is a number or address Contacts knows. */
function named(key: string, value: unknown, names: Record<string, string> | undefined): string {
  const text = formatCell(key, value);
  return typeof value === 'string' && names?.[value] ? `${names[value]} (${text})` : text;
}

function Detail({
  backup,
  item,
  names,
  onClose,
}: {
  backup: string;
  item: Item;
  names?: Record<string, string>;
  onClose: () => void;
}) {
  const refs = fileRefs(item);
  const title = titleOf(item);
  return (
    <aside class="detail" aria-label="details" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <header>
        <h2>{names?.[title] ? `${names[title]} (${title})` : title}</h2>
        <button type="button" class="icon" onClick={onClose} aria-label="close details">
          ✕
        </button>
      </header>
      <RecoveredBadge mark={recoveredOf(item)} />
      {refs.map((r) => (
        <div class="detail-media">
          <MediaPreview backup={backup} file={r} />
        </div>
      ))}
      <dl>
        {Object.entries(item)
          .filter(
            ([k, v]) =>
              k !== 'recovered' &&
              v !== null &&
              v !== undefined &&
              v !== '' &&
              !(Array.isArray(v) && v.length === 0),
          )
          .map(([k, v]) => (
            <>
              <dt>{label(k)}</dt>
              <dd class={typeof v === 'string' && v.length > 80 ? 'long' : ''}>
                {Array.isArray(v) && v.some(isObject) ? (
                  <ul>
                    {v.slice(0, 200).map((x) => (
                      <li>{formatValue(x)}</li>
                    ))}
                  </ul>
                ) : (
                  formatValue(v)
                )}
              </dd>
            </>
          ))}
      </dl>
    </aside>
  );
}

type PhotoFilter = 'all' | 'deleted' | 'hidden' | 'recovered';
const truthy = (v: unknown) =>
  v === true || (typeof v === 'string' && v.length > 0) || (typeof v === 'number' && v > 0);
export const isDeletedPhoto = (p: Item) =>
  truthy(p.trashed) ||
  truthy(p.deleted) ||
  truthy(p.recentlyDeleted) ||
  truthy(p.inRecentlyDeleted) ||
  truthy(p.trashedDate) ||
  truthy(p.trashedAt) ||
  truthy(p.dateTrashed);
export const isHiddenPhoto = (p: Item) => p.hidden === true || p.isHidden === true;

/** Photos and videos: a thumbnail grid with filters, a full view with keyboard navigation, video playback. */
export function PhotosView({ backup, artifact, title, sel }: ViewProps) {
  const { data, error } = useArtifact(backup, artifact);
  const [filter, setFilter] = useState<PhotoFilter>('all');
  const [open, setOpen] = useState<number | null>(null);
  const items = data?.items ?? [];
  const visible = useMemo(
    () =>
      items
        .map((_, i) => i)
        .filter((i) => {
          const p = items[i]!;
          if (filter === 'deleted') return isDeletedPhoto(p);
          if (filter === 'hidden') return isHiddenPhoto(p);
          if (filter === 'recovered') return recoveredOf(p) !== null;
          return true;
        }),
    [data, filter],
  );
  if (error) return <ErrorState message={error} />;
  if (!data) return <Loading what={title} />;
  const counts = {
    all: items.length,
    deleted: items.filter(isDeletedPhoto).length,
    hidden: items.filter(isHiddenPhoto).length,
    recovered: items.filter((p) => recoveredOf(p)).length,
  };
  const names: Record<PhotoFilter, string> = {
    all: 'All',
    deleted: 'Recently Deleted',
    hidden: 'Hidden',
    recovered: 'Recovered',
  };
  return (
    <section class="photos">
      <Header title={title} data={data} sel={sel} artifact={artifact} visible={visible} />
      {items.length === 0 ? (
        <Empty>No photos or videos in this backup.</Empty>
      ) : (
        <>
          <div class="tabs" role="tablist" aria-label="photo filters">
            {(Object.keys(names) as PhotoFilter[]).map((f) => (
              <button
                type="button"
                role="tab"
                aria-selected={filter === f}
                class={filter === f ? 'active' : ''}
                onClick={() => setFilter(f)}
              >
                {names[f]} <span class="count">{counts[f]}</span>
              </button>
            ))}
          </div>
          {visible.length === 0 ? (
            <Empty>No photos in {names[filter]}.</Empty>
          ) : (
            <div class="grid" role="list" onKeyDown={arrowNavigation('.tile-open', 6)}>
              {visible.map((i) => {
                const p = items[i]!;
                const ref = photoFile(p);
                const kind = ref ? mediaKind(ref) : 'file';
                return (
                  <div role="listitem" class={`tile ${sel.has(artifact, i) ? 'picked' : ''}`}>
                    <button
                      type="button"
                      class="tile-open"
                      data-index={i}
                      aria-label={`open ${titleOf(p)}`}
                      onClick={() => setOpen(i)}
                      onKeyDown={(e) => {
                        if (e.key === ' ') {
                          e.preventDefault();
                          sel.toggle(artifact, i);
                        }
                      }}
                    >
                      {ref && kind === 'image' ? (
                        <img src={mediaUrl(backup, ref)} alt={titleOf(p)} loading="lazy" />
                      ) : ref && kind === 'video' ? (
                        <div class="video-thumb">
                          <video src={mediaUrl(backup, ref, false)} preload="metadata" muted />
                          <span class="play">▶</span>
                        </div>
                      ) : (
                        <div class="missing">{ref ? 'file' : 'not in backup'}</div>
                      )}
                    </button>
                    <SelectBox
                      checked={sel.has(artifact, i)}
                      onChange={(on) => sel.toggle(artifact, i, on)}
                      label={`select ${titleOf(p)}`}
                    />
                    <div class="tile-badges">
                      <RecoveredBadge mark={recoveredOf(p)} />
                      {isDeletedPhoto(p) && <span class="badge deleted">Deleted</span>}
                      {isHiddenPhoto(p) && <span class="badge hidden">Hidden</span>}
                    </div>
                  </div>
                );
              })}
            </div>
          )}
          {open !== null && (
            <Viewer
              backup={backup}
              items={items}
              order={visible}
              index={open}
              onMove={setOpen}
              onClose={() => setOpen(null)}
              sel={sel}
              artifact={artifact}
            />
          )}
        </>
      )}
    </section>
  );
}

function Viewer({
  backup,
  items,
  order,
  index,
  onMove,
  onClose,
  sel,
  artifact,
}: {
  backup: string;
  items: Item[];
  order: number[];
  index: number;
  onMove: (i: number) => void;
  onClose: () => void;
  sel: SelectionApi;
  artifact: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const place = order.indexOf(index);
  const item = items[index]!;
  const ref = photoFile(item);
  const kind = ref ? mediaKind(ref) : 'file';
  const live = Array.isArray(item.files)
    ? (item.files.find((f: Item) => f.role === 'live-video') as FileRef | undefined)
    : undefined;
  useEffect(() => {
    box.current?.focus();
  }, []);
  const go = (step: number) => {
    const next = order[place + step];
    if (next !== undefined) onMove(next);
  };
  return (
    <div
      class="viewer"
      role="dialog"
      aria-modal="true"
      aria-label={titleOf(item)}
      tabIndex={-1}
      ref={box}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
        else if (e.key === 'ArrowRight') go(1);
        else if (e.key === 'ArrowLeft') go(-1);
        else if (e.key === ' ' && (e.target as HTMLElement).tagName !== 'VIDEO') {
          e.preventDefault();
          sel.toggle(artifact, index);
        }
      }}
    >
      <div class="viewer-bar">
        <span>
          {titleOf(item)} · {place + 1} / {order.length}
        </span>
        <RecoveredBadge mark={recoveredOf(item)} />
        <label>
          <SelectBox
            checked={sel.has(artifact, index)}
            onChange={(on) => sel.toggle(artifact, index, on)}
            label="select this photo"
          />{' '}
          Selected
        </label>
        <button type="button" onClick={() => go(-1)} disabled={place <= 0} aria-label="previous">
          ‹
        </button>
        <button
          type="button"
          onClick={() => go(1)}
          disabled={place >= order.length - 1}
          aria-label="next"
        >
          ›
        </button>
        {ref && (
          <a href={downloadUrl(backup, ref.domain, ref.relativePath)} download>
            Download original
          </a>
        )}
        <button type="button" onClick={onClose} aria-label="close">
          ✕
        </button>
      </div>
      <div class="viewer-body">
        {ref && kind === 'image' && (
          <img class="full" src={mediaUrl(backup, ref)} alt={titleOf(item)} />
        )}
        {ref && kind === 'video' && (
          <video class="full" src={mediaUrl(backup, ref, false)} controls autoplay />
        )}
        {!ref && (
          <Empty>
            This photo's file is not in the backup
            {item.availability === 'icloud-only' ? ': it is in iCloud Photos only' : ''}.
          </Empty>
        )}
        {live && kind === 'image' && (
          <video
            class="live"
            src={mediaUrl(backup, live, false)}
            controls
            muted
            aria-label="Live Photo video"
          />
        )}
        <dl class="viewer-info">
          {Object.entries(item)
            .filter(
              ([k, v]) => k !== 'recovered' && v !== null && v !== '' && typeof v !== 'object',
            )
            .slice(0, 14)
            .map(([k, v]) => (
              <>
                <dt>{label(k)}</dt>
                <dd>{formatValue(v)}</dd>
              </>
            ))}
        </dl>
      </div>
    </div>
  );
}

/** Messages and WhatsApp: the conversation list and a chat view with attachments. */
export function ConversationsView({ backup, artifact, title, sel }: ViewProps) {
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
            (items[i]!.messages ?? []).some((m: Item) => (m.text ?? '').toLowerCase().includes(q)),
        )
      : all;
  }, [data, filter]);
  if (error) return <ErrorState message={error} />;
  if (!data) return <Loading what={title} />;
  return (
    <section class="conversations">
      <Header title={title} data={data} sel={sel} artifact={artifact} visible={visible} />
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
                const messages: Item[] = c.messages ?? [];
                const last = messages[messages.length - 1];
                const recoveredCount = messages.filter((m) => recoveredOf(m)).length;
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
                        {messages.length} message{messages.length === 1 ? '' : 's'}
                        {last?.date ? ` · ${formatDate(last.date)}` : ''}
                      </span>
                      {last?.text && (
                        <span class="conv-last">{String(last.text).slice(0, 80)}</span>
                      )}
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
            <Chat backup={backup} conversation={items[open]!} contacts={data.names ?? {}} />
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

export function conversationName(c: Item, contacts: Record<string, string> = {}): string {
  if (c.title) return c.title;
  const people: Item[] = c.participants ?? [];
  return (
    people.map((p) => contacts[p.handle] || p.name || p.handle).join(', ') || `Conversation ${c.id}`
  );
}

function Chat({
  backup,
  conversation,
  contacts,
}: {
  backup: string;
  conversation: Item;
  contacts: Record<string, string>;
}) {
  const messages: Item[] = conversation.messages ?? [];
  const names = new Map<string, string>(Object.entries(contacts));
  for (const p of conversation.participants ?? [])
    if (p.name && !names.has(p.handle)) names.set(p.handle, p.name);
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
            <div
              class={`bubble ${m.fromMe ? 'me' : 'them'} ${recoveredOf(m) ? 'is-recovered' : ''}`}
              data-message={m.id}
            >
              {!m.fromMe && conversation.isGroup && m.sender && (
                <div class="sender">{names.get(m.sender) ?? m.sender}</div>
              )}
              {m.unsent ? (
                <div class="unsent">(unsent)</div>
              ) : (
                m.text && <div class="text">{m.text}</div>
              )}
              {(m.attachments ?? []).map((a: Item) => (
                <div class="attachment">
                  {a.present && a.domain && a.relativePath ? (
                    <MediaPreview backup={backup} file={a as FileRef} />
                  ) : (
                    <span class="missing-attachment">📎 {a.fileName} (not in the backup)</span>
                  )}
                  {a.caption && <div class="caption">{a.caption}</div>}
                </div>
              ))}
              {(m.edits ?? []).length > 0 && (
                <details class="edits">
                  <summary>edited</summary>
                  {m.edits.map((e: Item) => (
                    <div>
                      {e.text} <span class="meta">{formatDate(e.date)}</span>
                    </div>
                  ))}
                </details>
              )}
              <div class="bubble-foot">
                {(m.reactions ?? []).map((r: Item) => (
                  <span
                    class="reaction"
                    title={`${r.kind} from ${r.from ? (names.get(r.from) ?? r.from) : 'me'}`}
                  >
                    {REACTIONS[r.kind] ?? r.kind}
                  </span>
                ))}
                <span class="time">{formatDate(m.date)}</span>
                <RecoveredBadge mark={recoveredOf(m)} />
              </div>
            </div>
          ),
        )}
      </div>
    </div>
  );
}

const REACTIONS: Record<string, string> = {
  love: '❤️',
  like: '👍',
  dislike: '👎',
  laugh: '😂',
  emphasize: '‼️',
  question: '❓',
};

interface FileRow {
  path: string;
  size: number;
  modified: number;
  present: boolean;
}

/** The raw backup: domains, then folders, with a download for every file. */
export function FilesView({ backup }: { backup: string }) {
  const [domains, setDomains] = useState<{ name: string; files: number; bytes: number }[] | null>(
    null,
  );
  const [error, setError] = useState<string | null>(null);
  const [domain, setDomain] = useState<string | null>(null);
  const [files, setFiles] = useState<FileRow[] | null>(null);
  const [folder, setFolder] = useState('');
  const [filter, setFilter] = useState('');
  useEffect(() => {
    api<{ domains: { name: string; files: number; bytes: number }[] }>(
      `/api/backups/${backup}/files`,
    ).then(
      (r) => setDomains(r.domains),
      (e: Error) => setError(e.message),
    );
  }, [backup]);
  useEffect(() => {
    if (!domain) return;
    setFiles(null);
    setFolder('');
    api<{ files: FileRow[] }>(
      `/api/backups/${backup}/files?${new URLSearchParams({ domain })}`,
    ).then(
      (r) => setFiles(r.files),
      (e: Error) => setError(e.message),
    );
  }, [domain]);
  const listing = useMemo(() => {
    if (!files) return { folders: [] as [string, number][], here: [] as FileRow[] };
    const prefix = folder ? `${folder}/` : '';
    const folders = new Map<string, number>();
    const here: FileRow[] = [];
    for (const f of files) {
      if (!f.path.startsWith(prefix)) continue;
      const rest = f.path.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash >= 0)
        folders.set(rest.slice(0, slash), (folders.get(rest.slice(0, slash)) ?? 0) + 1);
      else here.push(f);
    }
    return { folders: [...folders].sort((a, b) => a[0].localeCompare(b[0])), here };
  }, [files, folder]);
  if (error) return <ErrorState message={error} />;
  if (!domains) return <Loading what="the file list" />;
  const q = filter.trim().toLowerCase();
  return (
    <section class="files">
      <header class="page-head">
        <h1>Files</h1>
        <p class="meta">
          The backup as it is stored: {domains.length} domains,{' '}
          {domains.reduce((n, d) => n + d.files, 0).toLocaleString()} files. Every file can be
          downloaded as it was on the device.
        </p>
      </header>
      <div class="split">
        <div class="domain-list">
          <input
            type="search"
            class="filter"
            placeholder="Filter domains…"
            value={filter}
            aria-label="filter domains"
            onInput={(e) => setFilter((e.currentTarget as HTMLInputElement).value)}
          />
          <ul onKeyDown={arrowNavigation('button')}>
            {domains
              .filter((d) => !q || d.name.toLowerCase().includes(q))
              .map((d) => (
                <li>
                  <button
                    type="button"
                    class={domain === d.name ? 'active' : ''}
                    onClick={() => setDomain(d.name)}
                  >
                    <span>{d.name}</span>
                    <span class="meta">
                      {d.files} · {formatBytes(d.bytes)}
                    </span>
                  </button>
                </li>
              ))}
          </ul>
        </div>
        <div class="folder">
          {!domain ? (
            <Empty>Choose a domain.</Empty>
          ) : !files ? (
            <Loading what={domain} />
          ) : (
            <>
              <nav class="crumbs" aria-label="folder">
                <button type="button" class="link" onClick={() => setFolder('')}>
                  {domain}
                </button>
                {folder
                  .split('/')
                  .filter(Boolean)
                  .map((part, i, all) => (
                    <>
                      {' '}
                      /{' '}
                      <button
                        type="button"
                        class="link"
                        onClick={() => setFolder(all.slice(0, i + 1).join('/'))}
                      >
                        {part}
                      </button>
                    </>
                  ))}
              </nav>
              <table class="items" onKeyDown={arrowNavigation('tbody tr a, tbody tr button')}>
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Size</th>
                    <th>Modified</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {folder && (
                    <tr>
                      <td colSpan={4}>
                        <button
                          type="button"
                          class="link"
                          onClick={() => setFolder(folder.split('/').slice(0, -1).join('/'))}
                        >
                          ⬑ up
                        </button>
                      </td>
                    </tr>
                  )}
                  {listing.folders.map(([name, n]) => (
                    <tr>
                      <td>
                        <button
                          type="button"
                          class="link folder-link"
                          onClick={() => setFolder(folder ? `${folder}/${name}` : name)}
                        >
                          📁 {name}
                        </button>
                      </td>
                      <td class="meta">{n} files</td>
                      <td />
                      <td />
                    </tr>
                  ))}
                  {listing.here.map((f) => (
                    <tr>
                      <td>{f.path.split('/').pop()}</td>
                      <td>{formatBytes(f.size)}</td>
                      <td>
                        {f.modified ? formatDate(new Date(f.modified * 1000).toISOString()) : ''}
                      </td>
                      <td>
                        {f.present ? (
                          <a href={downloadUrl(backup, domain, f.path)} download>
                            Download
                          </a>
                        ) : (
                          <span class="meta">not in backup</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {listing.folders.length === 0 && listing.here.length === 0 && (
                <Empty>This folder is empty.</Empty>
              )}
            </>
          )}
        </div>
      </div>
    </section>
  );
}
