import { useEffect, useState } from 'preact/hooks';
import type {
  CompareResult,
  CompareSaveResult,
  DevicesResponse,
} from '../../../src/server/api-types.js';
import { api, runJob, type JobProgress } from '../api.js';
import { Empty, ErrorState, Loading, ProgressBar } from '../common.js';
import { formatDate } from '../items.js';

type Device = DevicesResponse['devices'][number];
type Change = 'lost' | 'added' | 'changed';

const backupText = (b: Device['backups'][number]) =>
  `${b.lastBackupDate ? formatDate(b.lastBackupDate) : 'date unknown'}${b.archived ? ' (archived)' : ''}${b.locked ? ' 🔒' : ''}`;

/** Two backups of one device side by side: what was lost and added since, and the lost items saved. */
export function ComparePage() {
  const [devices, setDevices] = useState<Device[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [device, setDevice] = useState(0);
  const [older, setOlder] = useState('');
  const [newer, setNewer] = useState('');
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<CompareResult | null>(null);
  const [show, setShow] = useState<Change>('lost');
  const [folder, setFolder] = useState('');
  const [saved, setSaved] = useState<CompareSaveResult | null>(null);

  const choose = (list: Device[], index: number) => {
    const backups = list[index]?.backups ?? [];
    setDevice(index);
    setNewer(backups[0]?.id ?? '');
    setOlder(backups[1]?.id ?? '');
    setResult(null);
    setSaved(null);
  };
  useEffect(() => {
    api<DevicesResponse>('/api/history/devices').then(
      (r) => {
        const list = [...r.devices].sort((a, b) => b.backups.length - a.backups.length);
        setDevices(list);
        choose(list, 0);
      },
      (e: Error) => setLoadError(e.message),
    );
  }, []);

  const run = async <T,>(path: string, body: object): Promise<T | null> => {
    setBusy(true);
    setError(null);
    try {
      return await runJob<T>(path, body, setProgress);
    } catch (err) {
      setError((err as Error).message);
      return null;
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };
  const compare = async (e: Event) => {
    e.preventDefault();
    setSaved(null);
    setResult(await run<CompareResult>('/api/history/compare', { old: older, new: newer }));
  };
  const save = async (e: Event) => {
    e.preventDefault();
    setSaved(
      await run<CompareSaveResult>('/api/history/compare/save', {
        old: older,
        new: newer,
        folder,
      }),
    );
  };

  if (loadError) return <ErrorState message={loadError} />;
  if (!devices) return <Loading what="backups" />;
  const backups = devices[device]?.backups ?? [];
  const locked = backups.filter((b) => (b.id === older || b.id === newer) && b.locked);
  const lost = result?.types.reduce((n, t) => n + t.lost, 0) ?? 0;
  const entries = result?.entries.filter((e) => e.change === show) ?? [];
  return (
    <section class="page compare">
      <h1>Compare backups</h1>
      <p class="lead">
        Choose two backups of one device: see what the newer one no longer has (lost), what is new
        in it (added) and what changed, then save the lost items.
      </p>
      {devices.every((d) => d.backups.length < 2) && (
        <Empty>
          No device has two backups here yet. Open the folder holding them from the{' '}
          <a href="#/">backups page</a> (archived copies named UDID-YYYYMMDD-HHMMSS count).
        </Empty>
      )}
      <form class="row" onSubmit={compare}>
        <label>
          Device{' '}
          <select
            value={String(device)}
            onChange={(e) => choose(devices, Number(e.currentTarget.value))}
          >
            {devices.map((d, i) => (
              <option value={String(i)}>
                {d.deviceName ?? 'Unknown device'} ({d.backups.length} backups)
              </option>
            ))}
          </select>
        </label>
        <label>
          Older{' '}
          <select value={older} onChange={(e) => setOlder(e.currentTarget.value)}>
            {backups.map((b) => (
              <option value={b.id}>{backupText(b)}</option>
            ))}
          </select>
        </label>
        <label>
          Newer{' '}
          <select value={newer} onChange={(e) => setNewer(e.currentTarget.value)}>
            {backups.map((b) => (
              <option value={b.id}>{backupText(b)}</option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={busy || !older || !newer || older === newer}>
          Compare
        </button>
      </form>
      {locked.map((b) => (
        <p class="hint">
          {b.path} is encrypted: <a href={`#/b/${b.id}`}>unlock it</a> first.
        </p>
      ))}
      <ProgressBar progress={progress} />
      {error && <ErrorState message={error} />}
      {result && (
        <>
          <p class="meta">
            From {result.old.label} to {result.new.label}
          </p>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Data type</th>
                  <th>Lost</th>
                  <th>Added</th>
                  <th>Changed</th>
                  <th>Lost, still in the newer backup’s deleted space</th>
                </tr>
              </thead>
              <tbody>
                {result.types
                  .filter((t) => t.lost || t.added || t.changed)
                  .map((t) => (
                    <tr>
                      <td>{t.title}</td>
                      <td>{t.lost}</td>
                      <td>{t.added}</td>
                      <td>{t.changed}</td>
                      <td>{t.stillInDeletedSpace || ''}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
          <div class="tabs" role="tablist">
            {(['lost', 'added', 'changed'] as const).map((c) => (
              <button
                role="tab"
                aria-selected={show === c}
                onClick={() => setShow(c)}
                type="button"
              >
                {c[0]!.toUpperCase() + c.slice(1)} (
                {result.entries.filter((e) => e.change === c).length})
              </button>
            ))}
          </div>
          {entries.length === 0 ? (
            <Empty>Nothing {show}.</Empty>
          ) : (
            <ul class="compare-entries">
              {entries.map((e) => (
                <li>
                  <span class="time">{e.date ? formatDate(e.date) : '—'}</span> {e.text}
                  {e.stillInDeletedSpace && (
                    <span class="badge recovered">still in the newer backup’s deleted space</span>
                  )}
                </li>
              ))}
            </ul>
          )}
          {result.truncated && <p class="hint">Only the first 2,000 are listed.</p>}
          {result.problems.length > 0 && (
            <ul class="hint">
              {result.problems.map((p) => (
                <li>{p}</li>
              ))}
            </ul>
          )}
          {lost > 0 && (
            <form class="open-folder" onSubmit={save}>
              <label for="lost-folder">
                Save the {lost} lost item{lost === 1 ? '' : 's'} into a folder (the normal export
                formats; a conversation keeps the messages around the lost ones, marked)
              </label>
              <div class="row">
                <input
                  id="lost-folder"
                  value={folder}
                  onInput={(e) => setFolder(e.currentTarget.value)}
                  placeholder="/Users/me/Desktop/Lost since March"
                />
                <button type="submit" disabled={busy || !folder.trim()}>
                  Save lost items
                </button>
              </div>
            </form>
          )}
          {saved && (
            <p class="state" role="status">
              Saved into {saved.folder}:{' '}
              {saved.saved.map((s) => `${s.title} ${s.lost} (${s.files} files)`).join(', ')}.
            </p>
          )}
        </>
      )}
    </section>
  );
}
