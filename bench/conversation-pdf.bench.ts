// One conversation as a PDF: `reclaim export --conversation … --format pdf` on a 10,000-message chat, run with
// the V8 heap capped (so running out of memory fails it), its peak memory against a 1,000-message chat's
// measured in the same run: pages are streamed out as they fill, so memory must stay about flat.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSmsDb, type SmsMessageSpec } from '../demo/src/sms-db.js';
import { BackupWriter } from '../src/backup/writer.js';

const HEAP_MB = 96;
const TIME = '/usr/bin/time';

async function chatBackup(dir: string, count: number): Promise<void> {
  const messages: SmsMessageSpec[] = [];
  const start = Date.parse('2023-01-01T00:00:00Z');
  for (let i = 1; i <= count; i++)
    messages.push({
      rowid: i,
      chatRowid: 1,
      handleRowid: i % 3 === 0 ? 0 : 1,
      date: new Date(start + i * 7 * 60_000).toISOString(),
      text: `Message ${i}: ${'the quick brown fox jumps over the lazy dog '.repeat(1 + (i % 6))}`,
      textColumn: i % 2 === 0,
      ...(i % 250 === 0
        ? {
            edits: [
              {
                text: `Message ${i} first draft`,
                date: new Date(start + i * 7 * 60_000).toISOString(),
              },
            ],
            editedAt: new Date(start + i * 7 * 60_000 + 30_000).toISOString(),
          }
        : {}),
    });
  const writer = await BackupWriter.create(dir, {});
  writer.add({
    domain: 'HomeDomain',
    relativePath: 'Library/SMS/sms.db',
    data: buildSmsDb('ios17', {
      handles: [{ rowid: 1, id: '+14155550100' }],
      chats: [{ rowid: 1, identifier: '+14155550100', handleRowids: [1] }],
      attachments: [],
      messages,
    }),
  });
  await writer.finish();
}

function exportPdf(
  backup: string,
  out: string,
): { ok: boolean; seconds: number; peakMb: number | null; tail: string } {
  const cli = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');
  const args = [
    `--max-old-space-size=${HEAP_MB}`,
    cli,
    'export',
    backup,
    out,
    '--only',
    'messages',
    '--conversation',
    '+14155550100',
    '--format',
    'pdf',
  ];
  const timed = existsSync(TIME);
  const t = performance.now();
  const run = timed
    ? spawnSync(TIME, ['-v', process.execPath, ...args], { encoding: 'utf8' })
    : spawnSync(process.execPath, args, { encoding: 'utf8' });
  const seconds = (performance.now() - t) / 1000;
  const peak = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr ?? '');
  return {
    ok: run.status === 0,
    seconds,
    peakMb: peak ? Number(peak[1]) / 1024 : null,
    tail: `${run.stdout}\n${run.stderr}`.trim().split('\n').slice(-5).join('\n'),
  };
}

export default async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'reclaim-bench-pdf-'));
  try {
    const figures: string[] = [];
    for (const count of [1_000, 10_000]) {
      const backup = join(dir, `b${count}`, '00008110-0000BENCH0000002');
      await chatBackup(backup, count);
      const out = join(dir, `out${count}`);
      const r = exportPdf(backup, out);
      if (!r.ok) {
        console.log(
          `${count}-message conversation: FAILED (heap capped at ${HEAP_MB} MB)\n${r.tail}`,
        );
        continue;
      }
      const name = readdirSync(out).find((f) => f.endsWith('.pdf'));
      const pdf = name ? join(out, name) : null;
      const size = pdf ? `${(statSync(pdf).size / 1e6).toFixed(1)} MB` : 'size unknown';
      figures.push(
        `${count.toLocaleString('en')}-message conversation as a PDF: ${size} in ${r.seconds.toFixed(1)} s, peak memory ${r.peakMb === null ? 'not measured (no /usr/bin/time)' : `${r.peakMb.toFixed(0)} MB`} (V8 heap capped at ${HEAP_MB} MB)${count === 1_000 ? ' — reference' : ''}`,
      );
    }
    for (const f of figures) console.log(f);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
