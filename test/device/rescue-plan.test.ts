import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import picomatch from 'picomatch';
import { DATA_LOCATIONS } from '../../src/artifacts/catalog.js';
import type { BackupFileInput } from '../../src/backup/types.js';
import { buildDemoContent } from '../../demo/src/index.js';
import type { RescuePlan } from '../../src/device/rescue-plan.js';
import { modelFamily } from '../../src/device/recovery-steps.js';
import { runCli, writeBackup } from '../support/backups.js';
import { tempDir } from '../support/fixtures.js';
import { standinEnv, STANDIN_UDID } from './helpers.js';

const UDID_A = '00008110-0011223344556677';
const UDID_B = 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678';
const deviceA = {
  deviceName: 'Alice’s iPhone',
  productType: 'iPhone14,2',
  productVersion: '17.5.1',
  buildVersion: '21F90',
  serialNumber: 'F2LAAAAAAAAA',
  udid: UDID_A,
};
const deviceB = {
  deviceName: 'Kitchen iPad',
  productType: 'iPad8,1',
  productVersion: '16.7.8',
  buildVersion: '20H343',
  serialNumber: 'DMPBBBBBBBBB',
  udid: UDID_B,
};

/** Expected per-category file counts, worked out from the inputs independently of the code under test. */
function expectedCounts(files: BackupFileInput[]): Record<string, number> {
  const held = new Map<string, Set<BackupFileInput>>();
  for (const location of DATA_LOCATIONS) {
    const match = picomatch(location.path, { dot: true, nocase: location.nocase === true });
    for (const f of files)
      if ((f.kind ?? 'file') === 'file' && f.domain === location.domain && match(f.relativePath))
        held.set(location.category, (held.get(location.category) ?? new Set()).add(f));
  }
  return Object.fromEntries([...held].map(([category, found]) => [category, found.size]));
}
const held = (counts: { category: string; files: number }[] | null) =>
  Object.fromEntries((counts ?? []).filter((c) => c.files > 0).map((c) => [c.category, c.files]));

