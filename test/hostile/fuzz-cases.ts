// Run by fuzz.test.ts in a worker thread with a memory limit: random and mutated bytes thrown at every
// reader of hostile binary formats. Each must answer (a value, or its own one-line error) in bounded time.
import { parentPort } from 'node:worker_threads';
import fc from 'fast-check';
import {
  decodeAttributedString,
  TypedstreamError,
} from '../../src/artifacts/messages/typedstream.js';
import { parseKeybag } from '../../src/backup/keybag.js';
import { createKeybag } from '../../src/backup/keybag-writer.js';
import { readMBFile } from '../../src/backup/mbfile.js';
import { readMbdb, serializeMbdb } from '../../src/backup/mbdb.js';
import { encodeKeyedArchive } from '../../src/backup/nskeyedarchiver.js';
import { parsePlist } from '../../src/backup/plist.js';
import { attributedBodyFor } from '../../demo/src/typedstream.js';
import { ReclaimError } from '../../src/errors.js';
import { asciiObject, binaryPlist, collection, plistBomb } from './harness.js';
import createBplist from 'bplist-creator';

const CALL_LIMIT_MS = 2_000;
const RUNS = Number(process.env['RECLAIM_FUZZ_RUNS'] ?? 300);

interface Reader {
  name: string;
  read: (data: Buffer) => unknown;
  /** The errors this reader may throw on bad input (anything else is a bug). */
  expected: (error: unknown) => boolean;
  seeds: Buffer[];
  prefix: Buffer;
}

const reclaimError = (e: unknown) => e instanceof ReclaimError;

function entry(i: number) {
  return {
    domain: 'HomeDomain',
    relativePath: `Library/f${i}.txt`,
    fileID: '0'.repeat(40),
    kind: 'file' as const,
    size: i * 100,
    mode: 0o100644,
    modified: 1_700_000_000 + i,
    created: 1_700_000_000,
    statusChanged: 1_700_000_000,
    protectionClass: 3,
    wrappedKey: i % 2 ? Buffer.alloc(44, i) : null,
    target: i === 2 ? 'Library/f1.txt' : null,
  };
}

async function readers(): Promise<Reader[]> {
  const keybag = (await createKeybag('x', { iterations: 1, dpic: 1 })).bytes;
  return [
    {
      name: 'binary plist',
      read: (data) => parsePlist(data, 'fuzz.plist'),
      expected: reclaimError,
      seeds: [
        createBplist({ a: [1, 2, { b: 'text', c: Buffer.from('data') }], d: new Date(0), e: true }),
        plistBomb(5),
      ],
      prefix: Buffer.from('bplist00'),
    },
    {
      name: 'XML plist',
      read: (data) => parsePlist(data, 'fuzz.plist'),
      expected: reclaimError,
      seeds: [
        Buffer.from(
          '<?xml version="1.0"?><plist version="1.0"><dict><key>a</key><array><integer>1</integer><string>x</string><data>AAEC</data></array></dict></plist>',
        ),
      ],
      prefix: Buffer.from('<?xml version="1.0"?><plist version="1.0">'),
    },
    {
      name: 'NSKeyedArchiver (Manifest.db file record)',
      read: readMBFile,
      expected: reclaimError,
      seeds: [
        encodeKeyedArchive('MBFile', ['NSObject'], {
          LastModified: 1,
          Size: 2,
          Mode: 0o100644,
          Target: 'x',
          EncryptionKey: Buffer.alloc(44, 1),
        }),
      ],
      prefix: Buffer.from('bplist00'),
    },
    {
      name: 'keybag',
      read: parseKeybag,
      expected: reclaimError,
      seeds: [keybag],
      prefix: keybag.subarray(0, 12),
    },
    {
      name: 'Manifest.mbdb',
      read: readMbdb,
      expected: reclaimError,
      seeds: [serializeMbdb([0, 1, 2, 3].map(entry))],
      prefix: Buffer.from('mbdb\x05\x00', 'latin1'),
    },
    {
      name: 'typedstream (attributedBody)',
      read: (data) => decodeAttributedString(data),
      expected: (e) => e instanceof TypedstreamError,
      seeds: [
        attributedBodyFor('Hello, world'),
        attributedBodyFor('a longer message 🙂 with emoji'),
      ],
      prefix: attributedBodyFor('x').subarray(0, 16),
    },
  ];
}

/** Applies byte overwrites, insertions and a cut to a seed. */
function mutate(seed: Buffer, edits: [number, number, number][], cut: number | null): Buffer {
  let bytes = Buffer.from(seed);
  for (const [kind, position, value] of edits) {
    const at = position % (bytes.length + 1);
    if (kind === 0 && at < bytes.length) bytes[at] = value;
    else if (kind === 1)
      bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([value]), bytes.subarray(at)]);
    else bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
  }
  return cut === null ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
}

/** Random binary plists with every reference pointing anywhere: sharing, loops, bad types. */
const plistGraphs = fc
  .integer({ min: 1, max: 24 })
  .chain((n) =>
    fc.array(
      fc.oneof(
        fc.array(fc.nat(n - 1), { maxLength: 6 }).map((refs) => collection('array', refs)),
        fc
          .array(fc.nat(n - 1), { maxLength: 6 })
          .map((refs) => collection('dict', refs.length % 2 ? refs.slice(1) : refs)),
        fc.string({ maxLength: 20 }).map((s) => asciiObject(s.replace(/[^\x20-\x7e]/g, '?'))),
        fc.integer({ min: 0, max: 255 }).map((v) => Buffer.from([0x10, v])),
        fc.uint8Array({ minLength: 1, maxLength: 9 }).map((b) => Buffer.from(b)),
      ),
      { minLength: n, maxLength: n },
    ),
  )
  .map((objects) => binaryPlist(objects));

function check(reader: Reader, data: Buffer): boolean {
  const started = performance.now();
  try {
    reader.read(data);
  } catch (error) {
    if (!reader.expected(error))
      throw new Error(
        `${reader.name}: unexpected ${(error as Error)?.name}: ${(error as Error)?.message}`,
      );
  }
  const ms = performance.now() - started;
  if (ms > CALL_LIMIT_MS)
    throw new Error(`${reader.name}: ${ms.toFixed(0)} ms on ${data.length} bytes`);
  return true;
}

const report: { name: string; runs: number }[] = [];
const startRss = process.memoryUsage().rss;
let peakRss = startRss;
for (const reader of await readers()) {
  const random = fc
    .tuple(fc.boolean(), fc.uint8Array({ maxLength: 600 }))
    .map(([prefixed, b]) => (prefixed ? Buffer.concat([reader.prefix, b]) : Buffer.from(b)));
  const mutated = fc
    .tuple(
      fc.constantFrom(...reader.seeds),
      fc.array(fc.tuple(fc.nat(2), fc.nat(), fc.nat(255)), { maxLength: 10 }),
      fc.option(fc.nat()),
    )
    .map(([seed, edits, cut]) => mutate(seed, edits, cut));
  const inputs =
    reader.name === 'binary plist'
      ? fc.oneof(random, mutated, plistGraphs)
      : fc.oneof(random, mutated);
  fc.assert(
    fc.property(inputs, (data) => {
      const ok = check(reader, data);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      return ok;
    }),
    { numRuns: RUNS },
  );
  report.push({ name: reader.name, runs: RUNS });
}
parentPort?.postMessage({ report, rssGrowth: peakRss - startRss });
