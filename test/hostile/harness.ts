import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import createBplist from 'bplist-creator';
import { readPlistDict } from '../../src/backup/plist.js';
import { repoRoot, tempDir } from '../support/fixtures.js';

export { repoRoot, tempDir };

/**
 * How the hostile tests run Reclaim: as a user would, a child process, under a time limit, with a
 * private TMPDIR. The built CLI (dist/, `npm run build`) is used when it is newer than every source
 * file; otherwise the sources run through tsx (slower, same behaviour).
 */
function newestSource(dir: string): number {
  let newest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, item.name);
    newest = Math.max(
      newest,
      item.isDirectory()
        ? newestSource(path)
        : item.name.endsWith('.ts')
          ? statSync(path).mtimeMs
          : 0,
    );
  }
  return newest;
}

const builtCli = join(repoRoot, 'dist', 'cli', 'main.js');
export const usesBuiltCli =
  existsSync(builtCli) && statSync(builtCli).mtimeMs >= newestSource(join(repoRoot, 'src'));
const cliArgs = usesBuiltCli
  ? [builtCli]
  : ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts')];

export interface RunResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  ms: number;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  /** The child's TMPDIR (a fresh private folder the test checks afterwards). */
  tmp: string;
  timeoutMs?: number;
  cwd?: string;
  /** Called once the child runs, to send it signals. */
  onSpawn?: (child: ChildProcess) => void;
}

/** Runs `reclaim ARGS` as a child process; a run past the time limit is killed and reported. */
export function reclaim(args: string[], options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...cliArgs, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: {
        ...process.env,
        RECLAIM_PASSWORD: undefined,
        RECLAIM_DEBUG: undefined,
        ...options.env,
        TMPDIR: options.tmp,
        TMP: options.tmp,
        TEMP: options.tmp,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 60_000);
    options.onSpawn?.(child);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, timedOut, ms: Date.now() - started });
    });
  });
}

/**
 * Everything under `dir` (folders, files by content hash, links by target, pipes by kind), without
 * following links or opening pipes: before and after a run, it shows what changed.
 */
export function snapshot(dir: string, skip: string[] = []): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (skip.includes(full)) continue;
      const key = relative(dir, full);
      const s = lstatSync(full);
      if (s.isSymbolicLink()) out.set(key, `link ${readlinkSync(full)}`);
      else if (s.isDirectory()) {
        out.set(key, 'dir');
        walk(full);
      } else if (s.isFile())
        out.set(key, createHash('sha256').update(readFileSync(full)).digest('hex'));
      else out.set(key, `special ${s.mode.toString(8)}`);
    }
  };
  walk(dir);
  return out;
}

/** Files left anywhere under a folder (empty folders do not count: there is nothing in them). */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return [...snapshot(dir)].filter(([, kind]) => kind !== 'dir').map(([path]) => path);
}

