import { formatBytes } from '../units.js';
import { clock, type Clock, type TimeOptions } from '../time.js';
import { Backup } from '../backup/backup.js';
import { modelName } from '../backup/device-models.js';
import { summarize, type BackupSummary } from '../backup/describe.js';
import { defaultBackupRoots, findBackups } from '../backup/discover.js';
import { countCategories, type CategoryCount } from '../artifacts/catalog.js';
import { WrongPasswordError } from '../errors.js';
import { DeviceError, installHint } from './errors.js';
import { deviceInfo, listDevices, queryRecovery, type DeviceInfo } from './libimobiledevice.js';
import {
  formatGuidanceBrief,
  formatWay,
  passwordGuidance,
  type PasswordGuidance,
} from './password-guidance.js';
import { modelFamily, recoverySteps, type ModelFamily } from './recovery-steps.js';
import { findTool } from './tools.js';

export interface RescuePlanOptions {
  /** The device to plan for (its UDID); default: the connected one, else every device with backups here. */
  device?: string;
  /** Folders holding backups (default: where Finder, iTunes and Apple Devices keep them). */
  backupRoots?: string[];
  /** A backup password to check against the encrypted backups (never stored or shown). */
  password?: string;
  /** Ask libimobiledevice/irecovery about a connected device (default true). */
  probeDevice?: boolean;
  now?: Date;
  /** How the plan's sentences show times (this computer's zone by default). */
  time?: TimeOptions;
}

export type DeviceState = 'normal' | 'recovery' | 'dfu' | 'not-connected' | 'unknown';

export interface ConnectedDeviceState {
  state: DeviceState;
  udid: string | null;
  deviceName: string | null;
  productType: string | null;
  model: string | null;
  iosVersion: string | null;
  /** How the state was learnt, or why it could not be. */
  note: string;
}

export type PasswordStatus = 'not-encrypted' | 'works' | 'wrong' | 'not-given';

export interface RescueBackup {
  path: string;
  date: string | null;
  iosVersion: string | null;
  encrypted: boolean;
  /** Status.plist says the backup finished (null when it has none). */
  finished: boolean | null;
  password: PasswordStatus;
  sizeOnDisk: number;
  /** Files per category; null when an encrypted index needs the password. */
  counts: CategoryCount[] | null;
  countsNote: string | null;
  /** What can still be done if the password is lost; for encrypted backups whose password is unknown or wrong. */
  passwordGuidance: PasswordGuidance | null;
}

export interface RescueDevice {
  /** null when its backups do not say (Info.plist without a UDID). */
  udid: string | null;
  deviceName: string | null;
  productType: string | null;
  model: string | null;
  family: ModelFamily;
  familyName: string;
  /** Newest first. */
  backups: RescueBackup[];
  /** The newest backup that finished (else the newest one). */
  latest: { path: string; date: string | null; finished: boolean | null } | null;
  erasingLoses: string;
  recovery: { enterRecovery: string[]; restore: string[] };
}

export interface RescueOption {
  id:
    | 'previous-passcode'
    | 'erase-on-device'
    | 'find-my-erase'
    | 'recovery-mode-restore'
    | 'restore-backup';
  title: string;
  keepsData: boolean;
  needs: string;
  steps: string[];
}

export interface RescuePlan {
  version: 1;
  generatedAt: string;
  statements: string[];
  searched: string[];
  requestedDevice: string | null;
  connected: ConnectedDeviceState | null;
  devices: RescueDevice[];
  options: RescueOption[];
  beforeErasing: string[];
  problems: string[];
}

export const STATEMENTS = [
  'The screen passcode cannot be recovered or bypassed: not by Reclaim, and not from a backup (backups do not hold it). A device whose passcode is forgotten can only be erased and set up again, then filled from a backup.',
  'Reclaim does not bypass screen locks, Activation Lock or MDM (device management). After an erase, the device asks for the Apple Account password it was set up with.',
];

