import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ExitCode, ReclaimError } from '../errors.js';
import { BackupOutputParser, type BackupProgress, type BackupReport } from './backup-output.js';
import { classifyToolOutput, DeviceError, failureMessage } from './errors.js';
import { runTool } from './tools.js';

export interface DeviceBackupOptions {
  udid: string;
  /** The folder idevicebackup2 writes into; the backup itself goes to OUT/UDID. */
  out: string;
  deviceLabel?: string;
  onProgress?: (progress: BackupProgress) => void;
  /** Lets the caller forward Ctrl-C to the tool (it then stops cleanly and says "Backup Aborted."). */
  onSpawn?: (child: ChildProcess) => void;
}

export interface DeviceBackupResult {
  folder: string;
  report: BackupReport;
}

/** Runs `idevicebackup2 -u UDID backup --full OUT`, reading its progress; throws a DeviceError on failure. */
export async function backupDevice(options: DeviceBackupOptions): Promise<DeviceBackupResult> {
  const out = resolve(options.out);
  mkdirSync(out, { recursive: true });
  const folder = join(out, options.udid);
  const parser = new BackupOutputParser(options.onProgress);
  const result = await runTool('idevicebackup2', ['-u', options.udid, 'backup', '--full', out], {
    onStdout: (chunk) => parser.push(chunk),
    onSpawn: options.onSpawn,
  });
  const report = parser.end();
  const text = `${result.stdout}\n${result.stderr}`;
  const label = options.deviceLabel ?? 'The device';
  if (report.outcome === 'success') return { folder, report };

  const partial = existsSync(folder)
    ? `The partial backup is kept in ${folder} (its Status.plist does not say finished, so a restore will not use it): run the same \`reclaim backup\` again with the device unlocked and connected to make a complete one; \`reclaim files\` can already read what arrived.`
    : 'Nothing was written yet.';
  const interrupted =
    report.outcome === 'aborted' || result.signal !== null || /Exiting\.\.\./.test(result.stderr);
  if (interrupted || report.cancelledOnDevice) {
    const where = report.cancelledOnDevice ? 'on the device' : 'before it finished';
    throw new DeviceError(
      'interrupted',
      `${failureMessage('interrupted', label, `${where} at ${Math.round(report.percent)}%`)} ${partial}`,
    );
  }
  const known = classifyToolOutput(text);
  if (known) {
    const message = failureMessage(known.failure, label, known.detail);
    throw new DeviceError(
      known.failure,
      known.failure === 'disk-full' ? `${message} ${partial}` : message,
    );
  }
  if (report.outcome === 'failed' || report.errorCode !== null) {
    const why = report.errorText
      ? `the device reported error ${report.errorCode}: ${report.errorText}`
      : `idevicebackup2 error code ${report.errorCode ?? result.code}`;
    throw new DeviceError(
      'backup-failed',
      `${failureMessage('backup-failed', label, why)} ${partial}`,
    );
  }
  // The tool stopped without saying why (unplugged cable, crash): treat it as interrupted.
  throw new DeviceError(
    'interrupted',
    `${failureMessage('interrupted', label, `at ${Math.round(report.percent)}% (the connection was lost)`)} ${partial}`,
  );
}

/**
 * idevicebackup2 reads passwords in interactive mode (-i) one character at a time from stdin with getchar(),
 * keeping only printable ASCII (isprint) and stopping at a newline, up to 255 characters. Anything else would
 * be dropped silently and set a password other than the one meant, so such passwords are refused.
 */
export function checkToolPassword(password: string, what: string): void {
  if (password.length === 0) throw new ReclaimError(`The ${what} is empty.`, ExitCode.usage);
  if (password.length > 255)
    throw new ReclaimError(
      `The ${what} is longer than the 255 characters idevicebackup2 accepts.`,
      ExitCode.usage,
    );
  if (!/^[\x20-\x7e]+$/.test(password)) {
    throw new ReclaimError(
      `The ${what} has characters idevicebackup2 cannot type for you (only printable ASCII: letters, digits, punctuation, spaces): it would silently set a different password. Set this one in Finder, iTunes or Apple Devices instead.`,
      ExitCode.usage,
    );
  }
}

export type EncryptionChange =
  | { action: 'enable'; newPassword: string }
  | { action: 'change'; oldPassword: string; newPassword: string };

/**
 * Turns backup encryption on, or changes the backup password, through idevicebackup2's interactive prompts:
 * the passwords go to its stdin (a pipe), never onto a command line that `ps` shows, and its prompts and
 * the '*' it echoes per character are swallowed.
 */
export async function changeEncryption(
  udid: string,
  change: EncryptionChange,
  deviceLabel = 'The device',
): Promise<void> {
  checkToolPassword(change.newPassword, 'new backup password');
  let args: string[];
  let input: string;
  if (change.action === 'enable') {
    // "Enter new backup password" then "(repeat)".
    args = ['-u', udid, '-i', 'encryption', 'on'];
    input = `${change.newPassword}\n${change.newPassword}\n`;
  } else {
    checkToolPassword(change.oldPassword, 'current backup password');
    // "Enter old backup password", "Enter new backup password", "(repeat)".
    args = ['-u', udid, '-i', 'changepw'];
    input = `${change.oldPassword}\n${change.newPassword}\n${change.newPassword}\n`;
  }
  // A prompt that found no more input would spin on EOF: the timeout ends it.
  const result = await runTool('idevicebackup2', args, { input, timeoutMs: 120_000 });
  const text = `${result.stdout}\n${result.stderr}`;
  if (/has been enabled successfully|password has been changed successfully/i.test(text)) return;
  const known = classifyToolOutput(text);
  if (known)
    throw new DeviceError(known.failure, failureMessage(known.failure, deviceLabel, known.detail));
  if (
    /Could not (enable backup encryption|change backup encryption password)|ErrorCode \d+/i.test(
      text,
    )
  ) {
    throw new DeviceError('password-rejected', failureMessage('password-rejected', deviceLabel));
  }
  if (/passwords don't match/i.test(text))
    throw new DeviceError(
      'password-rejected',
      'idevicebackup2 read the two copies of the new password differently; nothing was changed.',
    );
  throw new DeviceError(
    'backup-failed',
    `idevicebackup2 did not confirm the change (exit status ${result.code ?? result.signal}); nothing is known to have changed.`,
  );
}
