import { join } from 'node:path';
import type { ArtifactData } from '../artifacts/artifact.js';
import { keyboardDeclaration, type KeyboardWord } from '../artifacts/keyboard/index.js';
import { toCsv } from './csv.js';
import { defineExporter } from './exporter.js';
import { writeFileAtomic } from './files.js';
import { toJson } from './json.js';

/** keyboard-words.txt (one word a line, per keyboard language), .csv and .json. */
export const keyboardExporter = defineExporter(
  keyboardDeclaration,
  async (data: ArtifactData<KeyboardWord>, context) => {
    const languages = [...new Set(data.items.map((w) => w.language))];
    const write = (name: string, text: string) => writeFileAtomic(join(context.outDir, name), text);
    let files = 0;
    if (context.formats.includes('txt')) {
      const sections = languages.map((language) =>
        [
          `# ${language}`,
          ...data.items.filter((w) => w.language === language).map((w) => w.word),
        ].join('\n'),
      );
      write('keyboard-words.txt', `${sections.join('\n\n')}\n`);
      files++;
    }
    if (context.formats.includes('csv')) {
      const rows = data.items.map((w) => [w.word, w.language, w.position, w.source]);
      write('keyboard-words.csv', toCsv(['word', 'language', 'position', 'source'], rows));
      files++;
    }
    if (context.formats.includes('json')) {
      write('keyboard-words.json', toJson(data.items));
      files++;
    }
    return {
      artifact: 'keyboard',
      files,
      problems: [],
      counts: { words: data.items.length, languages: languages.length },
    };
  },
);
