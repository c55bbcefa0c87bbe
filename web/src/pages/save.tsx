import { useState } from 'preact/hooks';
import type { ArtifactId } from '../../../src/artifacts/artifact.js';
import type { SaveResult, ZipStarted } from '../../../src/server/api-types.js';
import type { Selection } from '../../../src/server/save.js';
import { api, followJob, runJob, signedUrl, type JobProgress } from '../api.js';
import { formatBytes } from '../items.js';
import { Empty, ErrorState, ProgressBar } from '../common.js';
import type { SelectionApi } from '../state.js';

/** The selection as the server takes it: data type → item numbers. */
function selectionBody(sel: SelectionApi): Selection {
  const out: Selection = {};
  for (const [a, s] of Object.entries(sel.selection)) if (s.size) out[a as ArtifactId] = [...s];
  return out;
}

/** The selection, written to a folder on this computer or downloaded as a zip. */
export function SavePage({ backup, sel }: { backup: string; sel: SelectionApi }) {
  const [folder, setFolder] = useState('');
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<SaveResult | null>(null);
  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone(
        await runJob<SaveResult>(
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
  const [zipping, setZipping] = useState<JobProgress | null>(null);
  const [zipped, setZipped] = useState<string | null>(null);
  /** The zip streams while it is built: the download starts at once, its progress shown here. */
  const zip = async () => {
    setError(null);
    setZipped(null);
    setZipping({ message: 'Starting…' });
    try {
      const { url, job } = await api<ZipStarted>(`/api/backups/${backup}/zip`, {
        body: { selection: selectionBody(sel) },
      });
      const link = document.createElement('a');
      link.href = signedUrl(url);
      link.download = '';
      document.body.append(link);
      link.click();
      link.remove();
      const done = await followJob<{ files: number; bytes: number }>(job, setZipping);
      setZipped(`The zip is downloaded: ${done.files} files, ${formatBytes(done.bytes)}.`);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setZipping(null);
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
            <button type="button" class="secondary" onClick={zip} disabled={busy || !!zipping}>
              Download a zip
            </button>
          </p>
          {zipping && (
            <ProgressBar
              progress={{
                ...zipping,
                message: `Zipping: ${zipping.message ?? ''}`,
              }}
            />
          )}
          {zipped && (
            <p class="state success" role="status">
              {zipped}
            </p>
          )}
          {busy && <ProgressBar progress={progress ?? { message: 'Starting…' }} />}
        </>
      )}
      {error && (
        <ErrorState
          message={`Nothing was saved: ${error}`}
          todo="Check the folder (it must be a full path you can write to, outside the backup) and try again."
        />
      )}
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