const OPTIONS: RescueOption[] = [
  {
    id: 'previous-passcode',
    title: 'Use the previous passcode (iOS 17 or later)',
    keepsData: true,
    needs: 'The passcode was changed less than 72 hours ago and you remember the old one.',
    steps: [
      'On the lock screen, enter a passcode until "Forgot Passcode?" appears, tap it, then "Enter Previous Passcode", and set a new passcode.',
    ],
  },
  {
    id: 'erase-on-device',
    title: 'Erase from the lock screen (iOS 15.2 or later)',
    keepsData: false,
    needs: 'The device is on Wi-Fi or cellular and you know the Apple Account password.',
    steps: [
      'On the "iPhone Unavailable" / "Security Lockout" screen, tap "Forgot Passcode?" (iOS 17) or "Erase iPhone" (iOS 15.2–16), then "Start iPhone Reset", and enter the Apple Account password.',
    ],
  },
  {
    id: 'find-my-erase',
    title: 'Erase with Find My',
    keepsData: false,
    needs: 'Find My was on and the device is online.',
    steps: [
      'On icloud.com/find or in the Find My app on another Apple device, sign in, select the device and choose "Erase This Device".',
    ],
  },
  {
    id: 'recovery-mode-restore',
    title: 'Restore with a computer in recovery mode',
    keepsData: false,
    needs:
      'A Mac (Finder) or a Windows PC (Apple Devices or iTunes) and a cable. Works with no network on the device.',
    steps: [
      'Put the device in recovery mode (the steps for its model are given with its backups), then Restore it from Finder, iTunes or Apple Devices.',
    ],
  },
  {
    id: 'restore-backup',
    title: 'After the erase: put your data back',
    keepsData: true,
    needs: 'A backup on this computer or in iCloud.',
    steps: [
      'During setup choose "From Mac or PC" and pick the latest backup listed here (Finder/iTunes/Apple Devices: Restore Backup; an encrypted one asks for its backup password), or "From iCloud Backup".',
      'Data kept in iCloud (iCloud Photos, Messages in iCloud, Contacts, Notes, Calendars) syncs back on its own after you sign in.',
    ],
  },
];

const BEFORE_ERASING = [
  'Copy the backup folders listed here somewhere safe first: the next backup of the restored device goes to the same folder (it is named after the device UDID) and replaces the one you may need.',
  'Export what matters from the latest backup now with `reclaim export` — it works while the device is locked.',
];

function probeMessage(error: unknown): string {
  return error instanceof DeviceError
    ? error.message
    : `could not ask the device (${(error as Error).message})`;
}

async function probeConnected(requested: string | null): Promise<ConnectedDeviceState> {
  const base = { udid: null, deviceName: null, productType: null, model: null, iosVersion: null };
  if (!findTool('idevice_id') && !findTool('irecovery')) {
    return {
      ...base,
      state: 'unknown',
      note: `Cannot check a connected device: libimobiledevice is not installed (${installHint()}).`,
    };
  }
  let notes: string[] = [];
  if (findTool('idevice_id')) {
    try {
      const devices = await listDevices();
      const chosen = requested
        ? devices.find((d) => d.udid.toUpperCase() === requested.toUpperCase())
        : devices[0];
      if (chosen) {
        let info: DeviceInfo | null = null;
        let note = 'Connected and running iOS (normal mode).';
        if (findTool('ideviceinfo')) {
          try {
            info = await deviceInfo(chosen.udid, { simple: true });
          } catch (error) {
            note += ` ${probeMessage(error)}`;
          }
        }
        return {
          state: 'normal',
          udid: chosen.udid,
          deviceName: info?.deviceName ?? null,
          productType: info?.productType ?? null,
          model: info?.model ?? null,
          iosVersion: info?.iosVersion ?? null,
          note,
        };
      }
      if (requested && devices.length)
        notes.push(`The connected device${devices.length > 1 ? 's are' : ' is'} not ${requested}.`);
    } catch (error) {
      notes.push(probeMessage(error));
    }
  } else notes.push('idevice_id is not installed, so a device in normal mode cannot be seen.');
  if (findTool('irecovery')) {
    const recovery = await queryRecovery().catch(() => null);
    if (recovery && recovery.mode !== 'other') {
      return {
        ...base,
        state: recovery.mode,
        productType: recovery.productType,
        model: modelName(recovery.productType),
        note: `irecovery sees a device in ${recovery.mode === 'dfu' ? 'DFU' : 'recovery'} mode.`,
      };
    }
    notes.push('irecovery sees no device in recovery or DFU mode.');
  } else
    notes.push(
      'irecovery is not installed, so recovery and DFU mode cannot be detected (a device in recovery mode shows a computer and a cable on its screen).',
    );
  notes = notes.filter(Boolean);
  return {
    ...base,
    state: 'not-connected',
    note: `No device found in normal mode. ${notes.join(' ')}`.trim(),
  };
}

