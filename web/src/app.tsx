import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, cancelJob, runJob, type JobProgress } from './api.js';
import { Empty, ErrorState, Loading, ProgressBar } from './common.js';
import { formatBytes, formatDate } from './items.js';
import { CATEGORIES, useSelection, type Count, type SelectionApi, type Summary } from './state.js';
import { RescuePage } from './rescue.js';
import { PasswordGuidance, type Guidance } from './password-guidance.js';
import { ConversationsView, FilesView, GenericView, PhotosView } from './views.js';

function useHashRoute(): string[] {
  const read = () =>
    location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

export const go = (path: string) => {
  location.hash = path;
};

export function App() {
  const route = useHashRoute();
  const sel = useSelection();
  const main = useRef<HTMLElement>(null);
  useEffect(() => {
    main.current?.focus({ preventScroll: true });
  }, [route.join('/')]);
  let page;
  if (route[0] === 'b' && route[1])
    page = <BackupPages id={route[1]} rest={route.slice(2)} sel={sel} />;
  else if (route[0] === 'rescue') page = <RescuePage />;
  else page = <BackupsPage />;
  return (
    <div class="app">
      <a
        class="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          main.current?.focus();
        }}
      >
        Skip to content
      </a>
      <header class="top">
        <a href="#/" class="brand">
          Reclaim
        </a>
        <span class="tagline">Your iPhone backup, on this computer only</span>
      </header>
      <main id="main" ref={main} tabIndex={-1} class="body">
        {page}
      </main>
    </div>
  );
}

