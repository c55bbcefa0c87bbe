// Stand-in for libimobiledevice's idevice_id, ideviceinfo, idevicebackup2 and libirecovery's irecovery.
// It plays back the output the real tools print (wording from their sources: tools/idevice_id.c,
// tools/ideviceinfo.c, tools/idevicebackup2.c of libimobiledevice 1.3, tools/irecovery.c of libirecovery),
// in the scenario named by RECLAIM_STANDIN_SCENARIO:
//   success, no-device, no-usbmuxd, trust-pending, trust-denied, not-paired, passcode, interrupted,
//   hang (waits for SIGINT like a running backup), device-cancel, disk-full, encryption, recovery, dfu
// RECLAIM_STANDIN_LOG: a file each call appends {tool, argv, stdin} to (JSON lines), so tests can check
//   that passwords travel on stdin and never in argv.
// RECLAIM_STANDIN_TEMPLATE: a backup folder copied to OUT/UDID by a backup (partially when interrupted).
// RECLAIM_STANDIN_OLD_PASSWORD: the password changepw accepts as the current one.
// RECLAIM_STANDIN_STATE: a JSON file holding the device's backup settings across calls, as a real device keeps
//   them: {"willEncrypt": true} is a device with a backup password set; `encryption on` writes true, and a test
//   plays Reset All Settings by writing false. {"hideWillEncrypt": true} makes ideviceinfo fail to read it.
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  readFileSync,
  rmSync,
  existsSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

const [tool, ...args] = process.argv.slice(2);
const scenario = process.env.RECLAIM_STANDIN_SCENARIO ?? 'success';
const UDID = process.env.RECLAIM_STANDIN_UDID ?? '00008110-000A1C8E0C38801E';
const out = (text) => process.stdout.write(text);
const err = (text) => process.stderr.write(text);

function deviceState() {
  const file = process.env.RECLAIM_STANDIN_STATE;
  const saved = file && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  return {
    willEncrypt: saved.willEncrypt ?? (scenario === 'already-encrypted' || scenario === 'changepw'),
    hideWillEncrypt: saved.hideWillEncrypt ?? false,
  };
}

function saveState(changes) {
  const file = process.env.RECLAIM_STANDIN_STATE;
  if (file) writeFileSync(file, JSON.stringify({ ...deviceState(), ...changes }));
}

