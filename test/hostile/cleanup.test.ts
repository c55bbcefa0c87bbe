// Hostile backups, part 2: decrypted data never outlives the run (signals, kills, crashes, the UI server).
import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildDemoContent } from '../../demo/src/index.js';
import { ExitCode } from '../../src/errors.js';
import { writeBackup } from '../support/backups.js';
import {
  filesUnder,
  leftInTmp,
  reclaim,
  repoRoot,
  snapshot,
  tempDir,
  usesBuiltCli,
} from './harness.js';
import { login, raw } from '../ui/helpers.js';

const PASSWORD = 'hostile-pw';
let area: { path: string; cleanup: () => void };
let encrypted: string;
let plain: string;

before(async () => {
  area = tempDir('reclaim-hostile-');
  const content = buildDemoContent({ only: ['messages', 'contacts', 'notes', 'calls'] });
  encrypted = join(area.path, 'encrypted');
  plain = join(area.path, 'plain');
  await writeBackup(encrypted, content, { password: PASSWORD });
  await writeBackup(plain, content);
});
after(() => area.cleanup());

let runs = 0;
const freshTmp = () => {
  const dir = join(area.path, `tmp-${runs++}`);
  mkdirSync(dir);
  return dir;
};

/** Decrypted files in a private TMPDIR (the owner file is not one). */
const plaintextIn = (tmp: string) => filesUnder(tmp).filter((f) => !f.endsWith('owner.json'));

/** Calls `then` as soon as decrypted data exists under `tmp` (or after `limitMs`). */
function whenPlaintext(tmp: string, then: (seen: boolean) => void, limitMs = 20_000): void {
  const until = Date.now() + limitMs;
  const poll = () => {
    if (plaintextIn(tmp).length) return then(true);
    if (Date.now() > until) return then(false);
    setTimeout(poll, 5);
  };
  poll();
}

const SIGNAL_CODES: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

test('point 2: SIGINT, SIGTERM and SIGHUP at several moments of an export leave no plaintext', async () => {
  const source = snapshot(encrypted);
  let caughtWithPlaintext = 0;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    for (const moment of ['at once', 'plaintext there', '150 ms later'] as const) {
      const tmp = freshTmp();
      let modes: number[] = [];
      let seen = false;
      const send = (child: ChildProcess) => {
        if (moment === 'at once') return void child.kill(signal);
        whenPlaintext(tmp, (there) => {
          seen = there;
          const root = readdirSync(tmp).find((n) => n.startsWith('reclaim-work-'));
          if (root) modes.push(statSync(join(tmp, root)).mode & 0o777);
          setTimeout(() => child.kill(signal), moment === 'plaintext there' ? 0 : 150);
        });
      };
      const out = join(area.path, `out-${runs}`);
      const result = await reclaim(
        ['export', encrypted, out, '--only', 'messages,contacts,notes,calls'],
        { tmp, env: { RECLAIM_PASSWORD: PASSWORD }, timeoutMs: 60_000, onSpawn: send },
      );
      const what = `${signal} ${moment}: ${result.stderr}`;
      assert.equal(result.timedOut, false, what);
      // Stopped by the signal, or (when it came after the end) finished normally.
      assert.ok(
        result.status === SIGNAL_CODES[signal] || result.status === 0 || result.signal === signal,
        `${what} (status ${result.status}, signal ${result.signal})`,
      );
      if (result.status === SIGNAL_CODES[signal])
        assert.match(
          result.stderr,
          new RegExp(`stopped \\(${signal}\\); private temporary files removed`),
        );
      assert.doesNotMatch(result.stderr, /\n\s+at /, what);
      assert.deepEqual(await leftInTmp(tmp), [], `nothing left in TMPDIR: ${what}`);
      if (seen && result.status !== 0) caughtWithPlaintext++;
      for (const mode of modes) assert.equal(mode, 0o700, 'the private folder is 0700');
      modes = [];
    }
  }
  assert.ok(
    caughtWithPlaintext >= 3,
    `signals came while plaintext existed (${caughtWithPlaintext})`,
  );
  assert.deepEqual([...snapshot(encrypted)], [...source], 'the source is unchanged');
});