describe('reclaim rescue-plan', () => {
  let dir: { path: string; cleanup: () => void };
  let root: string;
  const messages = buildDemoContent({ only: ['messages'] });
  const both = buildDemoContent({ only: ['messages', 'photos'] });
  before(async () => {
    dir = tempDir('reclaim-rescue-');
    root = join(dir.path, 'Backup');
    await writeBackup(join(root, 'a-jan'), messages, {
      device: deviceA,
      date: new Date('2024-01-10T09:00:00Z'),
    });
    await writeBackup(join(root, 'a-mar'), both, {
      device: deviceA,
      date: new Date('2024-03-05T18:30:00Z'),
      password: 'pw-A',
    });
    await writeBackup(join(root, 'a-apr-unfinished'), messages.slice(0, 1), {
      device: deviceA,
      date: new Date('2024-04-01T07:00:00Z'),
      finished: false,
    });
    await writeBackup(join(root, 'b-jun'), messages, {
      device: deviceB,
      date: new Date('2023-06-01T12:00:00Z'),
    });
    await writeBackup(join(root, 'b-sep'), both, {
      device: deviceB,
      date: new Date('2023-09-15T12:00:00Z'),
    });
  });
  after(() => dir.cleanup());

  const plan = (args: string[], env: Record<string, string> = {}): RescuePlan => {
    const r = runCli(['rescue-plan', '--backups', root, '--json', '--utc', ...args], env);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as RescuePlan;
  };

  test('two devices: the right latest backup and counts for each', () => {
    const p = plan(['--no-probe']);
    assert.deepEqual(
      p.devices.map((d) => d.udid),
      [UDID_A.toUpperCase(), UDID_B.toUpperCase()],
    );
    const [a, b] = p.devices as [RescuePlan['devices'][0], RescuePlan['devices'][0]];
    assert.deepEqual(
      a.backups.map((x) => x.date),
      ['2024-04-01T07:00:00.000Z', '2024-03-05T18:30:00.000Z', '2024-01-10T09:00:00.000Z'],
    );
    // The unfinished April backup is listed but the latest usable one is March's.
    assert.equal(a.latest?.path, join(root, 'a-mar'));
    assert.equal(a.latest?.date, '2024-03-05T18:30:00.000Z');
    assert.equal(a.backups[0]!.finished, false);
    const march = a.backups[1]!;
    assert.equal(march.encrypted, true);
    assert.equal(march.password, 'not-given');
    assert.equal(march.counts, null);
    assert.match(
      march.countsNote ?? '',
      /encrypted: what it holds can be counted with its backup password/,
    );
    assert.deepEqual(held(a.backups[2]!.counts), expectedCounts(messages));
    assert.match(a.erasingLoses, /after 2024-03-05 18:30:00 UTC/);
    assert.equal(a.family, 'iphone-8-and-later');
    assert.equal(a.deviceName, 'Alice’s iPhone');

    assert.equal(b.latest?.path, join(root, 'b-sep'));
    assert.equal(b.latest?.date, '2023-09-15T12:00:00.000Z');
    assert.deepEqual(held(b.backups[0]!.counts), expectedCounts(both));
    assert.ok(
      expectedCounts(both)['Photos and videos']! > 0 && expectedCounts(both)['Messages'] === 1,
    );
    assert.equal(b.backups[0]!.password, 'not-encrypted');
    assert.equal(b.family, 'ipad-without-home-button');
    assert.match(b.recovery.enterRecovery.join(' '), /volume button nearest the top button/);
    assert.equal(p.connected, null);
  });

  test('the backup password: one that works unlocks the counts, a wrong one says so', () => {
    const good = plan(['--no-probe', '--device', UDID_A], { RECLAIM_PASSWORD: 'pw-A' });
    assert.equal(good.devices.length, 1);
    const march = good.devices[0]!.backups.find((b) => b.encrypted)!;
    assert.equal(march.password, 'works');
    assert.deepEqual(held(march.counts), expectedCounts(both));
    const bad = runCli(['rescue-plan', '--backups', root, '--no-probe', '--device', UDID_A], {
      RECLAIM_PASSWORD: 'nope',
    });
    assert.equal(bad.status, 0, bad.stderr);
    assert.match(bad.stdout, /encrypted — the password given is WRONG/);
    assert.match(bad.stdout, /The password given does not unlock this backup/);
    assert.ok(!bad.stdout.includes('nope'));
  });

  test('--device picks one device (UDID in any case); the text states the limits plainly', () => {
    const r = runCli([
      'rescue-plan',
      '--utc',
      '--backups',
      root,
      '--no-probe',
      '--device',
      UDID_B.toLowerCase(),
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /== Kitchen iPad \(iPad Pro \(11-inch\)|== Kitchen iPad/);
    assert.doesNotMatch(r.stdout, /Alice/);
    assert.match(r.stdout, /Latest backup: 2023-09-15T12:00:00.000Z/);
    assert.match(r.stdout, /passcode cannot be recovered or bypassed/);
    assert.match(r.stdout, /Reclaim does not bypass screen locks, Activation Lock or MDM/);
    assert.match(r.stdout, /Find My/);
    assert.match(r.stdout, /iCloud Backup/);
    assert.match(r.stdout, /Holds: Photos and videos \d+; .*Messages 1/);
  });

  test('a device in recovery mode (irecovery), a connected device, and no tools at all', () => {
    const recovery = plan([], standinEnv('recovery'));
    assert.equal(recovery.connected?.state, 'recovery');
    assert.equal(recovery.connected?.productType, 'iPhone14,2');
    const dfu = plan([], standinEnv('dfu'));
    assert.equal(dfu.connected?.state, 'dfu');
    const normal = plan([], standinEnv('success'));
    assert.equal(normal.connected?.state, 'normal');
    assert.equal(normal.connected?.udid, STANDIN_UDID);
    assert.equal(normal.connected?.productType, 'iPhone14,2');
    // The connected device has no backups here: the plan is about it, and says so.
    assert.equal(normal.devices.length, 1);
    assert.equal(normal.devices[0]!.backups.length, 0);
    assert.equal(normal.devices[0]!.family, 'iphone-8-and-later');
    assert.match(normal.devices[0]!.erasingLoses, /no backup of this device on this computer/);
    const none = plan([], standinEnv('no-device'));
    assert.equal(none.connected?.state, 'not-connected');
    assert.equal(none.devices.length, 2);
    const noTools = plan([], { PATH: join(dir.path, 'empty') });
    assert.equal(noTools.connected?.state, 'unknown');
    assert.match(noTools.connected?.note ?? '', /libimobiledevice is not installed/);
    const locked = plan([], standinEnv('trust-pending'));
    assert.equal(locked.connected?.state, 'normal');
  });

  test('model families for the recovery-mode buttons', () => {
    assert.equal(modelFamily('iPhone10,3'), 'iphone-8-and-later');
    assert.equal(modelFamily('iPhone12,8'), 'iphone-8-and-later');
    assert.equal(modelFamily('iPhone9,3'), 'iphone-7');
    assert.equal(modelFamily('iPhone8,4'), 'iphone-6s-and-earlier');
    assert.equal(modelFamily('iPad7,11'), 'ipad-with-home-button');
    assert.equal(modelFamily('iPad13,18'), 'ipad-without-home-button');
    assert.equal(modelFamily(null), 'unknown');
  });

  test('an encrypted backup whose password is unknown or wrong gets the lost-password guidance', () => {
    const march = (p: RescuePlan) => p.devices[0]!.backups.find((b) => b.encrypted)!;
    const unknown = plan(['--no-probe', '--device', UDID_A]);
    const guidance = march(unknown).passwordGuidance!;
    assert.equal(guidance.situation, 'not-given');
    assert.deepEqual(
      guidance.ways.map((w) => w.id),
      ['better-candidates', 'gpu', 'reset-settings'],
    );
    assert.ok(guidance.ways[1]!.steps[0]!.includes(join(root, 'a-mar')));
    assert.match(guidance.ways[2]!.keeps!, /photos, messages/);
    assert.ok(
      unknown.devices[0]!.backups.filter((b) => !b.encrypted).every((b) => !b.passwordGuidance),
    );
    const wrong = plan(['--no-probe', '--device', UDID_A], { RECLAIM_PASSWORD: 'nope' });
    assert.equal(march(wrong).passwordGuidance?.situation, 'wrong');
    const works = plan(['--no-probe', '--device', UDID_A], { RECLAIM_PASSWORD: 'pw-A' });
    assert.equal(march(works).passwordGuidance, null);

    const text = runCli(['rescue-plan', '--backups', root, '--no-probe']);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /If this backup's password is lost: Apple keeps no copy/);
    assert.ok(
      text.stdout.includes(`Try: reclaim password recover ${join(root, 'a-mar')} --remember`),
      text.stdout,
    );
    assert.ok(text.stdout.includes(`reclaim password hash ${join(root, 'a-mar')} > backup.hash`));
    // The device-level way forward, once for Alice's iPhone (the iPad's backups are not encrypted).
    assert.equal(
      text.stdout.split('If a backup password is lost, new backups can still be made:').length,
      2,
    );
    assert.match(text.stdout, /Reset All Settings \(iOS 11 or later\)/);
    assert.match(text.stdout, /Backups made with the forgotten password stay locked/);
  });

  test('a backup without a UDID is an unknown device, its path kept as it is', async () => {
    const other = join(dir.path, 'Other Root');
    const path = join(other, 'Old Phone MixedCase');
    await writeBackup(path, messages, {
      date: new Date('2022-02-02T10:00:00Z'),
      info: {
        'Device Name': 'Old Phone',
        'Product Type': 'iPhone10,3',
        'Last Backup Date': new Date('2022-02-02T10:00:00Z'),
      },
      manifest: {
        Version: '10.0',
        Lockdown: { ProductType: 'iPhone10,3', ProductVersion: '15.0' },
      },
    });
    const r = runCli(['rescue-plan', '--backups', other, '--no-probe']);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stdout.includes(`== Old Phone (iPhone X) — unknown device (${path})\n`), r.stdout);
    assert.ok(!r.stdout.includes(path.toUpperCase()));
    assert.doesNotMatch(r.stdout, /UDID UNKNOWN/i);
    const json = plan(['--no-probe']); // the main root still groups by UDID
    assert.ok(json.devices.every((d) => d.udid !== null));
    const alone = JSON.parse(
      runCli(['rescue-plan', '--backups', other, '--no-probe', '--json']).stdout,
    ) as RescuePlan;
    assert.equal(alone.devices.length, 1);
    assert.equal(alone.devices[0]!.udid, null);
    assert.equal(alone.devices[0]!.latest?.path, path);
  });

  test('an empty or missing folder still gives the plan', () => {
    const r = runCli(['rescue-plan', '--backups', join(dir.path, 'nothing'), '--no-probe']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /No backups of it on this computer/);
    assert.match(r.stdout, /erasing loses everything on it that is not in iCloud/);
  });
});
