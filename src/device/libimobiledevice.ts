import { modelName } from '../backup/device-models.js';
import { classifyToolOutput, DeviceError, failureMessage } from './errors.js';
import { findTool, runTool } from './tools.js';

export interface ConnectedDevice {
  udid: string;
  /** 'usb' unless idevice_id marked it "(Network)". */
  connection: 'usb' | 'network';
}

export interface DeviceInfo {
  udid: string;
  deviceName: string | null;
  productType: string | null;
  model: string | null;
  iosVersion: string | null;
  buildVersion: string | null;
  serialNumber: string | null;
  /** com.apple.mobile.backup WillEncrypt; null when it could not be read. */
  willEncrypt: boolean | null;
}

/** Parses `idevice_id -l`: one UDID a line, newer versions may add " (USB)" / " (Network)". */
export function parseDeviceList(text: string): ConnectedDevice[] {
  const devices: ConnectedDevice[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^([0-9A-Fa-f-]{24,40})(?:\s+\((USB|Network)\))?\s*$/.exec(line.trim());
    if (match)
      devices.push({ udid: match[1]!, connection: match[2] === 'Network' ? 'network' : 'usb' });
  }
  return devices;
}

/** Parses `ideviceinfo` key/value output: top-level "Key: value" lines (nested dictionaries are indented). */
export function parseKeyValues(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^([A-Za-z][A-Za-z0-9_.-]*): (.*)$/.exec(line);
    if (match) values[match[1]!] = match[2]!.trim();
  }
  return values;
}

/** Throws the one-line DeviceError that a failed tool run stands for. */
export function failFromOutput(
  tool: string,
  result: { code: number | null; stdout: string; stderr: string },
  device?: string,
): never {
  const text = `${result.stdout}\n${result.stderr}`;
  const known = classifyToolOutput(text);
  if (known)
    throw new DeviceError(known.failure, failureMessage(known.failure, device, known.detail));
  const last =
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .pop() ?? `exit status ${result.code}`;
  throw new DeviceError('backup-failed', `${tool} failed: ${last}`);
}

/** Devices usbmuxd sees in normal mode. */
export async function listDevices(): Promise<ConnectedDevice[]> {
  const result = await runTool('idevice_id', ['-l'], { timeoutMs: 20_000 });
  if (result.code !== 0) failFromOutput('idevice_id', result);
  return parseDeviceList(result.stdout);
}

/** Reads name, model, iOS version and WillEncrypt. `simple` avoids pairing (no Trust prompt; fewer values). */
export async function deviceInfo(
  udid: string,
  options: { simple?: boolean } = {},
): Promise<DeviceInfo> {
  const args = ['-u', udid, ...(options.simple ? ['-s'] : [])];
  const result = await runTool('ideviceinfo', args, { timeoutMs: 30_000 });
  const text = `${result.stdout}\n${result.stderr}`;
  if (result.code !== 0 || /Could not connect to lockdownd|No device found/i.test(text))
    failFromOutput('ideviceinfo', result, 'The device');
  const values = parseKeyValues(result.stdout);
  let willEncrypt: boolean | null = null;
  if (!options.simple) {
    const backup = await runTool(
      'ideviceinfo',
      ['-u', udid, '-q', 'com.apple.mobile.backup', '-k', 'WillEncrypt'],
      { timeoutMs: 30_000 },
    );
    const answer = backup.stdout.trim().toLowerCase();
    if (backup.code === 0)
      willEncrypt = answer === 'true' ? true : answer === 'false' || answer === '' ? false : null;
  }
  const productType = values['ProductType'] ?? null;
  return {
    udid: values['UniqueDeviceID'] ?? udid,
    deviceName: values['DeviceName'] ?? null,
    productType,
    model: modelName(productType),
    iosVersion: values['ProductVersion'] ?? null,
    buildVersion: values['BuildVersion'] ?? null,
    serialNumber: values['SerialNumber'] ?? null,
    willEncrypt,
  };
}

export interface RecoveryQuery {
  mode: 'recovery' | 'dfu' | 'other';
  productType: string | null;
  ecid: string | null;
}

/** Parses `irecovery -q` ("MODE: Recovery", "PRODUCT: iPhone11,2", "ECID: 0x…"). */
export function parseRecoveryQuery(text: string): RecoveryQuery | null {
  const values = parseKeyValues(text);
  if (!values['MODE']) return null;
  const mode = values['MODE'].toLowerCase();
  return {
    mode: mode === 'recovery' ? 'recovery' : mode === 'dfu' ? 'dfu' : 'other',
    productType: values['PRODUCT'] ?? null,
    ecid: values['ECID'] ?? null,
  };
}

/** A device in recovery or DFU mode, through irecovery when it is installed; null when none or no irecovery. */
export async function queryRecovery(): Promise<RecoveryQuery | null> {
  if (!findTool('irecovery')) return null;
  const result = await runTool('irecovery', ['-q'], { timeoutMs: 15_000 });
  if (result.code !== 0) return null;
  return parseRecoveryQuery(result.stdout);
}
