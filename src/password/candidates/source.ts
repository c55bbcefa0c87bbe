/**
 * A candidate source has a fixed number of slots, so a search position is one number that survives
 * restarts. A slot holds a candidate, or null where a duplicate was skipped.
 */
export interface CandidateSource {
  readonly label: string;
  readonly size: number;
  /** The slots from `start` on, in order. */
  slots(start: number): Iterable<string | null>;
}

/** A fixed list, duplicates removed (first occurrence kept). */
export function listSource(
  label: string,
  items: Iterable<string>,
  seen: Set<string> = new Set(),
): CandidateSource {
  const unique: string[] = [];
  for (const item of items) {
    if (seen.has(item)) continue;
    seen.add(item);
    unique.push(item);
  }
  return {
    label,
    size: unique.length,
    *slots(start) {
      for (let i = start; i < unique.length; i++) yield unique[i]!;
    },
  };
}

/** Sources one after another. */
export function concatSources(label: string, parts: readonly CandidateSource[]): CandidateSource {
  return {
    label,
    size: parts.reduce((sum, p) => sum + p.size, 0),
    *slots(start) {
      let offset = 0;
      for (const part of parts) {
        if (start < offset + part.size) yield* part.slots(Math.max(0, start - offset));
        offset += part.size;
      }
    },
  };
}

/** The first `limit` candidates (nulls dropped), for previews and tests. */
export function take(source: CandidateSource, limit = Infinity, start = 0): string[] {
  const out: string[] = [];
  for (const slot of source.slots(start)) {
    if (out.length >= limit) break;
    if (slot !== null) out.push(slot);
  }
  return out;
}
