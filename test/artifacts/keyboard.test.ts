import assert from 'node:assert/strict';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  keyboardArtifact,
  languageOf,
  parseDynamicText,
} from '../../src/artifacts/keyboard/index.js';
import { LooseFilesSource, type LooseFile } from '../../src/artifacts/source.js';
import { withWorkspace } from '../../src/artifacts/workspace.js';
import { exportArtifacts } from '../../src/export/run.js';
import { buildKeyboard, dynamicTextFile, keyboardData } from '../../demo/src/keyboard.js';
import { tempDir } from '../support/fixtures.js';

const tmp = tempDir('reclaim-keyboard-');
after(() => tmp.cleanup());

function loose(files: Array<{ domain: string; relativePath: string; data?: Buffer }>): LooseFile[] {
  return files.map((f, i) => {
    const path = join(tmp.path, `file-${i}-${Math.random().toString(36).slice(2)}`);
    writeFileSync(path, f.data ?? Buffer.alloc(0));
    return { domain: f.domain, relativePath: f.relativePath, path };
  });
}

test('dynamic-text.dat: the words as typed, in order, once each; what is not text left out', () => {
  assert.deepEqual(parseDynamicText(dynamicTextFile(['Kalamata', 'Grüße', '4512'])), {
    version: '5',
    words: ['Kalamata', 'Grüße', '4512'],
  });
  const messy = Buffer.concat([
    Buffer.from('DynamicDictionary-9\0hello\0'),
    Buffer.from([0xff, 0xfe, 0xfd, 0]), // not UTF-8
    Buffer.from('hello\0\u0001\u0002\0   \0!!!\0'), // again, control characters, blank, no letter
    Buffer.from(`${'x'.repeat(65)}\0 world \0`), // too long to be a word; trimmed
    Buffer.from('tail-without-nul'),
  ]);
  assert.deepEqual(parseDynamicText(messy).words, ['hello', 'world', 'tail-without-nul']);
  assert.throws(() => parseDynamicText(Buffer.from('bplist00...')), /not a keyboard dictionary/);
  assert.equal(languageOf('Library/Keyboard/dynamic-text.dat'), 'en_US');
  assert.equal(languageOf('Library/Keyboard/de_DE-dynamic-text.dat'), 'de_DE');
});

test('the demo dictionaries read back word for word, and export as TXT, CSV and JSON', async () => {
  const data = keyboardData();
  const out = join(tmp.path, 'out');
  const [read, results] = await withWorkspace(async (ws) => {
    const source = new LooseFilesSource(loose(buildKeyboard(data)), ws);
    return [
      await keyboardArtifact.read(source, {}),
      await exportArtifacts(source, out, ['keyboard']),
    ] as const;
  });
  assert.deepEqual(read.problems, []);
  assert.deepEqual(read.sources, [
    'HomeDomain/Library/Keyboard/de_DE-dynamic-text.dat',
    'HomeDomain/Library/Keyboard/dynamic-text.dat',
  ]);
  const expected = [
    ...data.files[1]!.words.map((word, position) => ({ word, language: 'de_DE', position })),
    ...data.files[0]!.words.map((word, position) => ({ word, language: 'en_US', position })),
  ];
  assert.deepEqual(
    read.items.map(({ word, language, position }) => ({ word, language, position })),
    expected,
  );
  assert.equal(results[0]!.counts['words'], expected.length);
  assert.equal(results[0]!.files, 3);
  const dir = join(out, 'keyboard');
  assert.equal(
    readFileSync(join(dir, 'keyboard-words.txt'), 'utf8'),
    `# de_DE\n${data.files[1]!.words.join('\n')}\n\n# en_US\n${data.files[0]!.words.join('\n')}\n`,
  );
  const csv = readFileSync(join(dir, 'keyboard-words.csv'), 'utf8').trimEnd().split('\r\n');
  assert.equal(csv[0], '\uFEFFword,language,position,source');
  assert.equal(csv[1], 'Grüße,de_DE,0,HomeDomain/Library/Keyboard/de_DE-dynamic-text.dat');
  assert.equal(csv.length, expected.length + 1);
  const json = JSON.parse(readFileSync(join(dir, 'keyboard-words.json'), 'utf8')) as unknown[];
  assert.equal(json.length, expected.length);
});

test('a dictionary listed without its data, or too big, is a problem, never a crash', async () => {
  const files = loose([
    {
      domain: 'HomeDomain',
      relativePath: 'Library/Keyboard/dynamic-text.dat',
      data: Buffer.alloc(1),
    },
  ]);
  const missing: LooseFile = { ...files[0]!, path: join(tmp.path, 'not-there') };
  const huge: LooseFile = {
    domain: 'KeyboardDomain',
    relativePath: 'Library/Keyboard/fr_FR-dynamic-text.dat',
    path: join(tmp.path, 'huge'),
  };
  writeFileSync(huge.path, '');
  truncateSync(huge.path, 40 * 1024 * 1024); // sparse: nothing is written
  const read = await withWorkspace((ws) =>
    keyboardArtifact.read(new LooseFilesSource([missing, huge], ws), {}),
  );
  assert.deepEqual(read.items, []);
  assert.deepEqual(
    read.problems.map((p) => [p.severity, p.message]),
    [
      [
        'warning',
        'Keyboard words: the backup lists HomeDomain/Library/Keyboard/dynamic-text.dat but does not hold its data',
      ],
      [
        'error',
        'Keyboard words: KeyboardDomain/Library/Keyboard/fr_FR-dynamic-text.dat is 41943040 bytes, too big for a keyboard dictionary: not read',
      ],
    ],
  );
});
