import { useEffect, useState } from 'preact/hooks';
import type { SearchHitInfo, SearchResult } from '../../../src/server/api-types.js';
import { runJob, type JobProgress } from '../api.js';
import { Empty, ErrorState, ProgressBar } from '../common.js';
import { formatDate } from '../items.js';
import { go } from '../route.js';

const TYPES: Array<[string, string]> = [
  ['', 'Everything'],
  ['messages', 'Messages'],
  ['whatsapp', 'WhatsApp'],
  ['contacts', 'Contacts'],
  ['calls', 'Calls'],
  ['notes', 'Notes'],
  ['calendar', 'Calendar'],
  ['reminders', 'Reminders'],
  ['safari', 'Safari'],
  ['voicemail', 'Voicemail'],
  ['files', 'File paths'],
];

/** The search box in the header: goes to the search page with what was typed. */
export function HeaderSearch() {
  const [text, setText] = useState('');
  return (
    <form
      role="search"
      style={{ marginLeft: 'auto' }}
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) go(`/search/${encodeURIComponent(text.trim())}`);
      }}
    >
      <label class="sr" for="header-search">
        Search every backup
      </label>
      <input
        id="header-search"
        type="search"
        placeholder="Search every backup…"
        value={text}
        onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
      />
    </form>
  );
}

/** A snippet with its matches (between « and ») marked. */
function Snippet({ text }: { text: string }) {
  const parts = text.split(/([«»])/);
  let inside = false;
  const out = [];
  for (const part of parts) {
    if (part === '«') inside = true;
    else if (part === '»') inside = false;
    else if (part) out.push(inside ? <mark>{part}</mark> : part);
  }
  return <span>{out}</span>;
}

function HitRow({ hit }: { hit: SearchHitInfo }) {
  return (
    <tr>
      <td>{hit.date ? formatDate(hit.date) : '—'}</td>
      <td>{TYPES.find(([id]) => id === hit.type)?.[1] ?? hit.type}</td>
      <td>
        <a href={hit.link}>{hit.title || '(untitled)'}</a>
        {hit.recovered && <span class="badge recovered">Recovered</span>}
        {hit.snippet && hit.snippet !== hit.title && (
          <div class="hint">
            <Snippet text={hit.snippet} />
          </div>
        )}
      </td>
      <td>{hit.source}</td>
    </tr>
  );
}

/** One search over every backup open in this session: messages, contacts, calls, notes, files… */
export function SearchPage({ initial }: { initial: string }) {
  const [query, setQuery] = useState(initial);
  const [type, setType] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<SearchResult | null>(null);
  const search = async (text = query) => {
    if (!text.trim()) return;
    setBusy(true);
    setError(null);
    try {
      setResult(
        await runJob<SearchResult>(
          '/api/history/search',
          {
            query: text,
            ...(type ? { only: [type] } : {}),
            ...(from ? { from } : {}),
            ...(to ? { to } : {}),
          },
          setProgress,
        ),
      );
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };
  useEffect(() => {
    setQuery(initial);
    if (initial) void search(initial);
  }, [initial]);
  return (
    <section class="page search">
      <h1>Search every backup</h1>
      <p class="lead">
        Messages, WhatsApp, contacts, calls, notes, calendar, reminders, Safari and file paths of
        every backup open here; phone numbers in any format. The first search of a backup builds its
        index (it takes a while); later ones are quick. Encrypted backups are searched once
        unlocked.
      </p>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          go(`/search/${encodeURIComponent(query.trim())}`);
          if (query.trim() === initial) void search();
        }}
      >
        <label class="sr" for="search-text">
          Search for
        </label>
        <input
          id="search-text"
          type="search"
          value={query}
          onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)}
          placeholder="a word, a name, a phone number…"
        />
        <label class="sr" for="search-type">
          Data type
        </label>
        <select
          id="search-type"
          value={type}
          onChange={(e) => setType((e.currentTarget as HTMLSelectElement).value)}
        >
          {TYPES.map(([id, title]) => (
            <option value={id}>{title}</option>
          ))}
        </select>
        <label>
          From <input type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label>
          To <input type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={busy || !query.trim()}>
          Search
        </button>
      </form>
      <ProgressBar progress={progress} />
      {error && <ErrorState message={error} />}
      {result && (
        <>
          <p class="meta">
            {result.hits.length} result{result.hits.length === 1 ? '' : 's'} in {result.searched}{' '}
            backup{result.searched === 1 ? '' : 's'}
            {result.hits.length >= 200 ? ' (the first 200; narrow the search)' : ''}.
          </p>
          {result.skipped.length > 0 && (
            <ul class="hint">
              {result.skipped.map((s) => (
                <li>
                  Not searched: <a href={`#/b/${s.backup}`}>{s.path}</a> ({s.reason})
                </li>
              ))}
            </ul>
          )}
          {result.hits.length === 0 ? (
            <Empty>Nothing found.</Empty>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>Date</th>
                    <th>Type</th>
                    <th>Found</th>
                    <th>Backup</th>
                  </tr>
                </thead>
                <tbody>
                  {result.hits.map((hit) => (
                    <HitRow hit={hit} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
