import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { Backup } from '../../src/backup/backup.js';
import { buildPlan } from '../../src/password/candidates/plan.js';
import { take } from '../../src/password/candidates/source.js';
import { hcmaskLine, planAttacks, wordlistLine } from '../../src/password/hashcat/attacks.js';
import { parseOutfile, parseStatusLine } from '../../src/password/hashcat/run.js';
import { parseDeviceList, probeHashcat } from '../../src/password/hashcat/tool.js';
import type { Progress } from '../../src/password/engine.js';
import { recoverPassword, type StartInfo } from '../../src/password/recover.js';
import { PasswordWorkspace } from '../../src/password/workspace.js';
import { repoRoot, tempDir } from '../support/fixtures.js';
import { writeBackup } from '../support/backups.js';
import { lowDpicTarget, runCli } from './helpers/targets.js';

const BIN = join(repoRoot, 'test', 'password', 'bin');
const CLI = join(repoRoot, 'test', 'password', 'helpers', 'run-cli.ts');
const dir = tempDir('reclaim-hashcat-');
test.after(() => dir.cleanup());
let files = 0;

function wordlist(words: string[]): string {
  const path = join(dir.path, `words-${files++}.txt`);
  writeFileSync(path, `${words.join('\n')}\n`);
  return path;
}

interface Call {
  tool: string;
  argv: string[];
  cwd: string;
  files: Record<string, { mode: number; dirMode: number }>;
}

/** The stand-in hashcat first on PATH, in a scenario, logging its calls. */
function standin(scenario: string, password?: string) {
  const log = join(dir.path, `hashcat-${files++}.log`);
  const env: Record<string, string> = {
    PATH: `${BIN}${delimiter}${process.env['PATH']}`,
    RECLAIM_STANDIN_NODE: process.execPath,
    RECLAIM_STANDIN_HASHCAT: scenario,
    RECLAIM_STANDIN_LOG: log,
    ...(password !== undefined ? { RECLAIM_STANDIN_HASHCAT_PASSWORD: password } : {}),
  };
  const calls = (): Call[] =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Call)
      : [];
  return { env, calls, attacks: () => calls().filter((c) => c.argv.includes('-m')) };
}

const POCL_LIST = `OpenCL Info:
============

OpenCL Platform ID #1
  Vendor..: The pocl project
  Name....: Portable Computing Language

  Backend Device ID #1
    Type...........: CPU
    Vendor.........: AuthenticAMD
    Name...........: pthread-skylake-avx512-AMD EPYC
`;

test('hashcat output: device lists, status lines, outfiles; hcmask and wordlist escaping', () => {
  assert.deepEqual(parseDeviceList(POCL_LIST), [
    { name: 'pthread-skylake-avx512-AMD EPYC', type: 'CPU' },
  ]);
  const cuda =
    'CUDA Info:\n==========\n\nBackend Device ID #01\n  Name...........: NVIDIA H100\n\n';
  assert.deepEqual(parseDeviceList(cuda + POCL_LIST), [
    { name: 'NVIDIA H100', type: 'GPU' },
    { name: 'pthread-skylake-avx512-AMD EPYC', type: 'CPU' },
  ]);
  assert.deepEqual(
    parseDeviceList('ATTENTION! No OpenCL, Metal, HIP or CUDA installation found.'),
    [],
  );
  const line =
    '[s]tatus [p]ause => { "session": "hashcat", "status": 3, "progress": [5, 10], "devices": [ { "speed": 7 } ] }';
  assert.deepEqual(parseStatusLine(line), {
    session: 'hashcat',
    status: 3,
    progress: [5, 10],
    devices: [{ speed: 7 }],
  });
  assert.equal(parseStatusLine('Started: Thu Dec  3'), null);
  assert.equal(parseOutfile('pass:word\n'), 'pass:word');
  assert.equal(parseOutfile('$HEX[c3a4c3b6]\n'), 'äö');
  assert.equal(parseOutfile(''), null);
  assert.equal(hcmaskLine('?1?d,?d', ['ab,c', undefined, '?l\\']), 'ab\\,c,,?l\\\\,?1?d\\,?d');
  assert.equal(hcmaskLine('#?d', []), '\\#?d');
  assert.equal(wordlistLine('plain'), 'plain');
  assert.equal(wordlistLine('two\nlines'), '$HEX[74776f0a6c696e6573]');
  assert.equal(wordlistLine('$HEX[41]'), '$HEX[244845585b34315d]');
});

