import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Backup } from '../../src/backup/backup.js';
import { writeDecryptedCopy } from '../../src/backup/decrypt-copy.js';
import { extractBackup } from '../../src/backup/extract.js';
import type { IndexFormat } from '../../src/backup/backup.js';
import { hashTree, sampleFiles, sha256, writeBackup } from '../support/backups.js';
import { tempDir } from '../support/fixtures.js';

const PASSWORD = 'correct horse';

for (const format of ['manifest-db', 'mbdb'] as IndexFormat[]) {
  for (const password of [undefined, PASSWORD]) {
    test(`round trip: ${format}, ${password ? 'encrypted' : 'plain'}: extracted files match byte for byte`, async () => {
      const tmp = tempDir();
      try {
        const files = sampleFiles();
        const source = join(tmp.path, 'backup');
        await writeBackup(source, files, { format, password });
        const backup = Backup.open(source);
        assert.equal(backup.encrypted, Boolean(password));
        assert.equal(backup.format, format);
        if (password) await backup.unlock({ password });

        const out = join(tmp.path, 'out');
        const summary = await extractBackup(backup, out);
        assert.equal(summary.extracted, files.length);
        assert.deepEqual(
          [summary.failed, summary.refused, summary.missing, summary.warnings],
          [[], [], [], []],
        );
        const extracted = hashTree(out);
        assert.equal(extracted.size, files.length);
        for (const file of files) {
          assert.equal(
            extracted.get(join(file.domain, file.relativePath)),
            sha256(file.data!),
            file.relativePath,
          );
          const mtime = statSync(join(out, file.domain, file.relativePath)).mtimeMs;
          assert.equal(mtime, file.modified!.getTime(), `mtime of ${file.relativePath}`);
        }
        const again = await extractBackup(backup, out);
        assert.equal(again.extracted, 0);
        assert.equal(again.skipped, files.length);

        if (!password) return;
        const plainCopy = join(tmp.path, 'decrypted');
        const copySummary = await writeDecryptedCopy(backup, plainCopy);
        assert.equal(copySummary.files, files.length);
        const reopened = Backup.open(plainCopy);
        assert.equal(reopened.encrypted, false);
        assert.equal(reopened.format, format);
        const out2 = join(tmp.path, 'out2');
        await extractBackup(reopened, out2);
        assert.deepEqual(hashTree(out2), extracted);
      } finally {
        tmp.cleanup();
      }
    });
  }
}

test('a derived key unlocks like the password, and --path/--domain select entries', async () => {
  const tmp = tempDir();
  try {
    const source = join(tmp.path, 'backup');
    await writeBackup(source, sampleFiles(), { password: PASSWORD });
    const backup = Backup.open(source);
    const kek = await backup.deriveKey(PASSWORD);
    await backup.unlock({ kek });
    const summary = await extractBackup(backup, join(tmp.path, 'out'), {
      domain: 'HomeDomain',
      path: '**/*.bin',
    });
    assert.equal(summary.extracted, 5);
  } finally {
    tmp.cleanup();
  }
});
