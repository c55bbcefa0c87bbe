import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixture, needsFixtures } from '../support/fixtures.js';
import { scoreFolder } from './corpus-eval.js';

const CORPUS = 'sqlite-forensic-corpus-v1.0';

// Targets per folder, as measured; 0B/0D/0E are bounded by what the files still hold (see the bench):
// 0B 8 of 20 rows survive the new table's writes, 0D 19 of 45 survive whole, 0E 4 of 12.
const EXPECT: Record<string, { recall: number; precision: number }> = {
  '0A': { recall: 1, precision: 1 },
  '0B': { recall: 0.4, precision: 1 },
  '0C': { recall: 1, precision: 1 },
  '0D': { recall: 19 / 45, precision: 1 },
  '0E': { recall: 4 / 12, precision: 1 },
};

describe('SQLite forensic corpus (Nemetz et al.), folders 0A-0E', needsFixtures(), () => {
  for (const [folder, want] of Object.entries(EXPECT)) {
    it(`${folder}: recall >= ${want.recall.toFixed(2)}, precision >= ${want.precision}, no live row reported`, () => {
      const s = scoreFolder(fixture(CORPUS), folder);
      assert.ok(s.recall >= want.recall - 1e-9, `${folder} recall ${s.recall}`);
      assert.ok(s.precision >= want.precision - 1e-9, `${folder} precision ${s.precision}`);
      assert.equal(s.liveMisreported, 0);
    });
  }
});
