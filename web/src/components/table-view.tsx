import type { ComponentChildren } from 'preact';
import { useMemo, useRef, useState } from 'preact/hooks';
import type { ArtifactId } from '../../../src/artifacts/artifact.js';
import { arrowNavigation, Empty, ErrorState, Loading, RecoveredBadge } from '../common.js';
import {
  columnsFor,
  fileRefs,
  formatCell,
  label,
  recoveredOf,
  titleOf,
  type Fields,
} from '../items.js';
import { openItem } from '../route.js';
import { matchesShown } from '../search.js';
import { useArtifact } from '../state.js';
import { dayKey } from '../time.js';
import type { FieldOf, View, ViewProps } from '../views/view.js';
import { isInternalField, useAdvanced } from './advanced.js';
import { ItemDetail } from './item-detail.js';
import { ItemsHeader } from './items-header.js';
import { MediaPreview } from './media-preview.js';
import { SelectBox } from './select-box.js';
import { useOffsets, useVisibleRange } from './virtual.js';

const ROW = 40;

export interface TableOptions<Id extends ArtifactId> {
  label: string;
  columns: FieldOf<Id>[];
  /** The date a row is filtered and first sorted by (newest first). */
  date?: FieldOf<Id>;
  /** A cell shown otherwise than as its value (all-day dates, a time in its own zone). */
  cell?: (key: string, item: Fields) => string | undefined;
  /** The item in full, beside the table (a note as a note). */
  detail?: (props: {
    backup: string;
    item: Fields;
    names: Record<string, string>;
  }) => ComponentChildren;
}

/** A data type shown as a table of its items' fields (`columns` first), with a detail panel. */
export function tableView<Id extends ArtifactId>(artifact: Id, options: TableOptions<Id>): View {
  return {
    label: options.label,
    Page: (props: ViewProps) => (
      <TableView {...props} artifact={artifact} options={options as TableOptions<ArtifactId>} />
    ),
  };
}

/** A value as shown, with the contact's name when it is a number or address Contacts knows. */
function shownCell(
  key: string,
  item: Fields,
  names: Record<string, string> | undefined,
  cell: TableOptions<ArtifactId>['cell'],
): string {
  const special = cell?.(key, item);
  if (special !== undefined) return special;
  const value = item[key];
  const text = formatCell(key, value);
  return typeof value === 'string' && names?.[value] ? `${names[value]} (${text})` : text;
}

/** Orders raw values: numbers and ISO dates as such, text by its letters, empty last. */
function compareValues(a: unknown, b: unknown): number {
  const empty = (v: unknown) => v === null || v === undefined || v === '';
  if (empty(a) || empty(b)) return empty(a) ? (empty(b) ? 0 : 1) : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return String(formatCell('', a)).localeCompare(String(formatCell('', b)), undefined, {
    numeric: true,
  });
}

