import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { DeviceError, failureMessage } from './errors.js';

/** Where an executable is on PATH, or null (no shell is ever involved). */
export function findTool(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const dirs = (env['PATH'] ?? env['Path'] ?? '').split(delimiter).filter(Boolean);
  const exts =
    process.platform === 'win32' ? (env['PATHEXT'] ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        /* next */
      }
    }
  }
  return null;
}

export function requireTool(name: string): string {
  const path = findTool(name);
  if (!path)
    throw new DeviceError(
      'tool-missing',
      failureMessage('tool-missing', undefined, `${name} is not on PATH`),
    );
  return path;
}

export interface ToolResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Written to the tool's stdin, then stdin is closed (never on its command line). */
  input?: string;
  timeoutMs?: number;
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  onSpawn?: (child: ChildProcess) => void;
}

/** Runs a libimobiledevice tool with arguments as an array (no shell), collecting its output. */
export function runTool(
  name: string,
  args: string[],
  options: RunOptions = {},
): Promise<ToolResult> {
  const path = requireTool(name);
  return new Promise((resolveRun, reject) => {
    const child = spawn(path, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    options.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      options.onStderr?.(chunk);
    });
    const timer = options.timeoutMs
      ? setTimeout(() => child.kill('SIGTERM'), options.timeoutMs)
      : null;
    child.stdin.on('error', () => undefined); // the tool may exit before reading its input
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        reject(
          new DeviceError(
            'tool-missing',
            failureMessage('tool-missing', undefined, `${name} could not be started`),
          ),
        );
      else reject(error);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolveRun({ code, signal, stdout, stderr });
    });
  });
}
