import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Backup } from '../../src/backup/backup.js';
import { WrongPasswordError } from '../../src/errors.js';
import { BackupOutputParser, type BackupProgress } from '../../src/device/backup-output.js';
import { classifyToolOutput, DeviceExitCode } from '../../src/device/errors.js';
import {
  parseDeviceList,
  parseKeyValues,
  parseRecoveryQuery,
} from '../../src/device/libimobiledevice.js';
import { checkToolPassword } from '../../src/device/device-backup.js';
import { buildDemoContent } from '../../demo/src/index.js';
import { runCli, writeBackup } from '../support/backups.js';
import { tempDir } from '../support/fixtures.js';
import { readLog, runCliInterrupted, standinEnv, STANDIN_UDID } from './helpers.js';

const ALICE = {
  deviceName: 'Alice’s iPhone',
  productType: 'iPhone14,2',
  productVersion: '17.5.1',
  buildVersion: '21F90',
  serialNumber: 'F2LXXXXXXXXX',
  udid: STANDIN_UDID,
};

const bar = (p: number) =>
  `\r[${Array.from({ length: 50 }, (_, i) => (i < p / 2 ? '=' : ' ')).join('')}] ${String(p).padStart(3)}%`;

describe('parsing libimobiledevice output', () => {
  test('idevice_id -l: plain UDIDs and the (USB)/(Network) suffix', () => {
    assert.deepEqual(
      parseDeviceList(
        '00008110-000A1C8E0C38801E\n0123456789abcdef0123456789abcdef01234567 (Network)\n\n',
      ),
      [
        { udid: '00008110-000A1C8E0C38801E', connection: 'usb' },
        { udid: '0123456789abcdef0123456789abcdef01234567', connection: 'network' },
      ],
    );
    assert.deepEqual(parseDeviceList(''), []);
  });

  test('ideviceinfo key/value lines, nested values ignored', () => {
    const values = parseKeyValues(
      'DeviceName: Bob: the phone\nNonVolatileRAM:\n  auto-boot: dHJ1ZQ==\nProductType: iPad8,1\n',
    );
    assert.equal(values['DeviceName'], 'Bob: the phone');
    assert.equal(values['ProductType'], 'iPad8,1');
    assert.equal(values['auto-boot'], undefined);
  });

  test('irecovery -q', () => {
    assert.deepEqual(
      parseRecoveryQuery('CPID: 0x8110\nECID: 0x001a\nMODE: DFU\nPRODUCT: iPhone10,3\n'),
      { mode: 'dfu', productType: 'iPhone10,3', ecid: '0x001a' },
    );
    assert.equal(parseRecoveryQuery('ERROR: Unable to connect to device\n'), null);
  });

  test('lockdown errors in the 1.2 and 1.3 wordings', () => {
    assert.equal(
      classifyToolOutput('ERROR: Could not connect to lockdownd, error code -17\n')?.failure,
      'locked',
    );
    assert.equal(
      classifyToolOutput('ERROR: Could not connect to lockdownd: Password protected (-17)')
        ?.failure,
      'locked',
    );
    assert.equal(
      classifyToolOutput('ERROR: Could not connect to lockdownd: User denied pairing (-18)')
        ?.failure,
      'trust-denied',
    );
    assert.equal(
      classifyToolOutput('ERROR: Could not connect to lockdownd, error code -19')?.failure,
      'trust-pending',
    );
    assert.equal(
      classifyToolOutput('ERROR: Could not connect to lockdownd, error code -21')?.failure,
      'not-paired',
    );
    assert.equal(
      classifyToolOutput('ERROR: Could not connect to lockdownd, error code -5')?.failure,
      'not-paired',
    );
    assert.equal(
      classifyToolOutput('ERROR: Unable to retrieve device list!')?.failure,
      'no-usbmuxd',
    );
    assert.equal(classifyToolOutput('No device found, is it plugged in?')?.failure, 'no-device');
    assert.equal(
      classifyToolOutput(
        'ErrorCode 105: Insufficient free disk space on drive to upload files. (MBErrorDomain/105)',
      )?.failure,
      'disk-full',
    );
    assert.equal(classifyToolOutput('Backup Successful.'), null);
  });

  test('idevicebackup2 progress, split anywhere across chunks', () => {
    const seen: BackupProgress[] = [];
    const parser = new BackupOutputParser((p) => seen.push({ ...p }));
    const text =
      `Backup directory is "/x"\nFull backup mode.\n${bar(2)} Finished\nReceiving files\n${bar(50)} (1.2 MB/2.5 MB)     ${bar(100)} (2.5 MB/2.5 MB)     \n` +
      `${bar(64)} Finished\nReceived 1234 files from device.\nBackup Successful.\n`;
    for (let i = 0; i < text.length; i += 7) parser.push(text.slice(i, i + 7));
    const report = parser.end();
    assert.deepEqual(
      seen.map((p) => p.percent),
      [2, 2, 2, 64],
    );
    assert.deepEqual(seen[1], { percent: 2, batchDone: '1.2 MB', batchTotal: '2.5 MB' });
    assert.deepEqual(seen[2], { percent: 2, batchDone: '2.5 MB', batchTotal: '2.5 MB' });
    assert.equal(report.outcome, 'success');
    assert.equal(report.filesReceived, 1234);
    assert.equal(report.fullBackup, true);
  });

  test('failure and abort endings', () => {
    const failed = new BackupOutputParser();
    failed.push('ErrorCode 105: Insufficient free disk space\nBackup Failed (Error Code 105).\n');
    assert.deepEqual(
      [failed.end().outcome, failed.report.errorCode, failed.report.errorText],
      ['failed', 105, 'Insufficient free disk space'],
    );
    const aborted = new BackupOutputParser();
    aborted.push('User has cancelled the backup process on the device.\nBackup Aborted.');
    assert.equal(aborted.end().outcome, 'aborted');
    assert.equal(aborted.report.cancelledOnDevice, true);
  });

  test('passwords idevicebackup2 would mangle are refused', () => {
    assert.doesNotThrow(() => checkToolPassword('correct horse-battery_staple!', 'x'));
    assert.throws(() => checkToolPassword('grüße', 'x'), /printable ASCII/);
    assert.throws(() => checkToolPassword('tab\there', 'x'), /printable ASCII/);
    assert.throws(() => checkToolPassword('a'.repeat(256), 'x'), /255/);
    assert.throws(() => checkToolPassword('', 'x'), /empty/);
  });
});