function TableView({
  backup,
  artifact,
  options,
  sel,
  open,
}: ViewProps & { artifact: ArtifactId; options: TableOptions<ArtifactId> }) {
  const title = options.label;
  const { data, error } = useArtifact(backup, artifact);
  const [advanced, setAdvanced] = useAdvanced();
  const [filter, setFilter] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [sort, setSort] = useState<{ key: string; up: boolean } | null>(
    options.date ? { key: options.date, up: false } : null,
  );
  const items = (data?.items ?? []) as readonly Fields[];
  const columns = useMemo(
    () => columnsFor(items, 7, options.columns).filter((c) => advanced || !isInternalField(c)),
    [data, advanced],
  );
  const shown = useMemo(
    () => items.map((item) => columns.map((c) => shownCell(c, item, data?.names, options.cell))),
    [data, columns],
  );
  const visible = useMemo(() => {
    const dateKey = options.date;
    let list = items.map((_, i) => i);
    if (filter.trim()) list = list.filter((i) => matchesShown(shown[i]!, filter));
    if (dateKey && (from || to))
      list = list.filter((i) => {
        const day = dayKey(items[i]![dateKey] as string | null);
        return day !== '' && (!from || day >= from) && (!to || day <= to);
      });
    if (sort) {
      const direction = sort.up ? 1 : -1;
      list.sort((a, b) => {
        const va = items[a]![sort.key];
        const vb = items[b]![sort.key];
        const empty = (v: unknown) => v === null || v === undefined || v === '';
        if (empty(va) !== empty(vb)) return empty(va) ? 1 : -1;
        return compareValues(va, vb) * direction || a - b;
      });
    }
    return list;
  }, [data, shown, filter, from, to, sort]);
  const box = useRef<HTMLDivElement>(null);
  const offsets = useOffsets(visible.length, () => ROW, [visible.length]);
  const { first, last } = useVisibleRange(box, offsets);
  if (error) return <ErrorState message={`Could not read ${title}: ${error}`} />;
  if (!data) return <Loading what={title} />;
  const withMedia = items.some((i) => fileRefs(i).length > 0);
  const Detail = options.detail;
  const openItemData = open !== null ? items[open] : undefined;
  const span = columns.length + (withMedia ? 3 : 2);
  return (
    <section class="generic">
      <ItemsHeader
        title={title}
        total={items.length}
        recovered={items.filter((i) => recoveredOf(i)).length}
        problems={data.problems}
        notInBackup={data.notInBackup}
        missing={data.missing}
        sel={sel}
        artifact={artifact}
        visible={visible}
      />
      {items.length === 0 ? (
        <Empty>No {title.toLowerCase()} in this backup.</Empty>
      ) : (
        <>
          <div class="table-tools">
            <input
              type="search"
              class="filter"
              placeholder={`Search ${title.toLowerCase()} (names, numbers, text)…`}
              value={filter}
              aria-label={`search ${title}`}
              onInput={(e) => setFilter((e.currentTarget as HTMLInputElement).value)}
            />
            {options.date && (
              <>
                <label>
                  From{' '}
                  <input
                    type="date"
                    aria-label="from date"
                    value={from}
                    onInput={(e) => setFrom((e.currentTarget as HTMLInputElement).value)}
                  />
                </label>
                <label>
                  to{' '}
                  <input
                    type="date"
                    aria-label="to date"
                    value={to}
                    onInput={(e) => setTo((e.currentTarget as HTMLInputElement).value)}
                  />
                </label>
              </>
            )}
            <label class="advanced-toggle">
              <input
                type="checkbox"
                checked={advanced}
                onChange={(e) => setAdvanced((e.currentTarget as HTMLInputElement).checked)}
              />{' '}
              Advanced
            </label>
            <span class="meta" role="status">
              {visible.length === items.length
                ? `${items.length.toLocaleString()} shown`
                : `${visible.length.toLocaleString()} of ${items.length.toLocaleString()} shown`}
            </span>
          </div>
          <div class="split">
            <div class="table-wrap" ref={box}>
              <table class="items" onKeyDown={arrowNavigation('tbody tr[data-index]')}>
                <thead>
                  <tr>
                    <th class="narrow">
                      <span class="sr">Select</span>
                    </th>
                    {withMedia && <th>Media</th>}
                    {columns.map((c) => (
                      <th
                        aria-sort={
                          sort?.key === c ? (sort.up ? 'ascending' : 'descending') : undefined
                        }
                      >
                        <button
                          type="button"
                          class="sort"
                          onClick={() =>
                            setSort((s) => ({ key: c, up: s?.key === c ? !s.up : true }))
                          }
                        >
                          {label(c).replace(/ Seconds$/, '')}
                          {sort?.key === c ? (sort.up ? ' ▲' : ' ▼') : ''}
                        </button>
                      </th>
                    ))}
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {first > 0 && (
                    <tr class="spacer" aria-hidden="true">
                      <td colSpan={span} style={{ height: `${offsets[first]}px` }} />
                    </tr>
                  )}
                  {visible.slice(first, last + 1).map((i) => {
                    const item = items[i]!;
                    const refs = fileRefs(item);
                    return (
                      <tr
                        tabIndex={0}
                        class={`${open === i ? 'open' : ''} ${recoveredOf(item) ? 'is-recovered' : ''}`}
                        data-index={i}
                        key={i}
                        onClick={() => openItem(backup, artifact, i)}
                        onKeyDown={(e) => {
                          if (e.key === 'Enter') openItem(backup, artifact, i);
                          if (e.key === ' ') {
                            e.preventDefault();
                            sel.toggle(artifact, i);
                          }
                        }}
                      >
                        <td class="narrow">
                          <SelectBox
                            checked={sel.has(artifact, i)}
                            onChange={(on) => sel.toggle(artifact, i, on)}
                            label={`select ${titleOf(item)}`}
                          />
                        </td>
                        {withMedia && (
                          <td>
                            {refs[0] ? (
                              <MediaPreview backup={backup} file={refs[0]} compact />
                            ) : null}
                          </td>
                        )}
                        {shown[i]!.map((text) => (
                          <td
                            class="cell"
                            title={text.length > 60 ? text.slice(0, 500) : undefined}
                          >
                            {text.slice(0, 160)}
                          </td>
                        ))}
                        <td>
                          <RecoveredBadge mark={recoveredOf(item)} />
                        </td>
                      </tr>
                    );
                  })}
                  {last + 1 < visible.length && (
                    <tr class="spacer" aria-hidden="true">
                      <td
                        colSpan={span}
                        style={{ height: `${offsets[visible.length]! - offsets[last + 1]!}px` }}
                      />
                    </tr>
                  )}
                </tbody>
              </table>
              {visible.length === 0 && (
                <Empty>Nothing matches: change the search or the dates.</Empty>
              )}
            </div>
            {openItemData && (
              <ItemDetail
                backup={backup}
                item={openItemData}
                names={data.names}
                advanced={advanced}
                cell={options.cell}
                onClose={() => openItem(backup, artifact, null)}
              >
                {Detail && <Detail backup={backup} item={openItemData} names={data.names} />}
              </ItemDetail>
            )}
          </div>
        </>
      )}
    </section>
  );
}
