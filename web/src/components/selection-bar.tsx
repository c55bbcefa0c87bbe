import type { SelectionApi } from '../state.js';
import { viewOf } from '../views/index.js';

/** What is selected, across data types, with the way to save it. */
export function SelectionBar({ backup, sel }: { backup: string; sel: SelectionApi }) {
  if (sel.count === 0) return null;
  const parts = Object.entries(sel.selection)
    .filter(([, s]) => s.size > 0)
    .map(([a, s]) => `${s.size} ${viewOf(a)?.label ?? a}`);
  return (
    <div class="selection-bar" role="region" aria-label="selection">
      <span>
        <strong>{sel.count}</strong> selected: {parts.join(', ')}
      </span>
      <a class="button" href={`#/b/${backup}/save`}>
        Save…
      </a>
      <button type="button" class="secondary" onClick={sel.clear}>
        Clear
      </button>
    </div>
  );
}
