import type { BackupEntry, EntryKind, IndexExtras } from './types.js';

const KINDS: readonly EntryKind[] = ['file', 'directory', 'symlink'];
const KIND_CODES: Record<EntryKind, number> = { file: 0, directory: 1, symlink: 2 };
const FILE_ID_BYTES = 20;
/** Extras kept as numbers, NaN where a row has none. */
const EXTRA_NUMBERS = ['rowFlags', 'flags', 'inode', 'uid', 'gid', 'accessed'] as const;
type ExtraNumber = (typeof EXTRA_NUMBERS)[number];

type Numbers = Float64Array | Uint32Array | Uint8Array;

/** A typed array that grows as rows are added. */
class NumberColumn<T extends Numbers> {
  values: T;
  constructor(private readonly make: (length: number) => T) {
    this.values = make(4096);
  }
  set(row: number, value: number): void {
    if (row >= this.values.length) {
      const grown = this.make(Math.max(row + 1, Math.ceil(this.values.length * 1.5)));
      grown.set(this.values);
      this.values = grown;
    }
    this.values[row] = value;
  }
  /** The first `length` values, without a copy (a few spare slots are cheaper than a second array). */
  done(length: number): T {
    return this.values.subarray(0, length) as T;
  }
}

const floats = (length: number) => new Float64Array(length);
/** For columns some rows leave empty: NaN says "none" (set() overwrites the rest). */
const absentFloats = (length: number) => new Float64Array(length).fill(NaN);
const uint32s = (length: number) => new Uint32Array(length);
const octets = (length: number) => new Uint8Array(length);

/** Bytes appended one after another, each row's slice found by its start and length. */
class BytesColumn {
  private pool = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  readonly start = new NumberColumn(uint32s);
  readonly length = new NumberColumn(uint32s);
  set(row: number, bytes: Uint8Array): void {
    if (this.used + bytes.length > this.pool.length) {
      const grown = Buffer.allocUnsafe(
        Math.max(this.used + bytes.length, Math.ceil(this.pool.length * 1.5)),
      );
      this.pool.copy(grown, 0, 0, this.used);
      this.pool = grown;
    }
    this.pool.set(bytes, this.used);
    this.start.set(row, this.used);
    this.length.set(row, bytes.length);
    this.used += bytes.length;
  }
  done(): Buffer {
    return this.pool.subarray(0, this.used);
  }
}

interface Columns {
  domainIds: Uint32Array;
  domains: string[];
  paths: string[];
  fileIds: Buffer;
  kinds: Uint8Array;
  size: Float64Array;
  mode: Float64Array;
  modified: Float64Array;
  created: Float64Array;
  statusChanged: Float64Array;
  protectionClass: Float64Array;
  keys: Buffer;
  keyStart: Uint32Array;
  keyLength: Uint32Array;
  targets: Map<number, string>;
  hasExtras: Uint8Array;
  extras: Partial<Record<ExtraNumber, Float64Array>>;
  properties: Map<number, NonNullable<IndexExtras['properties']>>;
}

/**
 * A backup's index held as columns (typed arrays, one string per path, one per domain) instead of an
 * object per row: 200,000 entries take tens of megabytes, not hundreds. Rows become BackupEntry
 * objects only when asked for, one at a time.
 */
export class EntryTable implements Iterable<BackupEntry> {
  private lookup: Map<string, Map<string, number>> | null = null;

  constructor(private readonly c: Columns) {}

  static from(entries: Iterable<BackupEntry>): EntryTable {
    const builder = new EntryTableBuilder();
    for (const entry of entries) builder.add(entry);
    return builder.build();
  }

  get length(): number {
    return this.c.paths.length;
  }

  domain(row: number): string {
    return this.c.domains[this.c.domainIds[row]!]!;
  }

  relativePath(row: number): string {
    return this.c.paths[row]!;
  }

  kind(row: number): EntryKind {
    return KINDS[this.c.kinds[row]!]!;
  }

  size(row: number): number {
    return this.c.size[row]!;
  }

  modified(row: number): number {
    return this.c.modified[row]!;
  }

  fileID(row: number): string {
    return this.c.fileIds.toString('hex', row * FILE_ID_BYTES, (row + 1) * FILE_ID_BYTES);
  }

  /** The wrapped file key, a view into the table's key block (copy it before posting it to a thread). */
  wrappedKey(row: number): Buffer | null {
    const length = this.c.keyLength[row]!;
    const start = this.c.keyStart[row]!;
    return length > 0 ? this.c.keys.subarray(start, start + length) : null;
  }

  /** The row as an entry object (a new one on every call). */
  at(row: number): BackupEntry {
    const c = this.c;
    const entry: BackupEntry = {
      domain: this.domain(row),
      relativePath: c.paths[row]!,
      fileID: this.fileID(row),
      kind: this.kind(row),
      size: c.size[row]!,
      mode: c.mode[row]!,
      modified: c.modified[row]!,
      created: c.created[row]!,
      statusChanged: c.statusChanged[row]!,
      protectionClass: c.protectionClass[row]!,
      wrappedKey: this.wrappedKey(row),
      target: c.targets.get(row) ?? null,
    };
    if (c.hasExtras[row]) entry.extras = this.extrasAt(row);
    return entry;
  }

