import { useEffect, useState } from 'preact/hooks';
import type { ArtifactCount, BackupInfo, ScanResult } from '../../../src/server/api-types.js';
import { runJob, type JobProgress } from '../api.js';
import { ErrorState, ProgressBar } from '../common.js';
import { formatBytes, formatDate } from '../items.js';
import { missingLine } from '../components/missing.js';
import { viewOf } from '../views/index.js';

/** A backup at a glance: the device, and how many items of each data type it holds. */
export function Overview({
  summary,
  counts,
  setCounts,
}: {
  summary: BackupInfo;
  counts: ArtifactCount[] | null;
  setCounts: (c: ArtifactCount[]) => void;
}) {
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (counts) return;
    runJob<ScanResult>(`/api/backups/${summary.id}/scan`, {}, setProgress).then(
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
          {(summary.files ?? summary.indexedFiles)?.toLocaleString() ?? '?'} (
          {formatBytes(summary.sizeOnDisk)})
        </dd>
        {summary.finished === false && (
          <>
            <dt>Warning</dt>
            <dd class="error-text">This backup was interrupted: some files may be missing.</dd>
          </>
        )}
      </dl>
      {error && <ErrorState message={`Could not count what this backup holds: ${error}`} />}
      {!counts && !error && (
        <ProgressBar progress={progress ?? { message: 'Reading what the backup holds…' }} />
      )}
      {counts && (
        <ul class="cards">
          {counts.map((c) => {
            const errors = c.problems.filter((p) => p.severity === 'error');
            return (
              <li>
                <a class="card" href={`#/b/${summary.id}/a/${c.id}`}>
                  <strong>{viewOf(c.id)?.label ?? c.title}</strong>
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
                  {missingLine(c.missing) && (
                    <span class="error-text">{missingLine(c.missing)}</span>
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
              <span class="big">
                {(summary.files ?? summary.indexedFiles)?.toLocaleString() ?? '?'}
              </span>
              <span>the raw backup</span>
            </a>
          </li>
        </ul>
      )}
    </section>
  );
}
