import type { MissingSummary } from '../../../src/artifacts/missing.js';
import { formatBytes } from '../items.js';

/** "What is missing": per reason, how many items and bytes the backup lists without their data. */
export function MissingSection({ missing }: { missing: MissingSummary | undefined }) {
  if (!missing?.reasons.length) return null;
  const { listed, present } = missing;
  return (
    <details class="problems missing-section" open>
      <summary>What is missing</summary>
      {listed.files > 0 && (
        <p class="meta">
          The backup's index lists {listed.files.toLocaleString()} file
          {listed.files === 1 ? '' : 's'} ({formatBytes(listed.bytes)}) for this data type;{' '}
          {present.files.toLocaleString()} ({formatBytes(present.bytes)}) are in this folder.
        </p>
      )}
      <ul>
        {missing.reasons.map((r) => (
          <li class={r.reason === 'not-in-folder' ? 'error' : 'info'}>
            {r.items.toLocaleString()} item{r.items === 1 ? '' : 's'}
            {r.bytes > 0 ? ` (${formatBytes(r.bytes)})` : ''}: {r.says}
            {r.databases.length > 0 && <div class="meta">Databases: {r.databases.join(', ')}</div>}
            {r.examples.length > 0 && (
              <div class="meta">
                For example: {r.examples.join(', ')}
                {r.items - r.databases.length > r.examples.length ? ', …' : ''}
              </div>
            )}
          </li>
        ))}
      </ul>
    </details>
  );
}

/** One line for an overview card: how much is listed without its data. */
export function missingLine(missing: MissingSummary | undefined): string | null {
  const items = missing?.reasons.reduce((n, r) => n + r.items, 0) ?? 0;
  if (!items) return null;
  const bytes = missing!.reasons.reduce((n, r) => n + r.bytes, 0);
  return `${items.toLocaleString()} listed, not in the backup${bytes ? ` (${formatBytes(bytes)})` : ''}`;
}
