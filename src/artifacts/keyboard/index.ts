import { declaredIdentity } from '../identity.js';
import { posix } from 'node:path';
import { defineReader, emptyData } from '../artifact.js';
import { defineArtifact } from '../declaration.js';
import { notInFolder, problemsOf } from '../read-database.js';

/**
 * The keyboard's learned words: Library/Keyboard/dynamic-text.dat (the en_US keyboard) and
 * <language>-dynamic-text.dat (the others), which older backups hold in HomeDomain; newer systems keep
 * the keyboard's files in KeyboardDomain. Words typed that the dictionary did not know, including names,
 * places and sometimes what was typed into forms. Newer iOS also learns into
 * <language>-dynamic.lm/dynamic-lexicon.dat, which backups leave out.
 */
const WORDS = 'Library/Keyboard/*dynamic-text.dat';

export const keyboardDeclaration = defineArtifact({
  id: 'keyboard',
  title: 'Keyboard words',
  locations: {
    learnedWords: { domain: 'HomeDomain', path: WORDS, kind: 'document' },
    keyboardDomain: { domain: 'KeyboardDomain', path: WORDS, kind: 'document' },
  },
  identity: {
    describe: 'the word with its keyboard language',
    keys: [{ fields: ['language', 'word'] }],
  },
  needsNames: false,
  aliases: ['keyboard-words', 'learned-words'],
  formats: ['txt', 'csv', 'json'],
  defaultFormats: ['txt', 'csv', 'json'],
});

export interface KeyboardWord {
  word: string;
  /** The keyboard it was learned by (en_US for dynamic-text.dat, else the file name's prefix). */
  language: string;
  /** Its place in the file (0 first). */
  position: number;
  /** "domain/path" of the file. */
  source: string;
}

/** A learned word by its keyboard language and spelling. */
export const keyboardIdentity = declaredIdentity<KeyboardWord>()(keyboardDeclaration, {
  volatile: ['position', 'source'],
});

const HEADER = 'DynamicDictionary-';
/** Far above any real dictionary (a few hundred kB); a bigger file is not read. */
const MAX_BYTES = 32 * 1024 * 1024;
const MAX_WORDS = 200_000;
const MAX_WORD_LENGTH = 64;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export class NotAKeyboardDictionary extends Error {}

/**
 * A dynamic-text.dat: "DynamicDictionary-<version>", then the words, each ended by a NUL byte (UTF-8).
 * Pieces that are not text (bytes that are not UTF-8, control characters, nothing a word holds) are
 * left out, and each word is given once.
 */
export function parseDynamicText(bytes: Buffer): { version: string; words: string[] } {
  if (!bytes.subarray(0, HEADER.length).equals(Buffer.from(HEADER, 'latin1')))
    throw new NotAKeyboardDictionary('not a keyboard dictionary (no DynamicDictionary header)');
  const pieces: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0) {
      if (i > start) pieces.push(bytes.subarray(start, i));
      start = i + 1;
    }
  }
  const version = pieces.shift()!.toString('latin1').slice(HEADER.length);
  const words: string[] = [];
  const seen = new Set<string>();
  for (const piece of pieces) {
    if (words.length >= MAX_WORDS) break;
    let word: string;
    try {
      word = utf8.decode(piece).trim();
    } catch {
      continue;
    }
    if (
      word.length === 0 ||
      word.length > MAX_WORD_LENGTH ||
      /[\p{Cc}\uFFFD]/u.test(word) ||
      !/[\p{L}\p{N}]/u.test(word) ||
      seen.has(word)
    )
      continue;
    seen.add(word);
    words.push(word);
  }
  return { version, words };
}

/** "en_GB-dynamic-text.dat" → en_GB; "dynamic-text.dat" is the en_US keyboard's. */
export function languageOf(path: string): string {
  const name = posix.basename(path);
  return name === 'dynamic-text.dat' ? 'en_US' : name.slice(0, -'-dynamic-text.dat'.length);
}

export const keyboardArtifact = defineReader(keyboardDeclaration, async (source) => {
  const data = emptyData<KeyboardWord>('keyboard');
  const problems = problemsOf(data, keyboardDeclaration.title);
  const { learnedWords, keyboardDomain } = keyboardDeclaration.locations;
  for (const location of [learnedWords, keyboardDomain]) {
    const entries = source
      .listAt(location)
      .sort((a, b) => a.relativePath.localeCompare(b.relativePath));
    for (const entry of entries) {
      const label = `${entry.domain}/${entry.relativePath}`;
      if (!source.has(entry)) {
        problems.error(notInFolder(label));
        continue;
      }
      if (entry.size > MAX_BYTES) {
        problems.error(
          `${label} is ${entry.size} bytes, too big for a keyboard dictionary: not read`,
        );
        continue;
      }
      data.sources.push(label);
      try {
        const { words } = parseDynamicText(await source.read(entry));
        const language = languageOf(entry.relativePath);
        words.forEach((word, position) =>
          data.items.push({ word, language, position, source: label }),
        );
      } catch (error) {
        problems.error(`${label}: ${(error as Error).message}`);
      }
    }
  }
  if (data.sources.length === 0 && data.problems.length === 0)
    data.notInBackup.push(
      'This backup holds no keyboard dictionary (Library/Keyboard/dynamic-text.dat); newer iOS keeps the words it learns in files backups leave out.',
    );
  return data;
});