function BackupsPage() {
  const [data, setData] = useState<{ roots: string[]; backups: Summary[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [folder, setFolder] = useState('');
  const [openError, setOpenError] = useState<string | null>(null);
  const load = () =>
    api<{ roots: string[]; backups: Summary[]; initial?: string[] }>('/api/backups').then(
      (r) => {
        setData(r);
        // `reclaim ui PATH`: open that backup straight away, once.
        if (r.initial?.length === 1 && !sessionStorage.getItem('reclaim-opened-initial')) {
          sessionStorage.setItem('reclaim-opened-initial', '1');
          go(`/b/${r.initial[0]}`);
        }
      },
      (e: Error) => setError(e.message),
    );
  useEffect(() => {
    void load();
  }, []);
  const open = async (e: Event) => {
    e.preventDefault();
    setOpenError(null);
    try {
      const r = await api<{ opened: Summary[] }>('/api/backups/open', { body: { path: folder } });
      await load();
      if (r.opened.length === 1) go(`/b/${r.opened[0]!.id}`);
    } catch (error) {
      setOpenError((error as Error).message);
    }
  };
  return (
    <section class="page backups">
      <h1>Backups</h1>
      <p class="lead">Choose a backup to open. Nothing is changed in it: Reclaim only reads.</p>
      {error && <ErrorState message={error} />}
      {!data && !error && <Loading what="backups" />}
      {data && data.backups.length === 0 && (
        <Empty>
          No backups found on this computer (looked in {data.roots.join(', ') || 'no folders'}).
          Open a backup folder below.
        </Empty>
      )}
      {data && data.backups.length > 0 && (
        <ul class="backup-list">
          {data.backups.map((b) => (
            <li>
              <a class="backup-card" href={`#/b/${b.id}`}>
                <strong>
                  {b.deviceName ?? 'Unknown device'}
                  {b.demo ? ' (demo)' : ''}
                </strong>
                <span>
                  {[b.model, b.iosVersion ? `iOS ${b.iosVersion}` : null]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
                <span>
                  {b.lastBackupDate ? `Backed up ${formatDate(b.lastBackupDate)}` : ''}
                  {b.sizeOnDisk ? ` · ${formatBytes(b.sizeOnDisk)}` : ''}
                </span>
                <span>
                  {b.encrypted
                    ? b.locked
                      ? '🔒 Encrypted — password needed'
                      : '🔓 Unlocked'
                    : 'Not encrypted'}
                </span>
                {b.error && <span class="error-text">{b.error}</span>}
                <span class="path">{b.path}</span>
                {b.demo && <span class="hint">Demo backup: its password is “reclaim-demo”.</span>}
              </a>
            </li>
          ))}
        </ul>
      )}
      <p class="rescue-link">
        Locked out of your iPhone (forgotten passcode, “iPhone Unavailable”)?{' '}
        <a href="#/rescue">See your rescue plan</a>.
      </p>
      <form class="open-folder" onSubmit={open}>
        <label for="folder">Open a folder (a backup, or a folder holding backups)</label>
        <div class="row">
          <input
            id="folder"
            value={folder}
            onInput={(e) => setFolder((e.currentTarget as HTMLInputElement).value)}
            placeholder="/path/to/MobileSync/Backup/00008030-…"
          />
          <button type="submit" disabled={!folder.trim()}>
            Open
          </button>
        </div>
        {openError && (
          <p class="error-text" role="alert">
            {openError}
          </p>
        )}
      </form>
    </section>
  );
}

function useSummary(id: string): [Summary | null, string | null, () => void] {
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = () => {
    api<Summary>(`/api/backups/${id}`).then(
      (s) => {
        setSummary(s);
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
  };
  useEffect(reload, [id]);
  return [summary, error, reload];
}

function BackupPages({ id, rest, sel }: { id: string; rest: string[]; sel: SelectionApi }) {
  const [summary, error, reload] = useSummary(id);
  const [counts, setCounts] = useState<Count[] | null>(null);
  // Item numbers belong to one backup: a selection does not carry over to another.
  useEffect(() => {
    sel.clear();
    setCounts(null);
  }, [id]);
  if (error)
    return (
      <section class="page">
        <ErrorState message={error} />
        <p>
          <a href="#/">Back to the backups</a>
        </p>
      </section>
    );
  if (!summary)
    return (
      <section class="page">
        <Loading what="the backup" />
      </section>
    );
  if (summary.locked) {
    if (rest[0] === 'recover') return <RecoverPage summary={summary} onUnlocked={reload} />;
    return <UnlockPage summary={summary} onUnlocked={reload} />;
  }
  let page;
  const category = CATEGORIES.find((c) => c.id === rest[1]);
  if (rest[0] === 'a' && category) {
    const props = { backup: id, artifact: category.id, title: category.title, sel };
    if (category.id === 'photos') page = <PhotosView {...props} />;
    else if (category.id === 'messages' || category.id === 'whatsapp')
      page = <ConversationsView {...props} />;
    else page = <GenericView {...props} />;
  } else if (rest[0] === 'files') page = <FilesView backup={id} />;
  else if (rest[0] === 'save') page = <SavePage backup={id} sel={sel} />;
  else page = <Overview summary={summary} counts={counts} setCounts={setCounts} />;
  const current = rest.join('/');
  return (
    <div class="with-nav">
      <nav class="side" aria-label="categories">
        <a href={`#/b/${id}`} aria-current={current === '' ? 'page' : undefined}>
          Overview
        </a>
        {CATEGORIES.map((c) => {
          const n = counts?.find((x) => x.id === c.id);
          return (
            <a
              href={`#/b/${id}/a/${c.id}`}
              aria-current={current === `a/${c.id}` ? 'page' : undefined}
            >
              {c.title}
              {n && (
                <span class="count">
                  {n.items}
                  {n.recovered || n.recoveredMessages ? (
                    <span class="dot" title="has recovered items">
                      •
                    </span>
                  ) : null}
                </span>
              )}
            </a>
          );
        })}
        <a href={`#/b/${id}/files`} aria-current={current === 'files' ? 'page' : undefined}>
          Files
        </a>
        <a href="#/" class="muted">
          All backups
        </a>
      </nav>
      <div class="content">{page}</div>
      <SelectionBar backup={id} sel={sel} />
    </div>
  );
}

function UnlockPage({ summary, onUnlocked }: { summary: Summary; onUnlocked: () => void }) {
  const [password, setPassword] = useState('');
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
  }, []);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await runJob(`/api/backups/${summary.id}/unlock`, { password }, setProgress);
      setPassword('');
      onUnlocked();
    } catch (err) {
      setError(err as ApiError);
      setProgress(null);
      input.current?.select();
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="page unlock">
      <h1>Unlock {summary.deviceName ?? 'this backup'}</h1>
      <p class="lead">
        This backup is encrypted. Type the password that was set for encrypted backups (in Finder or
        iTunes) — it is often not the phone's passcode. It is used only here, on this computer, and
        never stored.
      </p>
      <form onSubmit={submit}>
        <label for="password">Backup password</label>
        <div class="row">
          <input
            id="password"
            ref={input}
            type="password"
            autocomplete="off"
            value={password}
            disabled={busy}
            onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)}
            aria-invalid={error?.code === 'wrong-password'}
            aria-describedby="unlock-error"
          />
          <button type="submit" disabled={busy || !password}>
            {busy ? 'Unlocking…' : 'Unlock'}
          </button>
        </div>
        {busy && <ProgressBar progress={progress ?? { message: 'Starting…' }} />}
        {error && (
          <p id="unlock-error" class="error-text" role="alert">
            {error.code === 'wrong-password'
              ? 'Wrong password: it does not unlock this backup. Try again.'
              : error.message}
          </p>
        )}
      </form>
      <p>
        Forgot the password? <a href={`#/b/${summary.id}/recover`}>Try to recover it</a> from what
        you remember.
      </p>
      {summary.demo && <p class="hint">This is the demo backup: its password is “reclaim-demo”.</p>}
      <p>
        <a href="#/">Back to the backups</a>
      </p>
    </section>
  );
}