test('the plan becomes hashcat attacks in order; lists and masks go in files in the workspace', () => {
  const rules = join(dir.path, 'x.rule');
  writeFileSync(rules, ':\nc\n');
  const words = wordlist(['apple', 'pear']);
  const plan = buildPlan({
    remember: 'rex,1987',
    wordlists: [words],
    rulesFile: rules,
    mask: 'Rex?1?d',
    charsets: ['!.'],
    builtin: true,
  });
  const workspace = PasswordWorkspace.create();
  try {
    const attacks = planAttacks(plan, workspace);
    assert.deepEqual(
      attacks.map((a) => [
        a.mode,
        a.options,
        a.input.startsWith(workspace.dir) ? 'workspace' : a.input,
      ]),
      [
        [0, [], 'workspace'],
        [0, ['-r', rules], words],
        [0, [], 'workspace'],
        [3, [], 'workspace'],
      ],
    );
    assert.deepEqual(
      readFileSync(attacks[0]!.input, 'utf8').split('\n').slice(0, -1),
      take(plan.parts[0]!.source),
    );
    assert.equal(readFileSync(attacks[3]!.input, 'utf8'), '!.,Rex?1?d\n');
    assert.deepEqual(
      attacks.map((a) => a.size),
      plan.parts.map((p) => p.source.size),
    );
  } finally {
    workspace.dispose();
  }
  assert.equal(existsSync(workspace.dir), false);
});

test('without --engine, a long search goes to the GPU hashcat sees; its progress comes back', async () => {
  const { target } = lowDpicTarget('Zq7!x', null, 10_000);
  const hashcat = standin('gpu', 'Zq7!x');
  const notices: string[] = [];
  const progress: Progress[] = [];
  let start: StartInfo | undefined;
  const result = await recoverPassword({
    target,
    plan: { mask: '?a?a?a?a?a' },
    sessionPath: join(dir.path, 'session.json'),
    env: { ...process.env, ...hashcat.env },
    onNotice: (line) => notices.push(line),
    onStart: (info) => (start = info),
    onProgress: (p) => progress.push(p),
  });
  assert.deepEqual([result.found, result.password], [true, 'Zq7!x']);
  assert.match(
    notices.join('\n'),
    /hashcat sees a GPU \(NVIDIA GeForce RTX 4090\): handing it to hashcat/,
  );
  assert.equal(start?.engine, 'hashcat');
  assert.match(start!.backend, /hashcat v6\.2\.6 \(mode 14700\) on NVIDIA GeForce RTX 4090/);
  assert.ok(progress.some((p) => p.position === 500 && p.total === 1000 && p.rate === 861));
  const [attack] = hashcat.attacks();
  assert.ok(attack);
  assert.deepEqual(attack.argv.slice(0, 4), ['-m', '14700', '-a', '3']);
  for (const flag of [
    '--status-json',
    '--potfile-disable',
    '--restore-disable',
    '--logfile-disable',
  ])
    assert.ok(attack.argv.includes(flag), flag);
  for (const [path, modes] of Object.entries(attack.files).filter(([p]) =>
    p.startsWith(attack.cwd),
  ))
    assert.deepEqual(modes, { mode: 0o600, dirMode: 0o700 }, path);
  assert.equal(existsSync(attack.cwd), false, 'workspace wiped');

  // A short search stays here, and so does one when hashcat sees no GPU.
  const cpuOnly = standin('cpu', 'Zq7!x');
  const local = await recoverPassword({
    target: lowDpicTarget('7', null, 100).target,
    plan: { mask: '?d' },
    sessionPath: join(dir.path, 'session2.json'),
    env: { ...process.env, ...cpuOnly.env },
  });
  assert.equal(local.password, '7');
  assert.deepEqual(cpuOnly.calls(), []);
});

