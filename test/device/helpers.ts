import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/fixtures.js';

export const STANDIN_BIN = join(repoRoot, 'test', 'device', 'bin');
export const STANDIN_UDID = '00008110-000A1C8E0C38801E';

/** Environment that puts only the stand-ins on PATH (the CLI itself runs from process.execPath). */
export function standinEnv(
  scenario: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    PATH: STANDIN_BIN,
    RECLAIM_STANDIN_NODE: process.execPath,
    RECLAIM_STANDIN_SCENARIO: scenario,
    ...extra,
  };
}

export interface LoggedCall {
  tool: string;
  argv: string[];
  stdin: string;
}

export function readLog(path: string): LoggedCall[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LoggedCall);
}

/** Runs the CLI, sends it SIGINT once `when` shows up in its stderr, and resolves with what it printed. */
export function runCliInterrupted(
  args: string[],
  env: Record<string, string>,
  when: RegExp,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts'), ...args],
      {
        env: { ...process.env, RECLAIM_PASSWORD: undefined, ...env },
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
      if (!sent && when.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.on('close', (status) => resolveRun({ status, stdout, stderr }));
  });
}
