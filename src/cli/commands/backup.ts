import type { ChildProcess } from 'node:child_process';
import type { Command } from 'commander';
import { Backup } from '../../backup/backup.js';
import { summarize } from '../../backup/describe.js';
import { defaultBackupRoots } from '../../backup/discover.js';
import { ExitCode, ReclaimError } from '../../errors.js';
import type { BackupProgress } from '../../device/backup-output.js';
import { backupDevice, changeEncryption, checkToolPassword } from '../../device/device-backup.js';
import { DeviceError, failureMessage } from '../../device/errors.js';
import { deviceInfo, listDevices, type DeviceInfo } from '../../device/libimobiledevice.js';
import { RESET_ALL_SETTINGS_PATH } from '../../device/password-guidance.js';
import { requireTool } from '../../device/tools.js';
import { promptHidden, readSecretFile } from '../credentials.js';
import { formatBytes } from '../output.js';
import { terminalBar } from '../progress.js';

interface BackupOptions {
  out?: string;
  udid?: string;
  encrypt?: boolean;
  changePassword?: boolean;
  passwordFile?: string;
  newPasswordFile?: string;
}

async function currentPassword(options: BackupOptions): Promise<string> {
  if (options.passwordFile) return readSecretFile(options.passwordFile, 'password');
  const fromEnv = process.env['RECLAIM_PASSWORD'];
  if (fromEnv !== undefined) return fromEnv;
  return promptHidden('Current backup password: ');
}

async function newPassword(options: BackupOptions): Promise<string> {
  if (options.newPasswordFile) return readSecretFile(options.newPasswordFile, 'new password');
  const fromEnv = process.env['RECLAIM_NEW_PASSWORD'];
  if (fromEnv !== undefined) return fromEnv;
  const first = await promptHidden('New backup password: ');
  checkToolPassword(first, 'new backup password');
  const again = await promptHidden('New backup password (again): ');
  if (first !== again)
    throw new ReclaimError('The two new passwords differ; nothing was changed.', ExitCode.usage);
  return first;
}

function label(info: DeviceInfo): string {
  return info.deviceName ?? info.model ?? 'The device';
}

async function chooseDevice(udid: string | undefined): Promise<string> {
  requireTool('idevice_id');
  requireTool('ideviceinfo');
  requireTool('idevicebackup2');
  const devices = await listDevices();
  if (udid) {
    if (!devices.some((d) => d.udid.toUpperCase() === udid.toUpperCase())) {
      throw new DeviceError(
        'no-device',
        failureMessage(
          'no-device',
          undefined,
          `${udid} is not connected${devices.length ? `; connected: ${devices.map((d) => d.udid).join(', ')}` : ''}`,
        ),
      );
    }
    return devices.find((d) => d.udid.toUpperCase() === udid.toUpperCase())!.udid;
  }
  if (!devices.length) throw new DeviceError('no-device', failureMessage('no-device'));
  if (devices.length > 1) {
    throw new ReclaimError(
      `${devices.length} devices are connected: choose one with --udid (${devices.map((d) => d.udid).join(', ')}).`,
      ExitCode.usage,
    );
  }
  return devices[0]!.udid;
}

/** A bar on a terminal; elsewhere one line per whole percent, so logs and tests see the progress too. */
function progressReporter(): { update: (p: BackupProgress) => void; stop: () => void } {
  if (process.stderr.isTTY) {
    const bar = terminalBar<{ batch: string }>(' Backing up {bar} {percentage}% | {batch}');
    return {
      update(p) {
        const batch =
          p.batchDone && p.batchTotal
            ? `${p.batchDone} of ${p.batchTotal} in this batch`
            : 'waiting for the device';
        bar.update(p.percent, 100, { batch });
      },
      stop: () => bar.stop(),
    };
  }
  let last = -1;
  return {
    update(p) {
      const whole = Math.floor(p.percent);
      if (whole === last) return;
      last = whole;
      process.stderr.write(
        `progress: ${whole}%${p.batchDone && p.batchTotal ? ` (${p.batchDone}/${p.batchTotal})` : ''}\n`,
      );
    },
    stop: () => undefined,
  };
}

