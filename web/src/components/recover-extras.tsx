import { useState } from 'preact/hooks';
import type { HashLineResponse } from '../../../src/server/api-types.js';
import { api, type JobProgress } from '../api.js';

const duration = (seconds: number) => {
  if (!Number.isFinite(seconds)) return 'a very long time';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${Math.round(seconds / 86_400).toLocaleString()} days`;
};

/** "12,345 of 1,000,000 tried · about 3 h left". */
export function searchStatus(p: JobProgress | null, total: number | null): string {
  if (!p) return '';
  const done = typeof p.done === 'number' ? p.done : null;
  const all = typeof p.total === 'number' ? p.total : total;
  const parts: string[] = [];
  if (done !== null && all) parts.push(`${done.toLocaleString()} of ${all.toLocaleString()} tried`);
  else if (all) parts.push(`${all.toLocaleString()} candidates`);
  if (typeof p.eta === 'number') parts.push(`about ${duration(p.eta)} left`);
  return parts.join(' · ');
}

/** The password hash and the hashcat / John the Ripper lines to copy, for a search bigger than this computer. */
export function HashcatLine({ backup }: { backup: string }) {
  const [hash, setHash] = useState<HashLineResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState('');
  const copy = (text: string, what: string) =>
    navigator.clipboard?.writeText(text).then(
      () => setCopied(what),
      () => setCopied(''),
    );
  return (
    <details
      class="hashcat"
      onToggle={(e) => {
        if ((e.currentTarget as HTMLDetailsElement).open && !hash)
          api<HashLineResponse>(`/api/backups/${backup}/hash-line`).then(setHash, (err: Error) =>
            setError(err.message),
          );
      }}
    >
      <summary>Too big for this computer? Use hashcat or John the Ripper on a GPU</summary>
      {error && <p class="error-text">Could not read the password hash: {error}</p>}
      {hash && (
        <>
          <p>
            Save this line as <code>backup.hash</code> (it holds no data of the backup, only what
            checks a password):
          </p>
          <pre class="copy" id="hash-line">
            {hash.line}
          </pre>
          <button type="button" class="secondary" onClick={() => copy(hash.line, 'hash')}>
            Copy the hash line
          </button>
          <p>Then run (the mask here tries 6 digits; change it to what you remember):</p>
          <pre class="copy" id="hashcat-command">
            {hash.hashcat}
          </pre>
          <button type="button" class="secondary" onClick={() => copy(hash.hashcat, 'command')}>
            Copy the hashcat command
          </button>
          <p>
            or <code>{hash.john}</code>
          </p>
          {copied && <p role="status">Copied the {copied}.</p>}
        </>
      )}
    </details>
  );
}
