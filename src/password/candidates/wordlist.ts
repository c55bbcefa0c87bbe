import { readFileSync } from 'node:fs';
import { ExitCode, ReclaimError } from '../../errors.js';

/**
 * The words of a UTF-8 wordlist, one a line (LF or CRLF), blank lines and duplicates dropped, in file
 * order. `seen` carries words across several wordlists so each is tried once.
 */
export function loadWordlist(path: string, seen: Set<string> = new Set()): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ReclaimError(
      `Cannot read wordlist ${path} (${code ?? (error as Error).message}).`,
      code === 'ENOENT' ? ExitCode.notFound : ExitCode.failure,
    );
  }
  const words: string[] = [];
  let lines = 0;
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    if (line === '') continue;
    lines++;
    if (seen.has(line)) continue;
    seen.add(line);
    words.push(line);
  }
  if (lines === 0)
    throw new ReclaimError(`Wordlist ${path} is empty: it has no words to try.`, ExitCode.usage);
  return words;
}
