import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { backupDevice } from '../../src/device/device-backup.js';
import { classifyToolOutput, DeviceExitCode } from '../../src/device/errors.js';
import { deviceInfo, listDevices, parseDeviceList } from '../../src/device/libimobiledevice.js';
import type { RescuePlan } from '../../src/device/rescue-plan.js';
import { findTool } from '../../src/device/tools.js';
import { runCli } from '../support/backups.js';
import { tempDir } from '../support/fixtures.js';

// Debian's libimobiledevice-utils, as `.ci/run` installs it. Without a device the real tools must give the
// answers Reclaim recognises: "usbmuxd is not running" when no usbmuxd, "no device" when it runs alone.
const TOOLS = ['idevice_id', 'ideviceinfo', 'idevicebackup2'];
const missing = TOOLS.filter((tool) => !findTool(tool));
const NOT_CONNECTED = '0000000000000000000000000000000000000000';

function run(tool: string, args: string[]) {
  const r = spawnSync(tool, args, { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, text: `${r.stdout}\n${r.stderr}`, stdout: r.stdout };
}

describe(
  'the real libimobiledevice tools, without a device',
  {
    skip: missing.length
      ? `libimobiledevice-utils is not installed here (${missing.join(', ')} missing; apt-get install libimobiledevice-utils): the real-tool check is skipped`
      : false,
  },
  () => {
    const dir = tempDir('reclaim-real-tools-');
    /** What this machine has: no usbmuxd, or usbmuxd with no device (a connected device skips the checks). */
    let situation: 'no-usbmuxd' | 'no-device' | 'device-connected';
    before(() => {
      const list = run('idevice_id', ['-l']);
      if (list.status === 0)
        situation = parseDeviceList(list.stdout).length ? 'device-connected' : 'no-device';
      else situation = 'no-usbmuxd';
    });
    after(() => dir.cleanup());
    const skipWithDevice = (t: { skip: (m: string) => void }) => {
      if (situation !== 'device-connected') return false;
      t.skip('a device is connected to this machine: the no-device answers cannot be checked');
      return true;
    };

    test('idevice_id -l: a non-zero exit Reclaim reads as "usbmuxd is not running", or an empty list', async (t) => {
      if (skipWithDevice(t)) return;
      const list = run('idevice_id', ['-l']);
      if (situation === 'no-usbmuxd') {
        assert.notEqual(list.status, 0);
        assert.equal(classifyToolOutput(list.text)?.failure, 'no-usbmuxd', list.text);
        await assert.rejects(listDevices(), (e: { failure?: string; exitCode?: number }) => {
          assert.equal(e.failure, 'no-usbmuxd');
          assert.equal(e.exitCode, DeviceExitCode.noUsbmuxd);
          return true;
        });
      } else {
        assert.deepEqual(await listDevices(), []);
      }
    });

    test('ideviceinfo and idevicebackup2 for a device that is not there: "no device" (or no usbmuxd)', async (t) => {
      if (skipWithDevice(t)) return;
      const expected = ['no-device', 'no-usbmuxd'];
      const info = run('ideviceinfo', ['-u', NOT_CONNECTED]);
      assert.notEqual(info.status, 0);
      assert.ok(expected.includes(classifyToolOutput(info.text)?.failure ?? ''), info.text);
      await assert.rejects(deviceInfo(NOT_CONNECTED), (e: { failure?: string }) =>
        expected.includes(e.failure ?? ''),
      );
      const out = join(dir.path, 'backup');
      await assert.rejects(
        backupDevice({ udid: NOT_CONNECTED, out }),
        (e: { failure?: string; exitCode?: number }) => {
          assert.ok(expected.includes(e.failure ?? ''), String(e));
          assert.equal(
            e.exitCode,
            e.failure === 'no-device' ? DeviceExitCode.noDevice : DeviceExitCode.noUsbmuxd,
          );
          return true;
        },
      );
      assert.ok(!existsSync(join(out, NOT_CONNECTED)), 'nothing written');
    });

    test('reclaim backup: one line and exit 11 (usbmuxd not running) or 12 (no device)', (t) => {
      if (skipWithDevice(t)) return;
      const out = join(dir.path, 'cli');
      const r = runCli(['backup', '--out', out]);
      const lines = r.stderr.split('\n').filter((l) => l.startsWith('reclaim:'));
      assert.equal(lines.length, 1, r.stderr);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      if (situation === 'no-usbmuxd') {
        assert.equal(r.status, DeviceExitCode.noUsbmuxd, r.stderr);
        assert.match(lines[0]!, /^reclaim: usbmuxd is not running, so no device can be reached: /);
      } else {
        assert.equal(r.status, DeviceExitCode.noDevice, r.stderr);
        assert.match(lines[0]!, /^reclaim: No device found: connect the iPhone or iPad/);
      }
      assert.ok(!existsSync(out), 'no folder made');
    });

    test('reclaim rescue-plan: the device is "not connected", and says why', (t) => {
      if (skipWithDevice(t)) return;
      const r = runCli(['rescue-plan', '--backups', join(dir.path, 'none'), '--json']);
      assert.equal(r.status, 0, r.stderr);
      const plan = JSON.parse(r.stdout) as RescuePlan;
      assert.equal(plan.connected?.state, 'not-connected');
      assert.match(
        plan.connected?.note ?? '',
        situation === 'no-usbmuxd' ? /usbmuxd is not running/ : /^No device found in normal mode/,
      );
    });
  },
);
