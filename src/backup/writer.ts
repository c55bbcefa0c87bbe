import { createCipheriv, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import createBplist from 'bplist-creator';
import plist from 'plist';
import { ExitCode, ReclaimError } from '../errors.js';
import { encryptBuffer, wrapEntryKey } from './crypto.js';
import { fileIdOf } from './file-id.js';
import type { ClassKeys } from './keybag.js';
import { createKeybag, type KeyDerivationSettings } from './keybag-writer.js';
import { serializeManifestDb } from './manifest-db.js';
import { serializeMbdb } from './mbdb.js';
import type { IndexFormat } from './backup.js';
import type { PlistDict } from './plist.js';
import type { BackupEntry, BackupFileInput } from './types.js';

export interface DeviceDescription {
  deviceName: string;
  productType: string;
  productVersion: string;
  buildVersion: string;
  serialNumber: string;
  udid: string;
  phoneNumber?: string;
  imei?: string;
}

export interface WriterOptions {
  format?: IndexFormat;
  /** Encrypts the backup with this password. */
  password?: string;
  keyDerivation?: Partial<KeyDerivationSettings>;
  device?: DeviceDescription;
  date?: Date;
  installedApps?: string[];
  /** Whether Status.plist says the backup finished (default true). */
  finished?: boolean;
  /** Plists to write as they are (decrypt keeps the source's); the writer sets the encryption fields. */
  info?: PlistDict;
  status?: PlistDict;
  manifest?: PlistDict;
}

const DEFAULT_DEVICE: DeviceDescription = {
  deviceName: 'iPhone',
  productType: 'iPhone14,2',
  productVersion: '17.5.1',
  buildVersion: '21F90',
  serialNumber: 'F2LXXXXXXXXX',
  udid: '00008110-000000000000001E',
};

const unixSeconds = (date: Date | undefined, fallback: number) =>
  date ? Math.floor(date.getTime() / 1000) : fallback;

/** Counts bytes going through. */
class ByteCounter extends Transform {
  bytes = 0;
  override _transform(
    chunk: Buffer,
    _e: BufferEncoding,
    done: (e?: Error | null, d?: Buffer) => void,
  ): void {
    this.bytes += chunk.length;
    done(null, chunk);
  }
}

/**
 * Writes a backup folder in the layout iTunes/Finder use (iOS 10+ Manifest.db, or iOS 5–9 Manifest.mbdb),
 * plain or encrypted. Used by `decrypt`, by the demo backup and by tests.
 */
export class BackupWriter {
  private readonly entries: BackupEntry[] = [];
  private readonly seen = new Set<string>();

  private constructor(
    readonly dir: string,
    private readonly options: WriterOptions,
    private readonly format: IndexFormat,
    private readonly keybagBytes: Buffer | null,
    private readonly classKeys: ClassKeys | null,
    private readonly now: number,
  ) {}

  static async create(dir: string, options: WriterOptions = {}): Promise<BackupWriter> {
    if (existsSync(dir) && readdirSync(dir).length > 0) {
      throw new ReclaimError(`Output folder is not empty: ${dir}`, ExitCode.usage);
    }
    mkdirSync(dir, { recursive: true });
    const format = options.format ?? 'manifest-db';
    let keybagBytes: Buffer | null = null;
    let classKeys: ClassKeys | null = null;
    if (options.password !== undefined) {
      const settings: KeyDerivationSettings = {
        iterations: options.keyDerivation?.iterations ?? 10_000,
        dpic:
          options.keyDerivation?.dpic !== undefined
            ? options.keyDerivation.dpic
            : format === 'mbdb'
              ? null
              : 10_000_000,
      };
      ({ bytes: keybagBytes, classKeys } = await createKeybag(options.password, settings));
    }
    return new BackupWriter(
      dir,
      options,
      format,
      keybagBytes,
      classKeys,
      unixSeconds(options.date, Math.floor(Date.now() / 1000)),
    );
  }

  private entryFor(input: BackupFileInput, size: number, key: Buffer | null): BackupEntry {
    const kind = input.kind ?? 'file';
    const id = `${input.domain}-${input.relativePath}`;
    if (this.seen.has(id)) throw new RangeError(`duplicate entry ${id}`);
    this.seen.add(id);
    const modified = unixSeconds(input.modified, this.now);
    const protectionClass = input.protectionClass ?? (kind === 'file' ? 3 : 0);
    const typeBits = kind === 'directory' ? 0o040000 : kind === 'symlink' ? 0o120000 : 0o100000;
    return {
      domain: input.domain,
      relativePath: input.relativePath,
      fileID: fileIdOf(input.domain, input.relativePath),
      kind,
      size,
      mode: typeBits | ((input.mode ?? (kind === 'directory' ? 0o755 : 0o644)) & 0o7777),
      modified,
      created: unixSeconds(input.created, modified),
      statusChanged: unixSeconds(input.statusChanged, modified),
      protectionClass,
      wrappedKey: key && this.classKeys ? wrapEntryKey(this.classKeys, protectionClass, key) : null,
      target: input.target ?? null,
      ...(input.extras ? { extras: input.extras } : {}),
    };
  }

  private dataPath(fileID: string): string {
    if (this.format === 'mbdb') return join(this.dir, fileID);
    const folder = join(this.dir, fileID.slice(0, 2));
    mkdirSync(folder, { recursive: true });
    return join(folder, fileID);
  }

  /** Adds a directory, a symlink, or a file whose bytes are in `input.data`. */
  add(input: BackupFileInput): void {
    if (input.kind === 'directory' || input.kind === 'symlink') {
      this.entries.push(this.entryFor(input, 0, null));
      return;
    }
    const data = input.data ?? Buffer.alloc(0);
    const key = this.classKeys ? randomBytes(32) : null;
    const entry = this.entryFor({ ...input, kind: 'file' }, data.length, key);
    writeFileSync(this.dataPath(entry.fileID), key ? encryptBuffer(key, data) : data);
    this.entries.push(entry);
  }

  /** Adds files together with the folder entries above them, as real backups index them. */
  addAll(files: BackupFileInput[]): void {
    for (const file of files) {
      const parts = file.relativePath.split('/');
      for (let i = 1; i < parts.length; i++) {
        const folder = parts.slice(0, i).join('/');
        if (!this.seen.has(`${file.domain}-${folder}`))
          this.add({
            domain: file.domain,
            relativePath: folder,
            kind: 'directory',
            modified: file.modified,
          });
      }
      this.add(file);
    }
  }

  /** Adds a file whose bytes stream from `source` (memory stays flat). Returns the byte count. */
  async addStream(input: BackupFileInput, source: Readable): Promise<number> {
    const key = this.classKeys ? randomBytes(32) : null;
    const entry = this.entryFor({ ...input, kind: 'file' }, 0, key);
    const counter = new ByteCounter();
    const out = createWriteStream(this.dataPath(entry.fileID));
    if (key)
      await pipeline(source, counter, createCipheriv('aes-256-cbc', key, Buffer.alloc(16)), out);
    else await pipeline(source, counter, out);
    entry.size = counter.bytes;
    this.entries.push(entry);
    return counter.bytes;
  }

  /** Index rows for files whose data is absent (as in partial backups). */
  addMissing(input: BackupFileInput, size: number): void {
    this.entries.push(
      this.entryFor({ ...input, kind: 'file' }, size, this.classKeys ? randomBytes(32) : null),
    );
  }

  async finish(): Promise<void> {
    const device = this.options.device ?? DEFAULT_DEVICE;
    const date = new Date(this.now * 1000);
    const encrypted = this.classKeys !== null;
    let manifestKey: Buffer | null = null;
    if (this.format === 'mbdb') {
      writeFileSync(join(this.dir, 'Manifest.mbdb'), serializeMbdb(this.entries));
    } else {
      let db = serializeManifestDb(this.entries);
      if (this.classKeys) {
        const key = randomBytes(32);
        manifestKey = wrapEntryKey(this.classKeys, 4, key);
        db = encryptBuffer(key, db);
      }
      writeFileSync(join(this.dir, 'Manifest.db'), db);
    }
    const apps = this.options.installedApps ?? [];
    const info: PlistDict = this.options.info ?? {
      'Build Version': device.buildVersion,
      'Device Name': device.deviceName,
      'Display Name': device.deviceName,
      GUID: device.udid.replace(/-/g, '').slice(0, 32).toUpperCase(),
      'Installed Applications': apps,
      'Last Backup Date': date,
      'Product Name': device.productType.startsWith('iPad') ? 'iPad' : 'iPhone',
      'Product Type': device.productType,
      'Product Version': device.productVersion,
      'Serial Number': device.serialNumber,
      'Target Identifier': device.udid,
      'Target Type': 'Device',
      'Unique Identifier': device.udid.toUpperCase(),
      'iTunes Version': '12.13.2.3',
      ...(device.phoneNumber ? { 'Phone Number': device.phoneNumber } : {}),
      ...(device.imei ? { IMEI: device.imei } : {}),
    };
    writeFileSync(join(this.dir, 'Info.plist'), plist.build(info as plist.PlistValue));
    const manifest: PlistDict = {
      ...(this.options.manifest ?? {
        Version: this.format === 'mbdb' ? '9.1' : '10.0',
        Date: date,
        SystemDomainsVersion: '24.0',
        WasPasscodeSet: true,
        Lockdown: {
          ProductVersion: device.productVersion,
          ProductType: device.productType,
          BuildVersion: device.buildVersion,
          UniqueDeviceID: device.udid,
          SerialNumber: device.serialNumber,
          DeviceName: device.deviceName,
        },
        Applications: Object.fromEntries(
          apps.map((id) => [
            id,
            { CFBundleIdentifier: id, ContainerContentClass: 'Data/Application' },
          ]),
        ),
      }),
      IsEncrypted: encrypted,
    };
    if (this.keybagBytes) manifest['BackupKeyBag'] = this.keybagBytes;
    if (manifestKey) manifest['ManifestKey'] = manifestKey;
    else delete manifest['ManifestKey'];
    writeFileSync(join(this.dir, 'Manifest.plist'), createBplist(manifest));
    const status: PlistDict = this.options.status ?? {
      BackupState: 'new',
      Date: date,
      IsFullBackup: false,
      SnapshotState: this.options.finished === false ? 'uploading' : 'finished',
      UUID: randomBytes(16).toString('hex').toUpperCase(),
      Version: '3.3',
    };
    writeFileSync(join(this.dir, 'Status.plist'), createBplist(status));
  }
}
