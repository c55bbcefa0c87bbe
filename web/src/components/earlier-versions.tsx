import type { EarlierVersion } from '../../../src/artifacts/history.js';
import type { Wire } from '../../../src/server/api-types.js';
import { formatValue, label } from '../items.js';

/**
 * An item's history: older copies of its record the database still held, with the values that
 * differed then. Never a recovered item of its own.
 */
export function EarlierVersions({ versions }: { versions: Wire<EarlierVersion>[] | undefined }) {
  if (!versions?.length) return null;
  return (
    <details class="edits earlier-versions">
      <summary>
        {versions.length} earlier version{versions.length === 1 ? '' : 's'}
      </summary>
      {versions.map((v) => (
        <dl title={`found in ${v.source} (confidence ${Math.round(v.confidence * 100)}%)`}>
          {Object.entries(v.changed).map(([k, value]) => (
            <>
              <dt>{label(k)} was</dt>
              <dd>{formatValue(value) || '(empty)'}</dd>
            </>
          ))}
        </dl>
      ))}
    </details>
  );
}
