import { useEffect, useState } from 'preact/hooks';
import type { BackupsResponse, OpenResponse } from '../../../src/server/api-types.js';
import { api } from '../api.js';
import { go } from '../route.js';
import { Empty, ErrorState, Loading } from '../common.js';
import { formatBytes, formatDate } from '../items.js';

/** The start page: the backups on this computer, and a folder to open. */
export function BackupsPage() {
  const [data, setData] = useState<BackupsResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [folder, setFolder] = useState('');
  const [openError, setOpenError] = useState<string | null>(null);
  const load = () =>
    api<BackupsResponse>('/api/backups').then(
      (r) => {
        setData(r);
        // `reclaim ui PATH`: open that backup straight away, once.
        if (r.initial.length === 1 && !sessionStorage.getItem('reclaim-opened-initial')) {
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
      const r = await api<OpenResponse>('/api/backups/open', { body: { path: folder } });
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
      {error && <ErrorState message={`Could not list the backups: ${error}`} />}
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
