import type { ArtifactId, Problem } from '../../../src/artifacts/artifact.js';
import type { MissingSummary } from '../../../src/artifacts/missing.js';
import { Problems } from '../common.js';
import { MissingSection } from './missing.js';
import { recoveredOf } from '../items.js';
import type { SelectionApi } from '../state.js';

/** A data type's heading: how many items, how many recovered and selected, and its problems. */
export function ItemsHeader({
  title,
  data,
  sel,
  artifact,
  visible,
}: {
  title: string;
  data: {
    items: readonly unknown[];
    problems: Problem[];
    notInBackup: string[];
    missing?: MissingSummary;
  };
  sel: SelectionApi;
  artifact: ArtifactId;
  visible: number[];
}) {
  const recovered = data.items.filter((i) => recoveredOf(i)).length;
  const picked = sel.selection[artifact]?.size ?? 0;
  const allPicked = visible.length > 0 && visible.every((i) => sel.has(artifact, i));
  return (
    <header class="page-head">
      <h1>{title}</h1>
      <p class="meta">
        {data.items.length.toLocaleString()} item{data.items.length === 1 ? '' : 's'}
        {recovered ? (
          <>
            {' '}
            · <span class="badge recovered">{recovered} recovered</span>
          </>
        ) : null}
        {picked ? ` · ${picked} selected` : ''}
      </p>
      {visible.length > 0 && (
        <button
          type="button"
          class="secondary"
          onClick={() => sel.setMany(artifact, visible, !allPicked)}
        >
          {allPicked ? 'Unselect all shown' : `Select all shown (${visible.length})`}
        </button>
      )}
      <Problems problems={data.problems} notInBackup={data.notInBackup} />
      <MissingSection missing={data.missing} />
    </header>
  );
}
