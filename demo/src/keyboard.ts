import type { BackupFileInput } from '../../src/backup/types.js';
import { asDate } from './apple-time.js';

/**
 * The keyboard's learned words: HomeDomain Library/Keyboard/dynamic-text.dat (the en_US keyboard) and
 * <language>-dynamic-text.dat (another keyboard), each "DynamicDictionary-5" then the words, each ended
 * by a NUL byte.
 */

export interface DemoKeyboardFile {
  /** null: the en_US keyboard's dynamic-text.dat. */
  language: string | null;
  words: string[];
  modified: string;
}

export interface KeyboardData {
  files: DemoKeyboardFile[];
}

export function keyboardData(): KeyboardData {
  return {
    files: [
      {
        language: null,
        words: ['Biscuit', 'Kalamata', 'trailhead', 'Priya', 'sourdough', 'Tahoe', 'Pottery'],
        modified: '2025-06-12T19:04:00Z',
      },
      {
        language: 'de_DE',
        words: ['Grüße', 'Wanderung', 'Brötchen'],
        modified: '2024-10-02T08:15:00Z',
      },
    ],
  };
}

export function dynamicTextFile(words: readonly string[], version = 5): Buffer {
  return Buffer.concat(
    [`DynamicDictionary-${version}`, ...words].map((w) => Buffer.from(`${w}\0`, 'utf8')),
  );
}

export function buildKeyboard(data: KeyboardData = keyboardData()): BackupFileInput[] {
  return data.files.map((f) => ({
    domain: 'HomeDomain',
    relativePath: `Library/Keyboard/${f.language ? `${f.language}-` : ''}dynamic-text.dat`,
    data: dynamicTextFile(f.words),
    modified: asDate(f.modified),
  }));
}
