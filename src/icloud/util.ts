/** Runs `work` over `items`, at most `width` at a time. */
export async function inParallel<T>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
}

/** A few examples for a problem line ("a, b, c and 12 more"). */
export function sample(examples: string[], shown = 3): string {
  const head = examples.slice(0, shown).join(', ');
  return examples.length > shown ? `${head} and ${examples.length - shown} more` : head;
}