test('point 2: a kill no handler sees (SIGKILL) still leaves no plaintext', async () => {
  for (let i = 0; i < 2; i++) {
    const tmp = freshTmp();
    let seen = false;
    const result = await reclaim(
      ['export', encrypted, join(area.path, `out-${runs}`), '--only', 'messages,contacts'],
      {
        tmp,
        env: { RECLAIM_PASSWORD: PASSWORD },
        timeoutMs: 60_000,
        onSpawn: (child) =>
          whenPlaintext(tmp, (there) => {
            seen = there;
            child.kill('SIGKILL');
          }),
      },
    );
    assert.equal(result.signal, 'SIGKILL', result.stderr);
    assert.ok(seen, 'killed while plaintext existed');
    assert.deepEqual(await leftInTmp(tmp, 10_000), [], 'the guard process removed it');
  }
});

test('point 2: at start-up, private folders of runs that no longer exist are removed, and said', async () => {
  const tmp = freshTmp();
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
  const stale = join(tmp, 'reclaim-work-stale1');
  mkdirSync(join(stale, 'w-1'), { recursive: true });
  writeFileSync(join(stale, 'owner.json'), JSON.stringify({ pid: dead, host: hostname() }));
  writeFileSync(join(stale, 'w-1', 'sms.db'), 'decrypted leftovers');
  // Alive owner, another host, no owner file: not this run's to remove.
  const keep = ['reclaim-work-alive', 'reclaim-work-remote', 'reclaim-work-unowned'];
  for (const name of keep) mkdirSync(join(tmp, name));
  writeFileSync(
    join(tmp, keep[0]!, 'owner.json'),
    JSON.stringify({ pid: process.pid, host: hostname() }),
  );
  writeFileSync(
    join(tmp, keep[1]!, 'owner.json'),
    JSON.stringify({ pid: dead, host: 'elsewhere' }),
  );
  const result = await reclaim(['info', plain], { tmp, timeoutMs: 60_000 });
  assert.equal(result.status, 0, result.stderr);
  assert.match(
    result.stderr,
    /^reclaim: removed 1 private temporary folder\(s\) of decrypted data left by earlier runs .*reclaim-work-stale1/m,
  );
  assert.equal(existsSync(stale), false);
  assert.deepEqual(readdirSync(tmp).sort(), keep);
});

test('point 2: stopping the UI server (SIGTERM, SIGHUP) removes the copies it read', async () => {
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    const tmp = freshTmp();
    let child: ChildProcess | null = null;
    let stdout = '';
    const running = reclaim(['ui', plain, '--no-open'], {
      tmp,
      timeoutMs: 90_000,
      onSpawn: (c) => {
        child = c;
        c.stdout!.on('data', (chunk: string | Buffer) => (stdout += chunk.toString()));
      },
    });
    const until = Date.now() + 60_000;
    while (!/token=/.test(stdout) && Date.now() < until)
      await new Promise((r) => setTimeout(r, 20));
    const launch = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(stdout)![0];
    const base = launch.replace(/\?token=.*/, '');
    const { headers } = await login(launch);
    const list = JSON.parse((await raw(`${base}api/backups`, { headers })).body.toString()) as {
      initial: string[];
    };
    const id = list.initial[0]!;
    const messages = await raw(`${base}api/backups/${id}/artifacts/messages`, {
      headers,
    });
    assert.equal(messages.status, 200);
    assert.ok(plaintextIn(tmp).length > 0, 'the server holds private copies while it runs');
    child!.kill(signal);
    const result = await running;
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(await leftInTmp(tmp), [], `${signal}: nothing left in TMPDIR`);
  }
});

test('point 2: an uncaught error removes the private folder and says so in one line', async () => {
  const tmp = freshTmp();
  const module = usesBuiltCli
    ? join(repoRoot, 'dist', 'workspace')
    : join(repoRoot, 'src', 'workspace');
  const ext = usesBuiltCli ? 'js' : 'ts';
  const script = join(area.path, `crash.${usesBuiltCli ? 'mjs' : 'mts'}`);
  writeFileSync(
    script,
    `import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPrivateFolder } from ${JSON.stringify(join(module, `private-temp.${ext}`))};
import { installShutdownHandlers } from ${JSON.stringify(join(module, `shutdown.${ext}`))};
installShutdownHandlers();
writeFileSync(join(createPrivateFolder(), 'sms.db'), 'plaintext');
setTimeout(() => { throw new Error('boom'); }, 10);
`,
  );
  const result = spawnSync(
    process.execPath,
    [...(usesBuiltCli ? [] : ['--import', 'tsx']), script],
    { env: { ...process.env, TMPDIR: tmp }, encoding: 'utf8', cwd: repoRoot, timeout: 60_000 },
  );
  assert.equal(result.status, ExitCode.failure, result.stderr);
  assert.equal(result.stderr, 'reclaim: unexpected error: boom\n');
  assert.deepEqual(await leftInTmp(tmp), []);
});