async function readBackup(
  path: string,
  password: string | undefined,
): Promise<{ udid: string | null; info: BackupSummary; plan: RescueBackup }> {
  const backup = Backup.open(path);
  let status: PasswordStatus = backup.encrypted ? 'not-given' : 'not-encrypted';
  if (backup.encrypted && password !== undefined) {
    try {
      await backup.unlock({ password });
      status = 'works';
    } catch (error) {
      if (!(error instanceof WrongPasswordError)) throw error;
      status = 'wrong';
    }
  }
  const info = summarize(backup);
  let counts: CategoryCount[] | null = null;
  let countsNote: string | null = null;
  if (backup.indexReadable) {
    try {
      counts = countCategories(backup.entries(), (entry) => backup.dataPath(entry) !== null);
    } catch (error) {
      countsNote = `The index could not be read: ${(error as Error).message}`;
    }
  } else {
    countsNote =
      status === 'wrong'
        ? 'The password given does not unlock this backup, so what it holds cannot be counted.'
        : 'This backup is encrypted: what it holds can be counted with its backup password (--password-file or RECLAIM_PASSWORD).';
  }
  return {
    udid: info.udid,
    info,
    plan: {
      path: backup.dir,
      date: info.lastBackupDate,
      iosVersion: info.iosVersion,
      encrypted: backup.encrypted,
      finished: info.finished,
      password: status,
      sizeOnDisk: info.sizeOnDisk,
      counts,
      countsNote,
      passwordGuidance:
        status === 'not-given' || status === 'wrong'
          ? passwordGuidance({
              situation: status,
              backup: backup.dir,
              hashVersion: backup.keybag ? (backup.keybag.dpic !== null ? 10 : 9) : null,
            })
          : null,
    },
  };
}

/** "2024-03-05 13:30:00 (America/New_York)"; "2024-03-05 18:30:00 UTC" with --utc. */
function when(iso: string | null, times: Clock): string | null {
  const date = iso ? new Date(iso) : null;
  if (!date || Number.isNaN(date.getTime())) return iso;
  return times.utc ? times.text(date) : `${times.text(date)} (${times.zone})`;
}

function erasingLoses(latest: RescueBackup | null, times: Clock): string {
  if (!latest)
    return 'There is no backup of this device on this computer: erasing loses everything on it that is not in iCloud (or another backup).';
  const at = when(latest.date, times) ?? 'an unknown date';
  return `Erasing loses everything created or changed on the device after ${at} (the latest backup here), unless it is in iCloud; what that backup holds comes back when you restore it.`;
}

