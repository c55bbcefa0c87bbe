// `npm run bench -- sqlite-recovery`: recall/precision on the SQLite forensic corpus, and the time to
// carve a generated ~100 MB database.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { carveDatabase } from '../src/sqlite-recovery/index.js';
import { sharedFixtures } from '../test/support/fixtures.js';
import {
  MATCH_DEFINITION,
  scoreFolder,
  type FolderScore,
} from '../test/sqlite-recovery/corpus-eval.js';
import { tempDir } from '../test/support/fixtures.js';

function corpusReport(): void {
  const corpus = sharedFixtures ? join(sharedFixtures, 'sqlite-forensic-corpus-v1.0') : null;
  if (!corpus || !existsSync(corpus)) {
    console.log('corpus: shared fixtures absent (../shared/fixtures): skipped');
    return;
  }
  console.log(`match: ${MATCH_DEFINITION}`);
  const folders = readdirSync(corpus)
    .filter((f) => /^0[0-9A-E]$/.test(f))
    .sort();
  const scores: FolderScore[] = [];
  console.log(
    '("in file": targets whose values are all still present as bytes: the most any carver can recover exactly)',
  );
  console.log(
    'folder  targets  in file  reported  correct  partial  recall  recall-of-present  precision  exact-precision  live-as-deleted (per key / really live per SQLite)  time',
  );
  for (const f of folders) {
    const t = performance.now();
    const s = scoreFolder(corpus, f);
    scores.push(s);
    const ms = (performance.now() - t).toFixed(0);
    console.log(
      `${f.padEnd(6)}  ${String(s.targets).padStart(7)}  ${String(s.present).padStart(7)}  ${String(s.reported).padStart(8)}  ${String(s.truePositives).padStart(7)}  ${String(s.partialMatches).padStart(7)}  ` +
        `${s.recall.toFixed(3).padStart(6)}  ${(s.present ? Math.min(s.truePositives, s.present) / s.present : 1).toFixed(3).padStart(17)}  ` +
        `${s.precision.toFixed(3).padStart(9)}  ${s.exactPrecision.toFixed(3).padStart(15)}  ${String(s.liveMisreported).padStart(15)} / ${s.liveVerified}  ${ms} ms`,
    );
  }
  const del = scores.filter((s) => /^0[A-E]$/.test(s.folder));
  const sum = (
    xs: FolderScore[],
    k: 'targets' | 'reported' | 'truePositives' | 'partialMatches' | 'liveMisreported',
  ): number => xs.reduce((a, s) => a + s[k], 0);
  for (const [label, xs] of [
    ['overall 0A-0E', del],
    ['overall 01-0E', scores],
  ] as const) {
    const t = sum(xs, 'targets');
    const r = sum(xs, 'reported');
    const c = sum(xs, 'truePositives');
    const p = sum(xs, 'partialMatches');
    const pr = xs.reduce((a, s) => a + s.present, 0);
    console.log(
      `${label}: recall ${(t ? c / t : 1).toFixed(3)} (of rows still in the file: ${pr ? (Math.min(c, pr) / pr).toFixed(3) : '1.000'}, ${pr} of ${t})  ` +
        `precision ${(r ? (c + p) / r : 1).toFixed(3)} (exact ${(r ? c / r : 1).toFixed(3)})  ` +
        `(${c} of ${t} targets, ${p} partial, ${r} reported)  live rows reported as deleted: ${sum(xs, 'liveMisreported')} per key, ` +
        `${xs.reduce((a, s) => a + s.liveVerified, 0)} really live per SQLite`,
    );
  }
  for (const s of del) {
    for (const d of s.dbs) {
      if (d.missed.length)
        console.log(`  ${d.db.split('/').pop()}: ${d.missed.length} target row(s) not recovered`);
    }
  }
}

function timing(): void {
  const tmp = tempDir('reclaim-bench-carve-');
  try {
    const path = join(tmp.path, 'sms.db');
    const db = new Database(path);
    db.pragma('secure_delete = OFF');
    db.pragma('journal_mode = DELETE');
    db.exec(`CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, text TEXT,
      handle_id INTEGER DEFAULT 0, service TEXT, date INTEGER, date_read INTEGER, is_from_me INTEGER DEFAULT 0,
      attributedBody BLOB)`);
    const ins = db.prepare(
      'INSERT INTO message (guid, text, handle_id, service, date, date_read, is_from_me, attributedBody) VALUES (?,?,?,?,?,?,?,?)',
    );
    let seed = 1;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    let i = 0;
    while (statSync(path).size < 100e6 && i < 2e6) {
      db.transaction(() => {
        for (let k = 0; k < 20000; k++, i++) {
          const text =
            `msg ${i} ` + 'lorem ipsum dolor sit amet '.repeat(1 + Math.floor(rnd() * 8));
          ins.run(
            `guid-${i}-${Math.floor(rnd() * 1e9)}`,
            text,
            Math.floor(rnd() * 50),
            'iMessage',
            600000000000000000 + i * 1000000,
            0,
            i % 2,
            Buffer.alloc(Math.floor(rnd() * 64), i & 255),
          );
        }
      })();
    }
    const deleted = db.prepare('DELETE FROM message WHERE ROWID % 97 = 0').run().changes;
    db.close();
    const mb = statSync(path).size / 1e6;
    const rss0 = process.memoryUsage().rss;
    const times: number[] = [];
    let found = 0;
    for (let run = 0; run < 3; run++) {
      const t = performance.now();
      found = carveDatabase(path).records.length;
      times.push(performance.now() - t);
    }
    const rss = (process.memoryUsage().rss - rss0) / 1e6;
    console.log(
      `100 MB timing: ${mb.toFixed(1)} MB, ${i} rows, ${deleted} deleted; carve ${times.map((t) => (t / 1000).toFixed(2)).join(' / ')} s ` +
        `(best ${(Math.min(...times) / 1000).toFixed(2)} s), ${found} records, rss growth ${rss.toFixed(0)} MB`,
    );
  } finally {
    tmp.cleanup();
    rmSync(tmp.path, { recursive: true, force: true });
  }
}

export default async function main(): Promise<void> {
  corpusReport();
  timing();
}
