import { spawnSync } from 'node:child_process';
import { findTool } from '../../device/tools.js';
import type { HashTarget } from '../hash-line.js';

/** hashcat's modes for iTunes backups: 14700 before iOS 10.2, 14800 from iOS 10.2. */
export function hashcatMode(target: HashTarget): 14700 | 14800 {
  return target.version === 10 ? 14800 : 14700;
}

export interface HashcatDevice {
  name: string;
  type: 'GPU' | 'CPU' | 'other';
}

export interface Hashcat {
  path: string;
  version: string;
  devices: HashcatDevice[];
}

/** Why hashcat cannot be used here, in one line, or null when it can. */
export type HashcatProblem = string;

/**
 * The devices in `hashcat -I` output. CUDA and HIP list only GPUs and print no type; OpenCL and Metal
 * print `Type...: GPU|CPU` under each `Backend Device ID #n`.
 */
export function parseDeviceList(text: string): HashcatDevice[] {
  const devices: HashcatDevice[] = [];
  let section = '';
  let current: HashcatDevice | null = null;
  for (const line of text.split(/\r?\n/)) {
    const heading = /^(\w+) Info:\s*$/.exec(line.trim());
    if (heading) {
      section = heading[1]!.toUpperCase();
      current = null;
      continue;
    }
    if (/Platform ID #\d+/.test(line)) current = null; // a platform's own Name line follows
    if (/^Backend Device ID #\d+/.test(line.trim())) {
      current = { name: '', type: section === 'CUDA' || section === 'HIP' ? 'GPU' : 'other' };
      devices.push(current);
      continue;
    }
    const field = /^\s*(Type|Name)\.+:\s*(.*)$/.exec(line);
    if (!field || !current) continue;
    if (field[1] === 'Name') current.name = field[2]!.trim();
    else current.type = /GPU/i.test(field[2]!) ? 'GPU' : /CPU/i.test(field[2]!) ? 'CPU' : 'other';
  }
  return devices;
}

/** hashcat on PATH with the devices it can use, or the one-line reason it cannot be used. */
export function probeHashcat(env: NodeJS.ProcessEnv = process.env): Hashcat | HashcatProblem {
  const path = findTool('hashcat', env);
  if (!path)
    return 'hashcat is not installed (https://hashcat.net, or `apt-get install hashcat pocl-opencl-icd`)';
  const run = (args: string[]) =>
    spawnSync(path, args, { encoding: 'utf8', env, timeout: 120_000, stdio: 'pipe' });
  const version = run(['--version']);
  if (version.status !== 0)
    return `hashcat does not start (${(version.error?.message ?? version.stderr ?? '').trim() || `exit ${version.status}`})`;
  const info = run(['-I', '--quiet']);
  const devices = parseDeviceList(`${info.stdout ?? ''}`);
  if (devices.length === 0)
    return 'hashcat finds no device to run on (it needs an OpenCL, CUDA, HIP or Metal runtime: on Debian, `apt-get install pocl-opencl-icd ocl-icd-libopencl1`)';
  return { path, version: version.stdout.trim(), devices };
}

export const hasGpu = (hashcat: Hashcat) => hashcat.devices.some((d) => d.type === 'GPU');