export function register(program: Command): void {
  program
    .command('backup')
    .description(
      'back up a connected iPhone or iPad with libimobiledevice (idevicebackup2); --encrypt turns backup encryption on first',
    )
    .option('--out <dir>', 'folder to write the backup into (the backup goes to DIR/UDID)')
    .option('--udid <udid>', 'which connected device (when several are connected)')
    .option(
      '--encrypt',
      'turn backup encryption on before backing up (new password from --new-password-file, RECLAIM_NEW_PASSWORD or a prompt)',
    )
    .option(
      '--change-password',
      'change the backup password (current one from --password-file, RECLAIM_PASSWORD or a prompt), then stop',
    )
    .option(
      '--password-file <file>',
      'file holding the current backup password (for --change-password)',
    )
    .option(
      '--new-password-file <file>',
      'file holding the new backup password (for --encrypt and --change-password)',
    )
    .action(async (options: BackupOptions) => {
      const udid = await chooseDevice(options.udid);
      const info = await deviceInfo(udid);
      const name = label(info);
      const described = [
        info.deviceName,
        info.model,
        info.iosVersion ? `iOS ${info.iosVersion}` : null,
      ]
        .filter(Boolean)
        .join(', ');
      console.error(`Device: ${described || udid} [${udid}]`);

      if (options.changePassword) {
        if (info.willEncrypt === false)
          throw new DeviceError('encryption-off', failureMessage('encryption-off', name));
        const old = await currentPassword(options);
        checkToolPassword(old, 'current backup password');
        const next = await newPassword(options);
        await changeEncryption(
          udid,
          { action: 'change', oldPassword: old, newPassword: next },
          name,
        );
        console.error(
          'The backup password was changed. Keep it safe: without it the backups cannot be read.',
        );
        return;
      }
      if (options.encrypt) {
        if (info.willEncrypt === true) {
          // A new password was meant for this backup: making it with the old (perhaps lost) one would mislead.
          if (
            options.newPasswordFile !== undefined ||
            process.env['RECLAIM_NEW_PASSWORD'] !== undefined
          )
            throw new DeviceError(
              'encryption-already-on',
              failureMessage('encryption-already-on', name),
            );
          console.error(
            `Backup encryption is already on: ${name} still has a backup password set, and this backup will be encrypted with it. ` +
              `If that password is lost, this backup will be locked too: stop now (Ctrl-C), Reset All Settings on the device (iOS 11 or later: ${RESET_ALL_SETTINGS_PATH}; it keeps your data), then run \`reclaim backup --encrypt\` again.`,
          );
        } else {
          const next = await newPassword(options);
          await changeEncryption(udid, { action: 'enable', newPassword: next }, name);
          console.error(
            'Backup encryption is now on. Keep the password safe: without it the backups cannot be read.',
          );
        }
      } else if (info.willEncrypt === false) {
        console.error(
          'Note: backups are not encrypted, so they leave out saved passwords, Health and Wi-Fi data; --encrypt turns encryption on.',
        );
      }

      const out = options.out ?? defaultBackupRoots()[0]!;
      console.error(
        `Backing up to ${out} — keep the device unlocked and connected; Ctrl-C stops cleanly and keeps what arrived.`,
      );
      const progress = progressReporter();
      let child: ChildProcess | null = null;
      const onSignal = () => {
        // The tool stops cleanly on SIGINT ("Backup Aborted.") and keeps the partial folder.
        if (child && child.exitCode === null) child.kill('SIGINT');
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        const result = await backupDevice({
          udid,
          out,
          deviceLabel: name,
          onProgress: (p) => progress.update(p),
          onSpawn: (c) => {
            child = c;
          },
        });
        progress.stop();
        if (options.encrypt && result.report.willEncrypt === false)
          console.error(
            'Warning: idevicebackup2 says this backup was made unencrypted, although encryption was asked for: check with `reclaim info` and run `reclaim backup --encrypt` again.',
          );
        let summary = '';
        try {
          const s = summarize(Backup.open(result.folder));
          summary = ` (${s.encrypted ? 'encrypted' : 'not encrypted'}, ${formatBytes(s.sizeOnDisk)}${result.report.filesReceived !== null ? `, ${result.report.filesReceived} files received` : ''})`;
        } catch {
          /* the summary is a courtesy */
        }
        console.log(`Backup finished: ${result.folder}${summary}`);
        console.log(
          `Look inside with \`reclaim info ${result.folder}\` or export with \`reclaim export ${result.folder} OUT\`.`,
        );
      } finally {
        progress.stop();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
