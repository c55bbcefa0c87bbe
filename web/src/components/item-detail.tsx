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
import { MediaPreview } from './media-preview.js';

/** Every field of one item, with its files shown, beside the table. */
export function ItemDetail({
  backup,
  item,
  names,
  onClose,
}: {
  backup: string;
  item: Fields;
  names?: Record<string, string>;
  onClose: () => void;
}) {
  const refs = fileRefs(item);
  const title = titleOf(item);
  return (
    <aside class="detail" aria-label="details" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <header>
        <h2>{names?.[title] ? `${names[title]} (${title})` : title}</h2>
        <button type="button" class="icon" onClick={onClose} aria-label="close details">
          ✕
        </button>
      </header>
      <RecoveredBadge mark={recoveredOf(item)} />
      {refs.map((r) => (
        <div class="detail-media">
          <MediaPreview backup={backup} file={r} />
        </div>
      ))}
      <dl>
        {Object.entries(item)
          .filter(
            ([k, v]) =>
              k !== 'recovered' &&
              k !== 'earlierVersions' &&
              v !== null &&
              v !== undefined &&
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
                  formatValue(v)
                )}
              </dd>
            </>
          ))}
      </dl>
      <EarlierVersions versions={item.earlierVersions as never} />
    </aside>
  );
}