interface RecoverResult {
  found: boolean;
  stopped: boolean;
  tried: number;
  password: string | null;
  /** Why the search was not run (longer than a day). */
  refused?: string;
  /** What can still be done, when the password was not found. */
  guidance?: Guidance | null;
}

function RecoverPage({ summary, onUnlocked }: { summary: Summary; onUnlocked: () => void }) {
  const [remember, setRemember] = useState('');
  const [mask, setMask] = useState('');
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [job, setJob] = useState<string | null>(null);
  const [result, setResult] = useState<RecoverResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reveal, setReveal] = useState(false);
  const start = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setResult(null);
    setProgress({ message: 'Measuring this computer…' });
    try {
      const r = await runJob<RecoverResult>(
        `/api/backups/${summary.id}/recover`,
        { remember, mask, builtin: !remember && !mask },
        setProgress,
        setJob,
      );
      setResult(r);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setJob(null);
    }
  };
  const rate =
    typeof progress?.rate === 'number' ? `${(progress.rate as number).toFixed(1)} guesses/s` : '';
  return (
    <section class="page recover">
      <h1>Recover the backup password</h1>
      <p class="lead">
        Reclaim tries the passwords you might have used, here on this computer. Every guess takes
        real work (Apple made it slow on purpose), so tell it what you remember.
      </p>
      <form onSubmit={start}>
        <label for="remember">
          What you remember (e.g. <code>summer{'{2019,2020}'}!</code> or words and numbers you use)
        </label>
        <input
          id="remember"
          value={remember}
          onInput={(e) => setRemember((e.currentTarget as HTMLInputElement).value)}
          disabled={!!job}
        />
        <label for="mask">
          Or a mask (hashcat style, e.g. <code>?d?d?d?d</code> for 4 digits)
        </label>
        <input
          id="mask"
          value={mask}
          onInput={(e) => setMask((e.currentTarget as HTMLInputElement).value)}
          disabled={!!job}
        />
        <p class="hint">With neither, Reclaim tries common PINs, dates and keyboard patterns.</p>
        <div class="row">
          <button type="submit" disabled={!!job}>
            Start
          </button>
          {job && (
            <button type="button" class="secondary" onClick={() => cancelJob(job)}>
              Stop
            </button>
          )}
        </div>
      </form>
      {job && (
        <ProgressBar
          progress={{
            ...progress,
            message: `${progress?.message ?? ''} ${typeof progress?.tried === 'number' ? `${(progress.tried as number).toLocaleString()} tried` : ''} ${rate}`,
          }}
        />
      )}
      {error && <ErrorState message={error} />}
      {result &&
        (result.found ? (
          <div class="state success" role="status">
            <strong>Found it — the backup is unlocked.</strong>{' '}
            {reveal ? (
              <code class="secret">{result.password}</code>
            ) : (
              <button type="button" class="link" onClick={() => setReveal(true)}>
                Show the password
              </button>
            )}
            <p>
              <button type="button" onClick={onUnlocked}>
                Open the backup
              </button>
            </p>
          </div>
        ) : (
          <div class="state empty">
            {result.refused ??
              (result.stopped
                ? `Stopped after ${result.tried.toLocaleString()} guesses (it can be resumed with the same answers).`
                : `Not found among ${result.tried.toLocaleString()} guesses.`)}
          </div>
        ))}
      {result?.guidance && <PasswordGuidance guidance={result.guidance} summary={false} />}
      <p>
        <a href={`#/b/${summary.id}`}>Back to the password</a>
      </p>
    </section>
  );
}