function readStdin() {
  try {
    return readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}

function log(stdin) {
  const file = process.env.RECLAIM_STANDIN_LOG;
  if (file) appendFileSync(file, `${JSON.stringify({ tool, argv: args, stdin })}\n`);
}

// print_progress_real / print_progress of idevicebackup2.c
function bar(progress) {
  let s = '\r[';
  for (let i = 0; i < 50; i++) s += i < progress / 2 ? '=' : ' ';
  return `${s}] ${String(Math.round(progress)).padStart(3)}%`;
}
function size(bytes) {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} Bytes`;
}
function batch(total, steps) {
  out('Receiving files\n');
  for (let i = 1; i <= steps; i++) {
    const done = Math.round((total * i) / steps);
    const pct = (done / total) * 100;
    out(`${bar(pct)} (${size(done)}/${size(total)})     `);
    if (pct === 100) out('\n');
  }
}
function overall(pct) {
  out(`${bar(pct)} Finished\n`);
}

const LOCKDOWN_13 = {
  'trust-pending': 'ERROR: Could not connect to lockdownd: Pairing dialog response pending (-19)\n',
  'trust-denied': 'ERROR: Could not connect to lockdownd: User denied pairing (-18)\n',
  'not-paired': 'ERROR: Could not connect to lockdownd: Invalid HostID (-21)\n',
};

function ideviceId() {
  log('');
  if (scenario === 'no-usbmuxd') {
    err('ERROR: Unable to retrieve device list!\n');
    process.exit(1);
  }
  if (scenario === 'no-device' || scenario === 'recovery' || scenario === 'dfu') process.exit(0);
  if (scenario === 'two-devices') out(`${UDID}\n0123456789abcdef0123456789abcdef01234567\n`);
  else out(`${UDID}\n`);
}

function ideviceinfo() {
  log('');
  const udid = args[args.indexOf('-u') + 1];
  if (
    scenario === 'no-device' ||
    (args.includes('-u') && udid.toUpperCase() !== UDID.toUpperCase() && scenario !== 'two-devices')
  ) {
    out(`No device found with udid ${udid}.\n`);
    process.exit(1);
  }
  if (LOCKDOWN_13[scenario] && !args.includes('-s')) {
    err(LOCKDOWN_13[scenario]);
    process.exit(1);
  }
  if (args.includes('-k') && args[args.indexOf('-k') + 1] === 'WillEncrypt') {
    const state = deviceState();
    if (state.hideWillEncrypt) {
      err('ERROR: Could not get value for key WillEncrypt\n');
      process.exit(1);
    }
    out(state.willEncrypt ? 'true\n' : 'false\n');
    return;
  }
  const simple = args.includes('-s');
  const lines = [
    'ActivationState: Activated',
    'BasebandStatus: BBInfoAvailable',
    'BuildVersion: 21F90',
    'CPUArchitecture: arm64e',
    'DeviceClass: iPhone',
    'DeviceColor: 1',
    ...(simple ? [] : ['DeviceName: Alice’s iPhone']),
    'HardwareModel: D63AP',
    'NonVolatileRAM:',
    '  auto-boot: dHJ1ZQ==',
    'ProductName: iPhone OS',
    'ProductType: iPhone14,2',
    'ProductVersion: 17.5.1',
    ...(simple ? [] : ['SerialNumber: F2LXXXXXXXXX']),
    `UniqueDeviceID: ${UDID}`,
  ];
  out(`${lines.join('\n')}\n`);
}

async function idevicebackup2() {
  const stdin = args.includes('-i') ? readStdin() : '';
  log(stdin);
  if (args.includes('encryption') || args.includes('changepw')) return encryption(stdin);
  const dir = args[args.length - 1];
  out(`Backup directory is "${dir}"\n`);
  if (scenario === 'passcode') {
    out('ERROR: Could not connect to lockdownd, error code -17\n');
    process.exit(255);
  }
  out('Started "com.apple.mobilebackup2" service on port 49714.\n');
  out('Negotiated Protocol Version 2.1\n');
  out('Starting backup...\n');
  out('Enforcing full backup from device.\n');
  out(deviceState().willEncrypt ? 'Backup will be encrypted.\n' : 'Backup will be unencrypted.\n');
  out('Requesting backup from device...\n');
  out('Full backup mode.\n');
  const target = join(dir, UDID);
  let quit = 0; // like idevicebackup2's clean_exit: SIGINT sets a flag the transfer loop checks
  process.on('SIGINT', () => {
    quit++;
  });
  mkdirSync(target, { recursive: true });
  const template = process.env.RECLAIM_STANDIN_TEMPLATE;
  overall(2);
  batch(1_234_567, 3);
  overall(14);
  if (scenario === 'disk-full') {
    out(
      'ErrorCode 105: Insufficient free disk space on drive to upload files. (MBErrorDomain/105)\n',
    );
    out('Received 12 files from device.\n');
    out('Backup Failed (Error Code 105).\n');
    process.exit(151);
  }
  if (template && existsSync(template)) cpSync(template, target, { recursive: true });
  const stopping =
    scenario === 'interrupted' || scenario === 'hang' || scenario === 'device-cancel';
  if (stopping && existsSync(join(target, 'Status.plist'))) rmSync(join(target, 'Status.plist'));
  batch(27_900_000, 4);
  overall(37);
  if (stopping) {
    const finish = (how) => {
      if (how === 'signal') err('Exiting...\n');
      else out('User has cancelled the backup process on the device.\n');
      out('Received 118 files from device.\n');
      out('Backup Aborted.\n');
      process.exit(255);
    };
    if (scenario === 'device-cancel') finish('device');
    if (scenario === 'interrupted') finish('signal');
    setInterval(() => {
      if (quit) finish('signal');
    }, 50);
    return;
  }
  out('Moving 3 files\n');
  overall(81);
  batch(512, 1);
  overall(100);
  out('Received 1234 files from device.\n');
  out('Backup Successful.\n');
}

function encryption(stdin) {
  const lines = stdin.split('\n');
  const ask = (prompt) => {
    err(`${prompt}: `);
    const value = lines.shift() ?? '';
    err(`${'*'.repeat(value.length)}\n`);
    return value;
  };
  const willEncrypt = deviceState().willEncrypt;
  if (args.includes('encryption')) {
    if (willEncrypt) {
      out('ERROR: Backup encryption is already enabled. Aborting.\n');
      out('Operation Failed.\n');
      process.exit(255);
    }
    const first = ask('Enter new backup password');
    const again = ask('Enter new backup password (repeat)');
    if (first !== again) {
      out("ERROR: passwords don't match\n");
      out('No backup password given. Aborting.\n');
      process.exit(255);
    }
    saveState({ willEncrypt: true });
    out('Backup encryption has been enabled successfully.\n');
    return;
  }
  if (!willEncrypt) {
    out("ERROR: Backup encryption is not enabled so can't change password. Aborting.\n");
    process.exit(255);
  }
  const old = ask('Enter old backup password');
  const first = ask('Enter new backup password');
  const again = ask('Enter new backup password (repeat)');
  if (first !== again) {
    out("ERROR: passwords don't match\n");
    process.exit(255);
  }
  if (old !== (process.env.RECLAIM_STANDIN_OLD_PASSWORD ?? '')) {
    out('ErrorCode 207: The password is incorrect. (MBErrorDomain/207)\n');
    out('Could not change backup encryption password.\n');
    process.exit(255);
  }
  out('Backup encryption password has been changed successfully.\n');
}

function irecovery() {
  log('');
  if (scenario === 'recovery' || scenario === 'dfu') {
    out(
      [
        'CPID: 0x8110',
        'CPRV: 0x11',
        'BDID: 0x0c',
        'ECID: 0x001a2b3c4d5e6f70',
        'CPFM: 0x03',
        'SCEP: 0x01',
        'IBFL: 0x3c',
        'SRTG: [iBoot-10151.122.1]',
        'SRNM: N/A',
        'IMEI: N/A',
        'NONC: N/A',
        'SNON: N/A',
        `MODE: ${scenario === 'dfu' ? 'DFU' : 'Recovery'}`,
        'PRODUCT: iPhone14,2',
        'MODEL: d63ap',
        'NAME: iPhone 13 Pro',
      ].join('\n') + '\n',
    );
    return;
  }
  err('ERROR: Unable to connect to device\n');
  process.exit(255);
}

const tools = { idevice_id: ideviceId, ideviceinfo, idevicebackup2, irecovery };
await tools[tool]();