/** Gathers this computer's backups of the device, its state if connected, and Apple's ways back in. */
export async function buildRescuePlan(options: RescuePlanOptions = {}): Promise<RescuePlan> {
  const roots = options.backupRoots ?? defaultBackupRoots();
  const requested = options.device?.trim() || null;
  const problems: string[] = [];
  const connected = options.probeDevice === false ? null : await probeConnected(requested);
  const target = requested ?? (connected?.state === 'normal' ? connected.udid : null);
  const times = clock(options.time);

  // Keyed by UDID in capitals; a backup without one is a device of its own, keyed by its path.
  const byDevice = new Map<string, { info: BackupSummary | null; backups: RescueBackup[] }>();
  const seen = new Set<string>();
  for (const root of roots) {
    for (const path of findBackups(root)) {
      if (seen.has(path)) continue;
      seen.add(path);
      try {
        const { udid, info, plan } = await readBackup(path, options.password);
        const key = udid ? udid.toUpperCase() : `path:${path}`;
        if (target && key !== target.toUpperCase()) continue;
        const group = byDevice.get(key) ?? { info, backups: [] };
        group.backups.push(plan);
        // The newest backup names the device best.
        if (!group.info || (plan.date ?? '') >= (group.info.lastBackupDate ?? ''))
          group.info = info;
        byDevice.set(key, group);
      } catch (error) {
        problems.push(`${path}: ${(error as Error).message}`);
      }
    }
  }
  if (target && !byDevice.has(target.toUpperCase())) {
    byDevice.set(target.toUpperCase(), { info: null, backups: [] });
  }

  const devices: RescueDevice[] = [...byDevice.entries()]
    .map(([key, group]) => {
      const backups = group.backups.sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
      const latest = backups.find((b) => b.finished !== false) ?? backups[0] ?? null;
      const info = group.info;
      const isConnected = connected && connected.udid && connected.udid.toUpperCase() === key;
      const productType =
        info?.productType ??
        (isConnected || (connected && connected.state !== 'normal')
          ? (connected?.productType ?? null)
          : null);
      const family = modelFamily(productType);
      const steps = recoverySteps(family);
      return {
        udid: info?.udid ?? (key.startsWith('path:') ? null : key),
        deviceName: info?.deviceName ?? (isConnected ? (connected?.deviceName ?? null) : null),
        productType,
        model: modelName(productType),
        family,
        familyName: steps.familyName,
        backups,
        latest: latest ? { path: latest.path, date: latest.date, finished: latest.finished } : null,
        erasingLoses: erasingLoses(latest, times),
        recovery: { enterRecovery: steps.enterRecovery, restore: steps.restore },
      };
    })
    .sort((a, b) => (b.latest?.date ?? '').localeCompare(a.latest?.date ?? ''));

  if (!devices.length) {
    // No backups and no device named: still give the steps, for whatever model is at hand.
    const productType = connected?.productType ?? null;
    const steps = recoverySteps(modelFamily(productType));
    devices.push({
      udid: connected?.udid ?? null,
      deviceName: connected?.deviceName ?? null,
      productType,
      model: modelName(productType),
      family: steps.family,
      familyName: steps.familyName,
      backups: [],
      latest: null,
      erasingLoses: erasingLoses(null, times),
      recovery: { enterRecovery: steps.enterRecovery, restore: steps.restore },
    });
  }

  return {
    version: 1,
    generatedAt: (options.now ?? new Date()).toISOString(),
    statements: STATEMENTS,
    searched: roots,
    requestedDevice: requested,
    connected,
    devices,
    options: OPTIONS,
    beforeErasing: BEFORE_ERASING,
    problems,
  };
}

const PASSWORD_TEXT: Record<PasswordStatus, string> = {
  'not-encrypted': 'not encrypted',
  works: 'encrypted — the password given works',
  wrong: 'encrypted — the password given is WRONG',
  'not-given':
    'encrypted — password not checked (give it with --password-file or RECLAIM_PASSWORD)',
};