function Overview({
  summary,
  counts,
  setCounts,
}: {
  summary: Summary;
  counts: Count[] | null;
  setCounts: (c: Count[]) => void;
}) {
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (counts) return;
    runJob<{ counts: Count[] }>(`/api/backups/${summary.id}/scan`, {}, setProgress).then(
      (r) => setCounts(r.counts),
      (e: Error) => setError(e.message),
    );
  }, [summary.id]);
  return (
    <section class="overview">
      <header class="page-head">
        <h1>{summary.deviceName ?? 'Backup'}</h1>
      </header>
      <dl class="facts">
        <dt>Device</dt>
        <dd>{summary.model ?? 'unknown'}</dd>
        <dt>iOS</dt>
        <dd>{summary.iosVersion ?? 'unknown'}</dd>
        <dt>Backup date</dt>
        <dd>{formatDate(summary.lastBackupDate) || 'unknown'}</dd>
        <dt>Encrypted</dt>
        <dd>{summary.encrypted ? 'yes' : 'no'}</dd>
        <dt>Files</dt>
        <dd>
          {summary.indexedFiles?.toLocaleString() ?? '?'} ({formatBytes(summary.sizeOnDisk)})
        </dd>
        {summary.finished === false && (
          <>
            <dt>Warning</dt>
            <dd class="error-text">This backup was interrupted: some files may be missing.</dd>
          </>
        )}
      </dl>
      {error && <ErrorState message={error} />}
      {!counts && !error && (
        <ProgressBar progress={progress ?? { message: 'Reading what the backup holds…' }} />
      )}
      {counts && (
        <ul class="cards">
          {counts.map((c) => {
            const cat = CATEGORIES.find((x) => x.id === c.id);
            const errors = c.problems.filter((p) => p.severity === 'error');
            return (
              <li>
                <a class="card" href={`#/b/${summary.id}/a/${c.id}`}>
                  <strong>{cat?.title ?? c.title}</strong>
                  <span class="big">{c.items.toLocaleString()}</span>
                  {c.messages !== undefined && <span>{c.messages.toLocaleString()} messages</span>}
                  {(c.deleted ?? 0) > 0 && (
                    <span class="badge deleted">{c.deleted} recently deleted</span>
                  )}
                  {(c.recovered > 0 || (c.recoveredMessages ?? 0) > 0) && (
                    <span class="badge recovered">
                      {c.recovered + (c.recoveredMessages ?? 0)} deleted, recovered
                    </span>
                  )}
                  {errors.length > 0 && (
                    <span class="error-text" title={errors.map((p) => p.message).join('\n')}>
                      {errors[0]!.message}
                    </span>
                  )}
                </a>
              </li>
            );
          })}
          <li>
            <a class="card" href={`#/b/${summary.id}/files`}>
              <strong>Files</strong>
              <span class="big">{summary.indexedFiles?.toLocaleString() ?? '?'}</span>
              <span>the raw backup</span>
            </a>
          </li>
        </ul>
      )}
    </section>
  );
}