/** Waits (briefly) for the guard process to empty the private TMPDIR, then says what is left. */
export async function leftInTmp(tmp: string, waitMs = 5000): Promise<string[]> {
  const until = Date.now() + waitMs;
  for (;;) {
    const left = existsSync(tmp) ? readdirSync(tmp) : [];
    if (left.length === 0 || Date.now() > until) return left;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A scratch area for one hostile run: `area` holds the source and everything else; OUT and the child's
 * TMPDIR are inside it. `check` runs the CLI and asserts the promises every hostile run must keep.
 */
export class Scene {
  readonly area: string;
  readonly tmp: string;
  private readonly cleanupArea: () => void;

  constructor() {
    const t = tempDir('reclaim-hostile-');
    this.area = t.path;
    this.cleanupArea = t.cleanup;
    this.tmp = join(this.area, 'tmp');
    mkdirSync(this.tmp);
  }

  path(...parts: string[]): string {
    return join(this.area, ...parts);
  }

  /**
   * Runs reclaim and checks: no time-out, the exit code, the message (one line, no stack trace), that
   * nothing outside `out` changed (the source included, byte for byte), and that the private TMPDIR
   * is empty afterwards.
   */
  async check(
    args: string[],
    expect: {
      code: number;
      /** A line of stderr (or stdout) that must be there. */
      message?: RegExp;
      out?: string;
      env?: Record<string, string | undefined>;
      timeoutMs?: number;
    },
  ): Promise<RunResult> {
    const skip = [this.tmp, ...(expect.out ? [expect.out] : [])];
    const before = snapshot(this.area, skip);
    const result = await reclaim(args, {
      tmp: this.tmp,
      env: expect.env,
      timeoutMs: expect.timeoutMs,
    });
    const context = `reclaim ${args.join(' ')}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`;
    assert.equal(result.timedOut, false, `timed out after ${result.ms} ms: ${context}`);
    assert.equal(result.status, expect.code, `exit code: ${context}`);
    assert.doesNotMatch(result.stderr, /\n\s+at /, `no stack trace: ${context}`);
    assert.doesNotMatch(result.stderr, /\[xmldom/, `no parser noise: ${context}`);
    if (expect.message) {
      const lines = `${result.stderr}\n${result.stdout}`.split('\n');
      assert.ok(
        lines.some((line) => expect.message!.test(line)),
        `a line matching ${expect.message}: ${context}`,
      );
    }
    assert.deepEqual(
      [...snapshot(this.area, skip)],
      [...before],
      `nothing outside OUT changed: ${context}`,
    );
    assert.deepEqual(await leftInTmp(this.tmp), [], `private TMPDIR left empty: ${context}`);
    return result;
  }

  cleanup(): void {
    this.cleanupArea();
  }
}

/** Runs `body` with a fresh scene, cleaned up afterwards. */
export async function inScene<T>(body: (scene: Scene) => Promise<T>): Promise<T> {
  const scene = new Scene();
  try {
    return await body(scene);
  } finally {
    scene.cleanup();
  }
}

export function mkfifo(path: string): void {
  const made = spawnSync('mkfifo', [path]);
  if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr}`);
}

export const hasMkfifo =
  process.platform !== 'win32' && spawnSync('mkfifo', ['--version']).error === undefined;

/** The keybag's TLV records, in order. */
export function keybagRecords(bag: Buffer): { tag: string; value: Buffer }[] {
  const records: { tag: string; value: Buffer }[] = [];
  for (let o = 0; o + 8 <= bag.length;) {
    const length = bag.readUInt32BE(o + 4);
    records.push({
      tag: bag.toString('latin1', o, o + 4),
      value: bag.subarray(o + 8, o + 8 + length),
    });
    o += 8 + length;
  }
  return records;
}

export function keybagBytes(records: { tag: string; value: Buffer }[]): Buffer {
  return Buffer.concat(
    records.flatMap(({ tag, value }) => {
      const head = Buffer.alloc(8);
      head.write(tag, 0, 'latin1');
      head.writeUInt32BE(value.length, 4);
      return [head, value];
    }),
  );
}

export const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
};

/** Rewrites the keybag in a backup's Manifest.plist. */
export function editKeybag(
  backupDir: string,
  edit: (records: { tag: string; value: Buffer }[]) => void,
): void {
  const path = join(backupDir, 'Manifest.plist');
  const manifest = readPlistDict(path, 'Manifest.plist');
  const records = keybagRecords(manifest['BackupKeyBag'] as Buffer);
  edit(records);
  manifest['BackupKeyBag'] = keybagBytes(records);
  writeFileSync(path, createBplist(manifest));
}

/** A binary plist written by hand: objects (already encoded, marker first) with 2-byte references. */
export function binaryPlist(objects: Buffer[], top = 0): Buffer {
  const header = Buffer.from('bplist00', 'latin1');
  const offsets: number[] = [];
  let position = header.length;
  for (const object of objects) {
    offsets.push(position);
    position += object.length;
  }
  const table = Buffer.alloc(objects.length * 4);
  offsets.forEach((o, i) => table.writeUInt32BE(o, i * 4));
  const trailer = Buffer.alloc(32);
  trailer[6] = 4; // offset size
  trailer[7] = 2; // reference size
  trailer.writeBigUInt64BE(BigInt(objects.length), 8);
  trailer.writeBigUInt64BE(BigInt(top), 16);
  trailer.writeBigUInt64BE(BigInt(position), 24);
  return Buffer.concat([header, ...objects, table, trailer]);
}

/** A bplist array or dictionary marker with its length, then 2-byte references. */
export function collection(kind: 'array' | 'dict', refs: number[]): Buffer {
  const type = kind === 'array' ? 0xa0 : 0xd0;
  const count = kind === 'dict' ? refs.length / 2 : refs.length;
  const head =
    count < 15
      ? Buffer.from([type | count])
      : Buffer.from([type | 0xf, 0x11, count >> 8, count & 0xff]);
  const body = Buffer.alloc(refs.length * 2);
  refs.forEach((r, i) => body.writeUInt16BE(r, i * 2));
  return Buffer.concat([head, body]);
}

export const asciiObject = (text: string): Buffer =>
  Buffer.concat([
    Buffer.from([0x50 | Math.min(text.length, 15)]),
    ...(text.length >= 15 ? [Buffer.from([0x10, text.length])] : []),
    Buffer.from(text, 'latin1'),
  ]);

/**
 * The plist bomb of the issue: a dictionary whose one value is an array holding the next array twice,
 * `levels` deep; 200 bytes that stand for 2^levels entries when references are followed as copies.
 */
export function plistBomb(levels: number, key = 'Bomb'): Buffer {
  // Objects: 0 the top dict, 1 the key, 2 the leaf string, 3.. the arrays (3 is the outermost).
  const objects: Buffer[] = [collection('dict', [1, 3]), asciiObject(key), asciiObject('x')];
  for (let level = 0; level < levels; level++) {
    const next = level === levels - 1 ? 2 : 3 + level + 1;
    objects.push(collection('array', [next, next]));
  }
  return binaryPlist(objects);
}

const uidObject = (uid: number): Buffer => Buffer.from([0x80, uid]);

/**
 * An NSKeyedArchiver archive (a Manifest.db file record) whose Target field leads to a plist bomb
 * `levels` deep.
 */
export function archiveBomb(levels: number): Buffer {
  // 0 top, 1 "$objects", 2 "$top", 3 the objects array [$null, root, bomb], 4 the $top dict,
  // 5 "root", 6 UID 1, 7 "$null", 8 the root object, 9 "Target", 10 UID 2, 11.. the arrays.
  const objects: Buffer[] = [
    collection('dict', [1, 2, 3, 4]),
    asciiObject('$objects'),
    asciiObject('$top'),
    collection('array', [7, 8, 11]),
    collection('dict', [5, 6]),
    asciiObject('root'),
    uidObject(1),
    asciiObject('$null'),
    collection('dict', [9, 10]),
    asciiObject('Target'),
    uidObject(2),
  ];
  for (let level = 0; level < levels; level++) {
    const next = level === levels - 1 ? 7 : 11 + level + 1;
    objects.push(collection('array', [next, next]));
  }
  return binaryPlist(objects);
}

/** Replaces one file of generated content (a database, say) by what `edit` makes of it. */
export function editContent<T extends { relativePath: string; data?: Buffer }>(
  content: T[],
  relativePath: string,
  edit: (data: Buffer) => Buffer,
): void {
  const file = content.find((f) => f.relativePath === relativePath);
  if (!file?.data) throw new Error(`no ${relativePath} in the content`);
  file.data = edit(file.data);
}