/** The plan as text for a terminal. */
export function formatRescuePlan(plan: RescuePlan, times: Clock = clock()): string {
  // As stored ("...Z") with --utc; else local, the zone named once in the line or heading.
  const date = (iso: string | null | undefined, zone: boolean) => {
    const d = iso ? new Date(iso) : null;
    if (!d || times.utc || Number.isNaN(d.getTime())) return iso ?? null;
    return zone ? `${times.text(d)} (${times.zone})` : times.text(d);
  };
  const out: string[] = [];
  const line = (text = '') => out.push(text);
  line('RESCUE PLAN — forgot the passcode, or "iPhone Unavailable"');
  line();
  for (const statement of plan.statements) line(`! ${statement}`);
  line();
  if (plan.connected) {
    const c = plan.connected;
    const what = [c.deviceName, c.model, c.iosVersion ? `iOS ${c.iosVersion}` : null]
      .filter(Boolean)
      .join(', ');
    const state = {
      normal: 'normal mode',
      recovery: 'RECOVERY mode',
      dfu: 'DFU mode',
      'not-connected': 'not connected',
      unknown: 'unknown',
    }[c.state];
    line(`Connected device: ${state}${what ? ` (${what})` : ''}${c.udid ? ` [${c.udid}]` : ''}`);
    line(`  ${c.note}`);
    line();
  }
  for (const device of plan.devices) {
    const title = [device.deviceName ?? 'Device', device.model ? `(${device.model})` : null]
      .filter(Boolean)
      .join(' ');
    const path = device.latest?.path ?? device.backups[0]?.path;
    const who = device.udid ? `UDID ${device.udid}` : `unknown device${path ? ` (${path})` : ''}`;
    line(`== ${title} — ${who}`);
    if (!device.backups.length)
      line(
        `  No backups of it on this computer (searched: ${plan.searched.join(', ') || 'nothing'}).`,
      );
    else {
      line(
        `  Latest backup: ${date(device.latest?.date, true) ?? 'unknown date'}  ${device.latest?.path ?? ''}`,
      );
      line(
        `  Backups here (${device.backups.length}, newest first${times.utc ? '' : `, ${times.label}`}):`,
      );
      for (const backup of device.backups) {
        const flags = [
          PASSWORD_TEXT[backup.password],
          backup.finished === false ? 'UNFINISHED' : null,
          `iOS ${backup.iosVersion ?? '?'}`,
          formatBytes(backup.sizeOnDisk),
        ].filter(Boolean);
        line(`  - ${date(backup.date, false) ?? 'unknown date'}  ${flags.join(', ')}`);
        line(`    ${backup.path}`);
        if (backup.counts) {
          const held = backup.counts
            .filter((c) => c.files > 0)
            .map(
              (c) => `${c.category} ${c.present === c.files ? c.files : `${c.present}/${c.files}`}`,
            );
          line(`    Holds: ${held.length ? held.join('; ') : 'none of the usual personal data'}`);
        } else if (backup.countsNote) line(`    ${backup.countsNote}`);
        if (backup.passwordGuidance)
          out.push(formatGuidanceBrief(backup.passwordGuidance, '    ').trimEnd());
      }
      const locked = device.backups.find((b) => b.passwordGuidance)?.passwordGuidance;
      if (locked) {
        const reset = locked.ways.find((w) => w.id === 'reset-settings')!;
        line('  If a backup password is lost, new backups can still be made:');
        line(formatWay(reset, '    '));
        line(`    ${locked.oldBackups}`);
      }
    }
    line(`  What erasing would lose: ${device.erasingLoses}`);
    line(`  Recovery mode for ${device.familyName}:`);
    device.recovery.enterRecovery.forEach((step, i) => line(`    ${i + 1}. ${step}`));
    line('  Restore:');
    device.recovery.restore.forEach((step, i) => line(`    ${i + 1}. ${step}`));
    line();
  }
  line('Before erasing:');
  for (const step of plan.beforeErasing) line(`  - ${step}`);
  line();
  line("Your options (Apple's own; the first keeps your data):");
  for (const option of plan.options) {
    line(`  * ${option.title}${option.keepsData ? '' : ' — erases the device'}`);
    line(`    Needs: ${option.needs}`);
    for (const step of option.steps) line(`    ${step}`);
  }
  if (plan.problems.length) {
    line();
    line('Problems:');
    for (const problem of plan.problems) line(`  - ${problem}`);
  }
  return `${out.join('\n')}\n`;
}