function SelectionBar({ backup, sel }: { backup: string; sel: SelectionApi }) {
  if (sel.count === 0) return null;
  const parts = Object.entries(sel.selection)
    .filter(([, s]) => s.size > 0)
    .map(([a, s]) => `${s.size} ${CATEGORIES.find((c) => c.id === a)?.title ?? a}`);
  return (
    <div class="selection-bar" role="region" aria-label="selection">
      <span>
        <strong>{sel.count}</strong> selected: {parts.join(', ')}
      </span>
      <a class="button" href={`#/b/${backup}/save`}>
        Save…
      </a>
      <button type="button" class="secondary" onClick={sel.clear}>
        Clear
      </button>
    </div>
  );
}

export function selectionBody(sel: SelectionApi): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [a, s] of Object.entries(sel.selection)) if (s.size) out[a] = [...s];
  return out;
}

function SavePage({ backup, sel }: { backup: string; sel: SelectionApi }) {
  const [folder, setFolder] = useState('');
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{
    folder: string;
    results: { title: string; items: number; files: number; problems: { message: string }[] }[];
  } | null>(null);
  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone(
        await runJob(
          `/api/backups/${backup}/save`,
          { folder, selection: selectionBody(sel) },
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
  const zip = async () => {
    setError(null);
    try {
      const { url } = await api<{ url: string }>(`/api/backups/${backup}/zip`, {
        body: { selection: selectionBody(sel) },
      });
      location.href = url;
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <section class="save">
      <header class="page-head">
        <h1>Save the selection</h1>
      </header>
      {sel.count === 0 && !done ? (
        <Empty>Nothing is selected yet. Tick photos, conversations or other items first.</Empty>
      ) : (
        <>
          <p>
            {sel.count} item{sel.count === 1 ? '' : 's'} selected. They are written in open formats
            (photos as they are, conversations as HTML and text, contacts as vCard, …).
          </p>
          <form onSubmit={save}>
            <label for="out">
              Folder to save into (full path; created if missing; never inside the backup)
            </label>
            <div class="row">
              <input
                id="out"
                value={folder}
                disabled={busy}
                placeholder="/home/you/Recovered"
                onInput={(e) => setFolder((e.currentTarget as HTMLInputElement).value)}
              />
              <button type="submit" disabled={busy || !folder.trim()}>
                {busy ? 'Saving…' : 'Save to folder'}
              </button>
            </div>
          </form>
          <p>
            or{' '}
            <button type="button" class="secondary" onClick={zip} disabled={busy}>
              Download a zip
            </button>
          </p>
          {busy && <ProgressBar progress={progress ?? { message: 'Starting…' }} />}
        </>
      )}
      {error && <ErrorState message={error} />}
      {done && (
        <div class="state success" role="status">
          <strong>Saved to {done.folder}</strong>
          <ul>
            {done.results.map((r) => (
              <li>
                {r.title}: {r.items} item{r.items === 1 ? '' : 's'}, {r.files} file
                {r.files === 1 ? '' : 's'}
                {r.problems.length ? ` (${r.problems.map((p) => p.message).join('; ')})` : ''}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