  private extrasAt(row: number): IndexExtras {
    const extras: IndexExtras = {};
    for (const name of EXTRA_NUMBERS) {
      const value = this.c.extras[name]?.[row];
      if (value !== undefined && !Number.isNaN(value)) extras[name] = value;
    }
    const properties = this.c.properties.get(row);
    if (properties) extras.properties = properties;
    return extras;
  }

  *[Symbol.iterator](): Iterator<BackupEntry> {
    for (let row = 0; row < this.length; row++) yield this.at(row);
  }

  toArray(): BackupEntry[] {
    return Array.from({ length: this.length }, (_, row) => this.at(row));
  }

  /** The row of `domain` + `relativePath` (the first one listed), or -1. */
  indexOf(domain: string, relativePath: string): number {
    if (!this.lookup) {
      this.lookup = new Map();
      for (let row = 0; row < this.length; row++) {
        const domain = this.domain(row);
        let paths = this.lookup.get(domain);
        if (!paths) this.lookup.set(domain, (paths = new Map()));
        if (!paths.has(this.c.paths[row]!)) paths.set(this.c.paths[row]!, row);
      }
    }
    return this.lookup.get(domain)?.get(relativePath) ?? -1;
  }
}

/** Builds an EntryTable row by row (the index readers add each row as they decode it). */
export class EntryTableBuilder {
  private readonly domainIds = new NumberColumn(uint32s);
  private readonly domainIndex = new Map<string, number>();
  private readonly domains: string[] = [];
  private readonly paths: string[] = [];
  private fileIds = Buffer.alloc(FILE_ID_BYTES * 4096);
  private readonly kinds = new NumberColumn(octets);
  private readonly numbers = {
    size: new NumberColumn(floats),
    mode: new NumberColumn(floats),
    modified: new NumberColumn(floats),
    created: new NumberColumn(floats),
    statusChanged: new NumberColumn(floats),
    protectionClass: new NumberColumn(floats),
  };
  private readonly keys = new BytesColumn();
  private readonly targets = new Map<number, string>();
  private readonly hasExtras = new NumberColumn(octets);
  private readonly extras: Partial<Record<ExtraNumber, NumberColumn<Float64Array>>> = {};
  private readonly properties = new Map<number, NonNullable<IndexExtras['properties']>>();

  get length(): number {
    return this.paths.length;
  }

  /** Adds a row; its fileID must be 40 lowercase hex digits (the readers validate it first). */
  add(entry: BackupEntry): void {
    const row = this.paths.length;
    let domainId = this.domainIndex.get(entry.domain);
    if (domainId === undefined) {
      domainId = this.domains.push(entry.domain) - 1;
      this.domainIndex.set(entry.domain, domainId);
    }
    this.domainIds.set(row, domainId);
    this.paths.push(entry.relativePath);
    if ((row + 1) * FILE_ID_BYTES > this.fileIds.length) {
      const grown = Buffer.alloc(Math.ceil(this.fileIds.length * 1.5));
      this.fileIds.copy(grown);
      this.fileIds = grown;
    }
    this.fileIds.write(entry.fileID, row * FILE_ID_BYTES, FILE_ID_BYTES, 'hex');
    this.kinds.set(row, KIND_CODES[entry.kind]);
    const n = this.numbers;
    n.size.set(row, entry.size);
    n.mode.set(row, entry.mode);
    n.modified.set(row, entry.modified);
    n.created.set(row, entry.created);
    n.statusChanged.set(row, entry.statusChanged);
    n.protectionClass.set(row, entry.protectionClass);
    if (entry.wrappedKey) this.keys.set(row, entry.wrappedKey);
    else this.keys.length.set(row, 0);
    if (entry.target !== null) this.targets.set(row, entry.target);
    this.hasExtras.set(row, entry.extras ? 1 : 0);
    if (!entry.extras) return;
    for (const name of EXTRA_NUMBERS) {
      const value = entry.extras[name];
      if (value !== undefined)
        (this.extras[name] ??= new NumberColumn(absentFloats)).set(row, value);
    }
    if (entry.extras.properties) this.properties.set(row, entry.extras.properties);
  }

  build(): EntryTable {
    const length = this.paths.length;
    const n = this.numbers;
    const extras: Partial<Record<ExtraNumber, Float64Array>> = {};
    for (const name of EXTRA_NUMBERS) {
      const column = this.extras[name];
      if (column) extras[name] = column.done(length);
    }
    return new EntryTable({
      domainIds: this.domainIds.done(length),
      domains: this.domains,
      paths: this.paths,
      fileIds: this.fileIds.subarray(0, length * FILE_ID_BYTES),
      kinds: this.kinds.done(length),
      size: n.size.done(length),
      mode: n.mode.done(length),
      modified: n.modified.done(length),
      created: n.created.done(length),
      statusChanged: n.statusChanged.done(length),
      protectionClass: n.protectionClass.done(length),
      keys: this.keys.done(),
      keyStart: this.keys.start.done(length),
      keyLength: this.keys.length.done(length),
      targets: this.targets,
      hasExtras: this.hasExtras.done(length),
      extras,
      properties: this.properties,
    });
  }
}
