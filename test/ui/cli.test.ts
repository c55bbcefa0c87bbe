import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../support/fixtures.js';
import { raw } from './helpers.js';

describe('reclaim ui (the command)', () => {
  it('prints a 127.0.0.1 link with a token, answers 401 without it, and stops cleanly', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts'), 'ui', '--no-open'],
      {
        cwd: repoRoot,
        env: { ...process.env, HOME: join(repoRoot, 'demo') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const found = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=[\w-]+/.exec(stdout);
        if (found) resolve(found[0]);
      });
      child.once('exit', (code) =>
        reject(new Error(`reclaim ui exited early (${code}): ${stdout}`)),
      );
    });
    try {
      const base = url.replace(/\?token=.*/, '');
      assert.equal((await raw(`${base}api/backups`)).status, 401);
      const first = await raw(url);
      assert.equal(first.status, 302);
      const cookie = String(first.headers['set-cookie']).split(';')[0]!;
      const key = /#key=([\w-]+)$/.exec(String(first.headers['location']))?.[1] ?? '';
      const list = await raw(`${base}api/backups`, { headers: { cookie, 'x-reclaim-key': key } });
      assert.equal(list.status, 200);
      assert.ok(
        JSON.parse(list.body.toString()).backups.some((b: { demo: boolean }) => b.demo),
        'the demo backup is offered',
      );
    } finally {
      const exited = new Promise<number | null>((resolve) =>
        child.once('exit', (code) => resolve(code)),
      );
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    }
  });

  it('refuses a bad --port with a clear error', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repoRoot, 'src', 'cli', 'main.ts'),
        'ui',
        '--no-open',
        '--port',
        'eighty',
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 2);
    assert.match(stderr, /--port needs a port number/);
  });
});
