/**
 * What merged and diff exports add to the records they write (never set by an artifact reader): which sources
 * hold an item, its older versions, and messages kept only as context around what an export is about.
 */
export interface HistoryMarks {
  /** The sources that hold this item, newest first (merged exports). */
  foundIn?: string[];
  /** Versions of the item that other (older) sources hold, newest first (merged exports). */
  history?: Array<{ foundIn: string[]; version: unknown }>;
  /** Shown only as context around the items an export is about, and why ("still in the newer backup"). */
  context?: string;
}

export function marksOf(item: unknown): HistoryMarks {
  return typeof item === 'object' && item !== null ? (item as HistoryMarks) : {};
}

/** The marks as JSON fields, present only when set. */
export function marksJson(item: unknown): HistoryMarks {
  const m = marksOf(item);
  return {
    ...(m.foundIn ? { foundIn: m.foundIn } : {}),
    ...(m.history?.length ? { history: m.history } : {}),
    ...(m.context ? { context: m.context } : {}),
  };
}
