import { ExitCode, ReclaimError, type ExitCodeValue } from '../errors.js';
import { RESET_ALL_SETTINGS_PATH } from './password-guidance.js';

/**
 * Exit codes for talking to a connected device. They extend the CLI's ExitCode (0–6) so scripts can tell the
 * usual failures apart; an interrupted backup uses ExitCode.partial (6).
 */
export const DeviceExitCode = {
  toolMissing: 10,
  noUsbmuxd: 11,
  noDevice: 12,
  notTrusted: 13,
  locked: 14,
  backupFailed: 15,
  interrupted: ExitCode.partial,
} as const;

export type DeviceFailure =
  | 'tool-missing'
  | 'no-usbmuxd'
  | 'no-device'
  | 'trust-pending'
  | 'trust-denied'
  | 'not-paired'
  | 'locked'
  | 'backup-failed'
  | 'interrupted'
  | 'disk-full'
  | 'encryption-already-on'
  | 'encryption-off'
  | 'password-rejected';

const CODES: Record<DeviceFailure, number> = {
  'tool-missing': DeviceExitCode.toolMissing,
  'no-usbmuxd': DeviceExitCode.noUsbmuxd,
  'no-device': DeviceExitCode.noDevice,
  'trust-pending': DeviceExitCode.notTrusted,
  'trust-denied': DeviceExitCode.notTrusted,
  'not-paired': DeviceExitCode.notTrusted,
  locked: DeviceExitCode.locked,
  'backup-failed': DeviceExitCode.backupFailed,
  interrupted: DeviceExitCode.interrupted,
  'disk-full': DeviceExitCode.backupFailed,
  'encryption-already-on': ExitCode.usage,
  'encryption-off': ExitCode.usage,
  'password-rejected': ExitCode.wrongPassword,
};

/** One line saying what went wrong with the device and what to do; `failure` names the case for callers and tests. */
export class DeviceError extends ReclaimError {
  constructor(
    readonly failure: DeviceFailure,
    message: string,
  ) {
    super(message, CODES[failure] as ExitCodeValue);
    this.name = 'DeviceError';
  }
}

/** How to install libimobiledevice on this platform. */
export function installHint(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'install it with Homebrew: `brew install libimobiledevice`';
  if (platform === 'win32') {
    return 'install Apple Devices (Microsoft Store) or iTunes for the USB drivers, then the libimobiledevice Windows build (e.g. from https://github.com/libimobiledevice-win32) on PATH';
  }
  return 'install it with `sudo apt-get install libimobiledevice-utils usbmuxd` (Debian/Ubuntu; Fedora: `sudo dnf install libimobiledevice-utils usbmuxd`)';
}

export function usbmuxdHint(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin')
    return 'usbmuxd is part of macOS: reconnect the cable, and restart the Mac if it persists';
  if (platform === 'win32')
    return "install or repair Apple Devices (or iTunes): it runs the Apple Mobile Device Service that plays usbmuxd's part";
  return 'start it with `sudo systemctl start usbmuxd` (or unplug and plug the device back in; its udev rule starts usbmuxd), and install it with `sudo apt-get install usbmuxd` if it is missing';
}

/** Lockdown error codes of libimobiledevice 1.3 (lockdownd_error_t), with the names lockdownd_strerror may print. */
const LOCKDOWN: Record<number, DeviceFailure> = {
  [-17]: 'locked', // LOCKDOWN_E_PASSWORD_PROTECTED
  [-18]: 'trust-denied', // LOCKDOWN_E_USER_DENIED_PAIRING
  [-19]: 'trust-pending', // LOCKDOWN_E_PAIRING_DIALOG_RESPONSE_PENDING
  [-4]: 'not-paired', // LOCKDOWN_E_PAIRING_FAILED
  [-5]: 'not-paired', // LOCKDOWN_E_SSL_ERROR (a stale pair record)
  [-20]: 'not-paired', // LOCKDOWN_E_MISSING_HOST_ID
  [-21]: 'not-paired', // LOCKDOWN_E_INVALID_HOST_ID
  [-29]: 'not-paired', // LOCKDOWN_E_MISSING_PAIR_RECORD
  [-31]: 'not-paired', // LOCKDOWN_E_INVALID_PAIR_RECORD
  [-36]: 'not-paired', // LOCKDOWN_E_PAIRING_PROHIBITED_OVER_THIS_CONNECTION
};
const LOCKDOWN_NAMES: [RegExp, DeviceFailure][] = [
  [/password[ _]protected/i, 'locked'],
  [/user[ _]denied[ _]pairing/i, 'trust-denied'],
  [/pairing[ _]dialog[ _]response[ _]pending/i, 'trust-pending'],
  [
    /invalid[ _]host[ _]?id|missing[ _]host[ _]?id|pair(ing)?[ _]record|pairing[ _]failed|ssl[ _]error/i,
    'not-paired',
  ],
];

