import { useMemo, useState } from 'preact/hooks';
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
import { useArtifact } from '../state.js';
import type { FieldOf, View, ViewProps } from '../views/view.js';
import { ItemDetail } from './item-detail.js';
import { ItemsHeader } from './items-header.js';
import { MediaPreview } from './media-preview.js';
import { SelectBox } from './select-box.js';

/** A data type shown as a table of its items' fields (`columns` first), with a detail panel. */
export function tableView<Id extends ArtifactId>(
  artifact: Id,
  options: { label: string; columns: FieldOf<Id>[] },
): View {
  return {
    label: options.label,
    Page: (props: ViewProps) => (
      <TableView {...props} artifact={artifact} title={options.label} columns={options.columns} />
    ),
  };
}

/** A value, with the contact's name when it is a number or address Contacts knows. */
function named(key: string, value: unknown, names: Record<string, string> | undefined): string {
  const text = formatCell(key, value);
  return typeof value === 'string' && names?.[value] ? `${names[value]} (${text})` : text;
}

function TableView({
  backup,
  artifact,
  title,
  columns: preferred,
  sel,
}: ViewProps & { artifact: ArtifactId; title: string; columns: readonly string[] }) {
  const { data, error } = useArtifact(backup, artifact);
  const [open, setOpen] = useState<number | null>(null);
  const [filter, setFilter] = useState('');
  const items = (data?.items ?? []) as readonly Fields[];
  const columns = useMemo(() => columnsFor(items, 7, preferred), [data]);
  const visible = useMemo(() => {
    const q = filter.trim().toLowerCase();
    const all = items.map((_, i) => i);
    return q ? all.filter((i) => JSON.stringify(items[i]).toLowerCase().includes(q)) : all;
  }, [data, filter]);
  if (error) return <ErrorState message={error} />;
  if (!data) return <Loading what={title} />;
  const withMedia = items.some((i) => fileRefs(i).length > 0);
  return (
    <section class="generic">
      <ItemsHeader title={title} data={data} sel={sel} artifact={artifact} visible={visible} />
      {items.length === 0 ? (
        <Empty>No {title.toLowerCase()} in this backup.</Empty>
      ) : (
        <>
          <input
            type="search"
            class="filter"
            placeholder={`Search ${title.toLowerCase()}…`}
            value={filter}
            aria-label={`search ${title}`}
            onInput={(e) => setFilter((e.currentTarget as HTMLInputElement).value)}
          />
          <div class="split">
            <div class="table-wrap">
              <table class="items" onKeyDown={arrowNavigation('tbody tr')}>
                <thead>
                  <tr>
                    <th class="narrow">
                      <span class="sr">Select</span>
                    </th>
                    {withMedia && <th>Media</th>}
                    {columns.map((c) => (
                      <th>{label(c).replace(/ Seconds$/, '')}</th>
                    ))}
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {visible.slice(0, 2000).map((i) => {
                    const item = items[i]!;
                    const refs = fileRefs(item);
                    return (
                      <tr
                        tabIndex={0}
                        class={`${open === i ? 'open' : ''} ${recoveredOf(item) ? 'is-recovered' : ''}`}
                        data-index={i}
                        onClick={() => setOpen(i)}
                        onKeyDown={(e) => {
                          if (e.key === 'Enter') setOpen(i);
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
                        {columns.map((c) => {
                          const value = item[c];
                          const isDate =
                            typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value);
                          return (
                            <td class={`cell ${isDate ? 'date' : ''}`}>
                              {named(c, value, data.names).slice(0, 160)}
                            </td>
                          );
                        })}
                        <td>
                          <RecoveredBadge mark={recoveredOf(item)} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              {visible.length > 2000 && (
                <p class="meta">
                  Showing the first 2,000 of {visible.length.toLocaleString()}; search to narrow.
                </p>
              )}
              {visible.length === 0 && <Empty>Nothing matches “{filter}”.</Empty>}
            </div>
            {open !== null && items[open] && (
              <ItemDetail
                backup={backup}
                item={items[open]!}
                names={data.names}
                onClose={() => setOpen(null)}
              />
            )}
          </div>
        </>
      )}
    </section>
  );
}