describe('reclaim backup with stand-in tools', () => {
  let dir: { path: string; cleanup: () => void };
  let template: string;
  before(async () => {
    dir = tempDir('reclaim-device-');
    template = join(dir.path, 'template');
    await writeBackup(template, buildDemoContent({ only: ['messages'] }), { device: ALICE });
  });
  after(() => dir.cleanup());

  test('success: device found, progress reported, backup folder written', () => {
    const out = join(dir.path, 'ok');
    const log = join(dir.path, 'ok.log');
    const r = runCli(
      ['backup', '--out', out],
      standinEnv('success', { RECLAIM_STANDIN_TEMPLATE: template, RECLAIM_STANDIN_LOG: log }),
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stderr,
      /Device: Alice’s iPhone, iPhone 13 Pro, iOS 17\.5\.1 \[00008110-000A1C8E0C38801E\]/,
    );
    const percents = [...r.stderr.matchAll(/^progress: (\d+)%/gm)].map((m) => Number(m[1]));
    assert.deepEqual(percents, [2, 14, 37, 81, 100]);
    assert.match(r.stderr, /progress: 37% \(27\.9 MB\/27\.9 MB\)/);
    assert.match(
      r.stdout,
      new RegExp(
        `Backup finished: ${join(out, STANDIN_UDID).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(not encrypted, .* 1234 files received\\)`,
      ),
    );
    assert.ok(existsSync(join(out, STANDIN_UDID, 'Manifest.db')));
    const backupCall = readLog(log).find((c) => c.tool === 'idevicebackup2');
    assert.deepEqual(backupCall?.argv, ['-u', STANDIN_UDID, 'backup', '--full', out]);
  });

  const failures: [string, number, RegExp][] = [
    [
      'no-device',
      DeviceExitCode.noDevice,
      /^reclaim: No device found: connect the iPhone or iPad with a USB cable, unlock it/m,
    ],
    [
      'no-usbmuxd',
      DeviceExitCode.noUsbmuxd,
      /^reclaim: usbmuxd is not running, so no device can be reached: start it with `sudo systemctl start usbmuxd`/m,
    ],
    [
      'trust-pending',
      DeviceExitCode.notTrusted,
      /^reclaim: The device is asking whether to trust this computer: unlock it, tap Trust/m,
    ],
    [
      'trust-denied',
      DeviceExitCode.notTrusted,
      /^reclaim: The device refused to trust this computer \(Don't Trust was tapped\)/m,
    ],
    [
      'not-paired',
      DeviceExitCode.notTrusted,
      /^reclaim: This computer is not paired with the device .*idevicepair pair/m,
    ],
    [
      'passcode',
      DeviceExitCode.locked,
      /^reclaim: Alice’s iPhone is locked with its passcode: unlock it and keep it unlocked/m,
    ],
    [
      'disk-full',
      DeviceExitCode.backupFailed,
      /^reclaim: Not enough free disk space for the backup .*The partial backup is kept in/m,
    ],
    [
      'device-cancel',
      DeviceExitCode.interrupted,
      /^reclaim: The backup was interrupted on the device at 37%\. The partial backup is kept in/m,
    ],
    [
      'interrupted',
      DeviceExitCode.interrupted,
      /^reclaim: The backup was interrupted before it finished at 37%\. The partial backup is kept in .*run the same `reclaim backup` again/m,
    ],
    ['two-devices', 2, /^reclaim: 2 devices are connected: choose one with --udid/m],
  ];
  for (const [scenario, code, message] of failures) {
    test(`${scenario}: one line, exit ${code}`, () => {
      const r = runCli(
        ['backup', '--out', join(dir.path, scenario)],
        standinEnv(scenario, { RECLAIM_STANDIN_TEMPLATE: template }),
      );
      assert.equal(r.status, code, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.split('\n').filter((l) => l.startsWith('reclaim:')).length, 1);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    });
  }

  test('--udid of a device that is not connected', () => {
    const r = runCli(
      ['backup', '--udid', '0000000000000000000000000000000000000000'],
      standinEnv('success'),
    );
    assert.equal(r.status, DeviceExitCode.noDevice);
    assert.match(
      r.stderr,
      /0000000000000000000000000000000000000000 is not connected; connected: 00008110-000A1C8E0C38801E/,
    );
  });

  test('missing tools: the install command, exit 10', () => {
    const r = runCli(['backup'], { PATH: join(dir.path, 'empty-path') });
    assert.equal(r.status, DeviceExitCode.toolMissing);
    assert.match(
      r.stderr,
      /^reclaim: libimobiledevice is not installed \(idevice_id is not on PATH\): install it with/m,
    );
    if (process.platform === 'linux')
      assert.match(r.stderr, /apt-get install libimobiledevice-utils usbmuxd/);
  });

  test('Ctrl-C during a backup stops the tool cleanly and keeps the partial backup (exit 6)', async () => {
    const out = join(dir.path, 'hang');
    const r = await runCliInterrupted(
      ['backup', '--out', out],
      standinEnv('hang', { RECLAIM_STANDIN_TEMPLATE: template }),
      /progress: 37%/,
    );
    assert.equal(r.status, DeviceExitCode.interrupted, r.stderr);
    assert.match(
      r.stderr,
      /The backup was interrupted before it finished at 37%\. The partial backup is kept in/,
    );
    assert.ok(existsSync(join(out, STANDIN_UDID, 'Manifest.db')), 'partial backup kept');
    assert.ok(!existsSync(join(out, STANDIN_UDID, 'Status.plist')));
  });

  test('--encrypt: the new password goes through stdin twice, never in argv or the output', () => {
    const log = join(dir.path, 'enc.log');
    const secret = 'n3w secret-Pass!';
    const file = join(dir.path, 'new-pw');
    writeFileSync(file, `${secret}\n`);
    const r = runCli(
      ['backup', '--encrypt', '--new-password-file', file, '--out', join(dir.path, 'enc')],
      standinEnv('encryption', {
        RECLAIM_STANDIN_LOG: log,
        RECLAIM_STANDIN_TEMPLATE: template,
        RECLAIM_STANDIN_STATE: join(dir.path, 'enc-state.json'),
      }),
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /Backup encryption is now on/);
    assert.doesNotMatch(r.stderr, /Warning/);
    const calls = readLog(log);
    const enc = calls.find((c) => c.argv.includes('encryption'))!;
    assert.deepEqual(enc.argv, ['-u', STANDIN_UDID, '-i', 'encryption', 'on']);
    assert.equal(enc.stdin, `${secret}\n${secret}\n`);
    for (const call of calls)
      assert.ok(!call.argv.some((a) => a.includes(secret)), 'password never in argv');
    assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret));
    assert.ok(
      !r.stderr.includes('*'.repeat(secret.length)),
      "the tool's echoed asterisks are not shown",
    );
  });

  test('--encrypt when encryption is already on does not ask for a password', () => {
    const r = runCli(
      ['backup', '--encrypt', '--out', join(dir.path, 'already')],
      standinEnv('already-encrypted'),
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /Backup encryption is already on/);
    assert.match(
      r.stderr,
      /Alice’s iPhone still has a backup password set, and this backup will be encrypted with it\. If that password is lost, .*Reset All Settings/,
    );
  });

  test('after Reset All Settings, --encrypt sets the new password and the new backup opens with it', async () => {
    const secret = 'fresh start 2024';
    const file = join(dir.path, 'reset-pw');
    writeFileSync(file, `${secret}\n`);
    const encryptedTemplate = join(dir.path, 'template-encrypted');
    await writeBackup(encryptedTemplate, buildDemoContent({ only: ['messages'] }), {
      password: secret,
      device: { ...ALICE, udid: STANDIN_UDID },
    });
    const state = join(dir.path, 'reset-state.json');
    const log = join(dir.path, 'reset.log');
    const out = join(dir.path, 'reset');
    const env = standinEnv('success', {
      RECLAIM_STANDIN_STATE: state,
      RECLAIM_STANDIN_LOG: log,
      RECLAIM_STANDIN_TEMPLATE: encryptedTemplate,
    });
    const args = ['backup', '--encrypt', '--new-password-file', file, '--out', out];

    // The device still has the forgotten password: a clear message, nothing set, nothing backed up.
    writeFileSync(state, JSON.stringify({ willEncrypt: true }));
    const before = runCli(args, env);
    assert.equal(before.status, 2, before.stderr);
    assert.match(
      before.stderr,
      /^reclaim: Alice’s iPhone still has a backup password set \(backup encryption is already on\), so a new one cannot be set: .*--change-password\. If it is lost, Reset All Settings on the device removes it without erasing your data \(iOS 11 or later: Settings › General › Transfer or Reset iPhone/m,
    );
    assert.equal(before.stderr.split('\n').filter((l) => l.startsWith('reclaim:')).length, 1);
    assert.ok(!readLog(log).some((c) => c.tool === 'idevicebackup2'), 'idevicebackup2 not run');
    assert.ok(!existsSync(join(out, STANDIN_UDID)));

    // The person resets all settings on the device: the backup password is gone.
    writeFileSync(state, JSON.stringify({ willEncrypt: false }));
    const after = runCli(args, env);
    assert.equal(after.status, 0, after.stderr);
    assert.match(after.stderr, /Backup encryption is now on/);
    assert.doesNotMatch(after.stderr, /Warning/);
    assert.match(after.stdout, /Backup finished: .* \(encrypted, /);
    const calls = readLog(log).filter((c) => c.tool === 'idevicebackup2');
    assert.deepEqual(
      calls.map((c) => c.argv.slice(2, 4)),
      [
        ['-i', 'encryption'],
        ['backup', '--full'],
      ],
    );
    assert.equal(calls[0]!.stdin, `${secret}\n${secret}\n`);
    assert.deepEqual(JSON.parse(readFileSync(state, 'utf8')), {
      willEncrypt: true,
      hideWillEncrypt: false,
    });
    assert.ok(!after.stdout.includes(secret) && !after.stderr.includes(secret));
    // The fresh backup is encrypted and opens with the new password only.
    const made = Backup.open(join(out, STANDIN_UDID));
    assert.equal(made.encrypted, true);
    await assert.rejects(made.unlock({ password: 'the forgotten one' }), WrongPasswordError);
    await made.unlock({ password: secret });
    assert.ok(made.entries().some((e) => e.relativePath.endsWith('sms.db')));
  });

  test('when WillEncrypt cannot be read, idevicebackup2\'s "already enabled" gets the same message', () => {
    const state = join(dir.path, 'hidden-state.json');
    writeFileSync(state, JSON.stringify({ willEncrypt: true, hideWillEncrypt: true }));
    const r = runCli(
      ['backup', '--encrypt', '--out', join(dir.path, 'hidden')],
      standinEnv('success', { RECLAIM_STANDIN_STATE: state, RECLAIM_NEW_PASSWORD: 'new-one' }),
    );
    assert.equal(r.status, 2, r.stderr);
    assert.match(
      r.stderr,
      /^reclaim: Alice’s iPhone still has a backup password set .*Reset All Settings/m,
    );
    assert.ok(!existsSync(join(dir.path, 'hidden', STANDIN_UDID)));
  });

  test('--change-password: old and new through stdin; a wrong old one says so (exit 4)', () => {
    const log = join(dir.path, 'cpw.log');
    const env = {
      RECLAIM_STANDIN_LOG: log,
      RECLAIM_STANDIN_OLD_PASSWORD: 'old-pass',
      RECLAIM_NEW_PASSWORD: 'new-pass',
    };
    const ok = runCli(
      ['backup', '--change-password'],
      standinEnv('changepw', { ...env, RECLAIM_PASSWORD: 'old-pass' }),
    );
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stderr, /The backup password was changed/);
    const change = readLog(log).find((c) => c.argv.includes('changepw'))!;
    assert.deepEqual(change.argv, ['-u', STANDIN_UDID, '-i', 'changepw']);
    assert.equal(change.stdin, 'old-pass\nnew-pass\nnew-pass\n');
    const wrong = runCli(
      ['backup', '--change-password'],
      standinEnv('changepw', { ...env, RECLAIM_PASSWORD: 'not-it' }),
    );
    assert.equal(wrong.status, 4);
    assert.match(
      wrong.stderr,
      /^reclaim: Alice’s iPhone did not accept the backup password change: the current password is wrong/m,
    );
    assert.ok(!wrong.stderr.includes('not-it') && !wrong.stderr.includes('new-pass'));
    const off = runCli(['backup', '--change-password'], standinEnv('success', env));
    assert.equal(off.status, 2);
    assert.match(off.stderr, /Backup encryption is not on for Alice’s iPhone/);
  });

  test('a password idevicebackup2 cannot type is refused before anything runs', () => {
    const log = join(dir.path, 'bad.log');
    const r = runCli(
      ['backup', '--encrypt'],
      standinEnv('encryption', { RECLAIM_NEW_PASSWORD: 'pässwort', RECLAIM_STANDIN_LOG: log }),
    );
    assert.equal(r.status, 2);
    assert.match(r.stderr, /printable ASCII/);
    assert.ok(!readLog(log).some((c) => c.tool === 'idevicebackup2'));
  });
});
