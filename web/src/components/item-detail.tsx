import type { ComponentChildren } from 'preact';
import { RecoveredBadge } from '../common.js';
import {
  fileRefs,
  formatValue,
  isObject,
  label,
  recoveredOf,
  titleOf,
  type Fields,
} from '../items.js';
import { EarlierVersions } from './earlier-versions.js';
import { isInternalField } from './advanced.js';
import { MediaPreview } from './media-preview.js';

/** Fields a view shows in its own way (a note's body) rather than as raw values. */
const SHOWN_ELSEWHERE = new Set(['recovered', 'earlierVersions', 'paragraphs', 'issues']);

/** Every field of one item a person can read, with its files shown, beside the table. */
export function ItemDetail({
  backup,
  item,
  names,
  advanced,
  cell,
  onClose,
  children,
}: {
  backup: string;
  item: Fields;
  names?: Record<string, string>;
  advanced: boolean;
  cell?: (key: string, item: Fields) => string | undefined;
  onClose: () => void;
  children?: ComponentChildren;
}) {
  const refs = fileRefs(item);
  const title = titleOf(item);
  const shown = (key: string, value: unknown) => {
    const special = cell?.(key, item);
    if (special !== undefined) return special;
    if (value === true) return 'yes';
    const text = formatValue(value);
    return typeof value === 'string' && names?.[value] ? `${names[value]} (${text})` : text;
  };
  return (
    <aside class="detail" aria-label="details" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <header>
        <h2>{names?.[title] ? `${names[title]} (${title})` : title}</h2>
        <button type="button" class="icon" onClick={onClose} aria-label="close details">
          ✕
        </button>
      </header>
      <RecoveredBadge mark={recoveredOf(item)} />
      {children}
      {refs.map((r) => (
        <div class="detail-media">
          <MediaPreview backup={backup} file={r} />
        </div>
      ))}
      <dl>
        {Object.entries(item)
          .filter(
            ([k, v]) =>
              !SHOWN_ELSEWHERE.has(k) &&
              (advanced || !isInternalField(k)) &&
              v !== null &&
              v !== undefined &&
              v !== false &&
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
                  shown(k, v)
                )}
              </dd>
            </>
          ))}
      </dl>
      <EarlierVersions versions={item.earlierVersions as never} />
    </aside>
  );
}
