import type { ComponentChildren } from 'preact';
import type { ArtifactId, Problem } from '../../../src/artifacts/artifact.js';
import type { MissingSummary } from '../../../src/artifacts/missing.js';
import { Problems } from '../common.js';
import { MissingSection } from './missing.js';
import type { SelectionApi } from '../state.js';

/** A data type's heading: how many items, how many recovered and selected, and its problems. */
export function ItemsHeader({
  title,
  total,
  recovered,
  problems,
  notInBackup,
  missing,
  sel,
  artifact,
  visible,
  children,
}: {
  title: string;
  total: number;
  recovered: number;
  problems: Problem[];
  notInBackup?: string[];
  missing?: MissingSummary;
  sel: SelectionApi;
  artifact: ArtifactId;
  visible: number[];
  children?: ComponentChildren;
}) {
  const picked = sel.selection[artifact]?.size ?? 0;
  const allPicked = visible.length > 0 && visible.every((i) => sel.has(artifact, i));
  return (
    <header class="page-head">
      <h1>{title}</h1>
      <p class="meta">
        {total.toLocaleString()} item{total === 1 ? '' : 's'}
        {recovered ? (
          <>
            {' '}
            · <span class="badge recovered">{recovered.toLocaleString()} recovered</span>
          </>
        ) : null}
        {picked ? ` · ${picked.toLocaleString()} selected` : ''}
      </p>
      {visible.length > 0 && (
        <button
          type="button"
          class="secondary"
          onClick={() => sel.setMany(artifact, visible, !allPicked)}
        >
          {allPicked
            ? 'Unselect all shown'
            : `Select all shown (${visible.length.toLocaleString()})`}
        </button>
      )}
      {children}
      <Problems problems={problems} notInBackup={notInBackup} />
      <MissingSection missing={missing} />
    </header>
  );
}