export function failureMessage(
  failure: DeviceFailure,
  deviceName = 'the device',
  detail = '',
): string {
  const device = deviceName.charAt(0).toUpperCase() + deviceName.slice(1);
  const inSentence = /^the device$/i.test(deviceName) ? 'the device' : deviceName;
  switch (failure) {
    case 'tool-missing':
      return `libimobiledevice is not installed (${detail || 'idevice_id, ideviceinfo and idevicebackup2 are needed'}): ${installHint()}.`;
    case 'no-usbmuxd':
      return `usbmuxd is not running, so no device can be reached: ${usbmuxdHint()}.`;
    case 'no-device':
      return `No device found${detail ? ` (${detail})` : ''}: connect the iPhone or iPad with a USB cable, unlock it, and check it shows up (a charge-only cable will not do).`;
    case 'trust-pending':
      return `${device} is asking whether to trust this computer: unlock it, tap Trust and enter its passcode, then run the command again.`;
    case 'trust-denied':
      return `${device} refused to trust this computer (Don't Trust was tapped): unplug it, plug it back in, unlock it and tap Trust.`;
    case 'not-paired':
      return `This computer is not paired with ${inSentence} (or the pairing was reset): unlock it and tap Trust when asked; if nothing appears, run \`idevicepair pair\` with it unlocked.`;
    case 'locked':
      return `${device} is locked with its passcode: unlock it and keep it unlocked on the home screen, then run the command again.`;
    case 'disk-full':
      return `Not enough free disk space for the backup${detail ? ` (${detail})` : ''}: free some space or choose another --out folder.`;
    case 'encryption-already-on':
      return `${device} still has a backup password set (backup encryption is already on), so a new one cannot be set: to change a password you know, use --change-password. If it is lost, Reset All Settings on the device removes it without erasing your data (iOS 11 or later: ${RESET_ALL_SETTINGS_PATH}); then run \`reclaim backup --encrypt\` again.`;
    case 'encryption-off':
      return `Backup encryption is not on for ${inSentence}, so there is no password to change: use --encrypt to turn it on.`;
    case 'password-rejected':
      return `${device} did not accept the backup password change: the current password is wrong (or the new one was refused).`;
    case 'interrupted':
      return `The backup was interrupted${detail ? ` ${detail}` : ''}.`;
    case 'backup-failed':
      return `The backup failed${detail ? `: ${detail}` : ''}.`;
  }
}

/**
 * Recognises the failures libimobiledevice tools print (idevice_id, ideviceinfo, idevicebackup2), in both
 * the 1.2 wording ("error code -17") and the 1.3 one ("Password protected (-17)").
 */
export function classifyToolOutput(
  text: string,
): { failure: DeviceFailure; detail: string } | null {
  if (
    /Unable to retrieve device list|error opening socket|usbmuxd.*(not running|connection refused)|Could not connect to usbmuxd/i.test(
      text,
    )
  ) {
    return { failure: 'no-usbmuxd', detail: '' };
  }
  const lockdown =
    /Could not connect to lockdownd(?:[:,]\s*(.*?))?\s*(?:error code\s*)?\(?(-\d+)\)?\s*$/im.exec(
      text,
    );
  if (lockdown) {
    const code = Number(lockdown[2]);
    const named = LOCKDOWN_NAMES.find(([pattern]) => pattern.test(lockdown[1] ?? ''));
    const failure = LOCKDOWN[code] ?? named?.[1];
    if (failure) return { failure, detail: `lockdown error ${code}` };
    return {
      failure: 'backup-failed',
      detail: `could not talk to the device (lockdown error ${code}); unlock it, reconnect the cable and try again`,
    };
  }
  if (/No device found|No device with UDID|Device .* not found/i.test(text))
    return { failure: 'no-device', detail: '' };
  if (/ErrorCode 105\b|Insufficient free disk space|No space left on device/i.test(text)) {
    return { failure: 'disk-full', detail: (/ErrorCode \d+: (.*)$/m.exec(text)?.[1] ?? '').trim() };
  }
  if (/Backup encryption is already enabled/i.test(text))
    return { failure: 'encryption-already-on', detail: '' };
  if (/Backup encryption is not enabled/i.test(text))
    return { failure: 'encryption-off', detail: '' };
  return null;
}