test('--engine hashcat: remembered words go in a workspace list; the password never in argv', () => {
  const { line } = lowDpicTarget('Rex1987!', null, 100);
  const hashcat = standin('cpu', 'Rex1987!');
  const result = runCli(
    ['password', 'recover', '--hash', line, '--remember', 'rex,1987', '--engine', 'hashcat'],
    hashcat.env,
  );
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, 'Password found: Rex1987!\n');
  assert.match(result.stderr, /Handing [\d,]+ candidates \(remembered words\) to hashcat v6\.2\.6/);
  const [attack] = hashcat.attacks();
  assert.ok(attack);
  assert.ok(!attack.argv.some((a) => /rex|1987/i.test(a)), attack.argv.join(' '));
  assert.equal(existsSync(attack.cwd), false);
});

test('a missing or failing hashcat is one line, then the built-in engine finds it', () => {
  const { line } = lowDpicTarget('31', null, 100);
  const args = ['password', 'recover', '--hash', line, '--mask', '?d?d', '--engine', 'hashcat'];
  const missing = runCli(args, { PATH: dir.path });
  assert.equal(missing.status, 0, missing.stderr);
  assert.match(missing.stderr, /^hashcat is not installed .*: using the built-in engine\.$/m);
  assert.equal(missing.stdout, 'Password found: 31\n');

  const failing = standin('fail');
  const failed = runCli(args, failing.env);
  assert.equal(failed.status, 0, failed.stderr);
  assert.match(
    failed.stderr,
    /^hashcat failed on mask \?d\?d \(No devices found\/left\): going on with the built-in engine\.$/m,
  );
  assert.equal(failed.stdout, 'Password found: 31\n');
  assert.equal(existsSync(failing.attacks()[0]!.cwd), false);

  const noDevice = runCli(args, standin('no-device').env);
  assert.match(
    noDevice.stderr,
    /hashcat finds no device to run on .*: using the built-in engine\./,
  );
  assert.equal(noDevice.stdout, 'Password found: 31\n');
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} during a hashcat run stops it and wipes the workspace`, async () => {
    const { line } = lowDpicTarget('x', null, 100);
    const hashcat = standin('hang');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        CLI,
        'password',
        'recover',
        '--hash',
        line,
        '--mask',
        '?d',
        '--engine',
        'hashcat',
      ],
      { env: { ...process.env, ...hashcat.env }, cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    while (hashcat.attacks().length === 0) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500));
    const workspace = hashcat.attacks()[0]!.cwd;
    assert.equal(existsSync(workspace), true);
    child.kill(signal);
    const [code, killedBy] = await new Promise<[number | null, string | null]>((r) =>
      child.on('close', (c, s) => r([c, s])),
    );
    assert.equal(existsSync(workspace), false, `workspace left after ${signal}: ${stderr}`);
    if (signal === 'SIGINT') {
      assert.equal(code, 130, stderr);
      assert.match(stderr, /Stopped after/);
    } else assert.equal(killedBy ?? String(code), 'SIGTERM');
  });
}

test('Debian hashcat (pocl) cracks a pre-10.2 backup from a small wordlist, and it unlocks', async (t) => {
  const probe = probeHashcat();
  if (typeof probe === 'string') return t.skip(`real hashcat not usable: ${probe}`);
  const backup = join(dir.path, 'pre-10.2');
  await writeBackup(
    backup,
    [{ domain: 'HomeDomain', relativePath: 'Library/Notes/note.txt', data: Buffer.from('kept\n') }],
    { password: 'dragon42', keyDerivation: { iterations: 10_000, dpic: null } },
  );
  const words = wordlist(['letmein', 'dragon', 'dragon42', 'monkey']);
  const result = runCli(
    ['password', 'recover', backup, '--wordlist', words, '--engine', 'hashcat', '--no-keychain'],
    { RECLAIM_PLATFORM: 'linux' },
  );
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /to hashcat v\S+ \(mode 14700\)/);
  assert.equal(result.stdout, 'Password found: dragon42\n');
  const opened = Backup.open(backup);
  await opened.unlock({ password: 'dragon42' });
  const entry = opened.find('HomeDomain', 'Library/Notes/note.txt')!;
  assert.equal((await opened.readEntry(entry)).toString(), 'kept\n');
  assert.equal(spawnSync('hashcat', ['--version']).status, 0);
});
