import type { BackupEntry, EntryKind, IndexExtras } from './types.js';

const KINDS: readonly EntryKind[] = ['file', 'directory', 'symlink'];
const KIND_CODES: Record<EntryKind, number> = { file: 0, directory: 1, symlink: 2 };
const FILE_ID_BYTES = 20;
/** Extras kept as numbers; a row without one reads NaN. */
const EXTRA_NUMBERS = ['rowFlags', 'flags', 'inode', 'uid', 'gid', 'accessed'] as const;
type ExtraNumber = (typeof EXTRA_NUMBERS)[number];
/** Rows the builder makes room for when it is not told how many to expect. */
const FIRST_CAPACITY = 4096;
/** Room made per row for path bytes: large buffers are mapped lazily, so unused room costs no memory. */
const PATH_BYTES_PER_ROW = 128;
const KEY_BYTES_PER_ROW = 48;

/** An index row as the readers give it: the path as text, or as its UTF-8 bytes (a view, copied in). */
export type IndexRow = Omit<BackupEntry, 'relativePath'> & { relativePath: string | Uint8Array };

/** Int32 marks "none" in an integer column; such a value itself is kept as a double. */
const ABSENT = -0x80000000;
type NumberValues = Int32Array | Float64Array;

type Column = Int32Array | Float64Array | Uint8Array | Uint32Array;

/** A copy of `values` with room for `capacity`, the new slots set to `fill` (else zero). */
function grown<T extends Column>(values: T, capacity: number, fill?: number): T {
  const copy = new (values.constructor as new (length: number) => T)(capacity);
  copy.set(values);
  if (fill !== undefined) copy.fill(fill, values.length);
  return copy;
}

/** A number stored in an adaptive column, ABSENT read as NaN. */
function numberAt(values: NumberValues, row: number): number {
  const value = values[row]!;
  return value === ABSENT && values instanceof Int32Array ? NaN : value;
}

/**
 * Numbers held as 32-bit integers while every value is one (modes, classes, times until 2038, most
 * sizes), else all as doubles: half the memory of doubles for what backups hold.
 */
class NumberColumn {
  private ints: Int32Array | null;
  private doubles: Float64Array | null = null;

  constructor(
    capacity: number,
    private readonly absentFirst: boolean,
  ) {
    this.ints = new Int32Array(capacity);
    if (absentFirst) this.ints.fill(ABSENT);
  }

  private get capacity(): number {
    return (this.ints ?? this.doubles)!.length;
  }

  set(row: number, value: number): void {
    if (row >= this.capacity) {
      const capacity = Math.max(row + 1, Math.ceil(this.capacity * 1.5));
      if (this.ints) this.ints = grown(this.ints, capacity, this.absentFirst ? ABSENT : undefined);
      else this.doubles = grown(this.doubles!, capacity, this.absentFirst ? NaN : undefined);
    }
    if (this.ints) {
      if (Number.isInteger(value) && value > ABSENT && value <= 0x7fffffff) {
        this.ints[row] = value;
        return;
      }
      const ints = this.ints;
      this.doubles = Float64Array.from(ints, (_, i) => numberAt(ints, i));
      this.ints = null;
    }
    this.doubles![row] = value;
  }

  /** The first `length` values, without a copy. */
  done(length: number): NumberValues {
    return (this.ints ?? this.doubles)!.subarray(0, length);
  }
}

/** Small whole numbers per row (kinds, domain numbers), growing as rows are added. */
class UintColumn<T extends Uint8Array | Uint32Array> {
  constructor(private values: T) {}
  set(row: number, value: number): void {
    if (row >= this.values.length)
      this.values = grown(this.values, Math.max(row + 1, Math.ceil(this.values.length * 1.5)));
    this.values[row] = value;
  }
  done(length: number): T {
    return this.values.subarray(0, length) as T;
  }
}

/** Each row's bytes appended one after another; a row's slice ends where the next one starts. */
class BytesColumn {
  private pool: Buffer;
  private used = 0;
  /** ends[row + 1] is where the row's bytes end (ends[0] = 0). */
  private readonly ends: UintColumn<Uint32Array>;

  constructor(capacity: number, bytesPerRow: number) {
    this.pool = Buffer.allocUnsafe(capacity * bytesPerRow);
    this.ends = new UintColumn(new Uint32Array(capacity + 1));
  }

  /** Appends the row's bytes (or its text as UTF-8); rows are added in order, none skipped. */
  set(row: number, bytes: Uint8Array | string | null): void {
    const length =
      bytes === null ? 0 : typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length;
    if (this.used + length > this.pool.length) {
      const grown = Buffer.allocUnsafe(
        Math.max(this.used + length, Math.ceil(this.pool.length * 1.5)),
      );
      this.pool.copy(grown, 0, 0, this.used);
      this.pool = grown;
    }
    if (typeof bytes === 'string') this.pool.write(bytes, this.used, 'utf8');
    else if (bytes) this.pool.set(bytes, this.used);
    this.used += length;
    this.ends.set(row + 1, this.used);
  }

  done(length: number): { pool: Buffer; ends: Uint32Array } {
    return { pool: this.pool.subarray(0, this.used), ends: this.ends.done(length + 1) };
  }
}

interface Columns {
  length: number;
  domainIds: Uint32Array;
  domains: string[];
  /** Domain name to its number in `domains`. */
  domainIndex: Map<string, number>;
  paths: Buffer;
  pathEnds: Uint32Array;
  fileIds: Buffer;
  kinds: Uint8Array;
  size: NumberValues;
  mode: NumberValues;
  modified: NumberValues;
  created: NumberValues;
  statusChanged: NumberValues;
  protectionClass: NumberValues;
  keys: Buffer;
  keyEnds: Uint32Array;
  targets: Map<number, string>;
  hasExtras: Uint8Array;
  extras: Partial<Record<ExtraNumber, NumberValues>>;
  properties: Map<number, NonNullable<IndexExtras['properties']>>;
}

/** FNV-1a over a path's bytes, started from its domain. */
function pathHash(domainId: number, bytes: Uint8Array, start: number, end: number): number {
  let hash = (0x811c9dc5 ^ domainId) >>> 0;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash >>> 0;
}

/**
 * A backup's index held as columns (typed arrays; paths as UTF-8 bytes in one buffer) instead of an
 * object or a string per row: 200,000 entries take about 30 MB, and reading them leaves the collector
 * nothing to keep. Rows become BackupEntry objects only when asked for, one at a time.
 */
export class EntryTable implements Iterable<BackupEntry> {
  /** Open-addressing hash of (domain, path) to row + 1, made on the first lookup. */
  private lookup: Int32Array | null = null;

  constructor(private readonly c: Columns) {}

  static from(entries: Iterable<BackupEntry>): EntryTable {
    const builder = new EntryTableBuilder();
    for (const entry of entries) builder.add(entry);
    return builder.build();
  }

  get length(): number {
    return this.c.length;
  }

  domain(row: number): string {
    return this.c.domains[this.c.domainIds[row]!]!;
  }

  relativePath(row: number): string {
    return this.c.paths.toString('utf8', this.c.pathEnds[row]!, this.c.pathEnds[row + 1]!);
  }

  kind(row: number): EntryKind {
    return KINDS[this.c.kinds[row]!]!;
  }

  size(row: number): number {
    return numberAt(this.c.size, row);
  }

  modified(row: number): number {
    return numberAt(this.c.modified, row);
  }

  fileID(row: number): string {
    return this.c.fileIds.toString('hex', row * FILE_ID_BYTES, (row + 1) * FILE_ID_BYTES);
  }

  /** The wrapped file key, a view into the table's key block (copy it before posting it to a thread). */
  wrappedKey(row: number): Buffer | null {
    const start = this.c.keyEnds[row]!;
    const end = this.c.keyEnds[row + 1]!;
    return end > start ? this.c.keys.subarray(start, end) : null;
  }

  /** The row as an entry object (a new one on every call). */
  at(row: number): BackupEntry {
    const c = this.c;
    const entry: BackupEntry = {
      domain: this.domain(row),
      relativePath: this.relativePath(row),
      fileID: this.fileID(row),
      kind: this.kind(row),
      size: numberAt(c.size, row),
      mode: numberAt(c.mode, row),
      modified: numberAt(c.modified, row),
      created: numberAt(c.created, row),
      statusChanged: numberAt(c.statusChanged, row),
      protectionClass: numberAt(c.protectionClass, row),
      wrappedKey: this.wrappedKey(row),
      target: c.targets.get(row) ?? null,
    };
    if (c.hasExtras[row]) entry.extras = this.extrasAt(row);
    return entry;
  }

  private extrasAt(row: number): IndexExtras {
    const extras: IndexExtras = {};
    for (const name of EXTRA_NUMBERS) {
      const column = this.c.extras[name];
      const value = column ? numberAt(column, row) : NaN;
      if (!Number.isNaN(value)) extras[name] = value;
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
    const domainId = this.c.domainIndex.get(domain);
    if (domainId === undefined) return -1;
    const lookup = (this.lookup ??= this.buildLookup());
    const bytes = Buffer.from(relativePath, 'utf8');
    return lookup[this.slotOf(lookup, domainId, bytes, 0, bytes.length)]! - 1;
  }

  /** The lookup slot holding the row of (domain, path bytes), or the empty slot where it would go. */
  private slotOf(
    lookup: Int32Array,
    domainId: number,
    bytes: Uint8Array,
    start: number,
    end: number,
  ): number {
    const { paths, pathEnds, domainIds } = this.c;
    const mask = lookup.length - 1;
    for (let slot = pathHash(domainId, bytes, start, end) & mask; ; slot = (slot + 1) & mask) {
      const row = lookup[slot]! - 1;
      if (
        row < 0 ||
        (domainIds[row] === domainId &&
          paths.compare(bytes, start, end, pathEnds[row], pathEnds[row + 1]) === 0)
      )
        return slot;
    }
  }

  private buildLookup(): Int32Array {
    let size = 16;
    while (size < this.length * 2) size *= 2;
    const lookup = new Int32Array(size);
    const { paths, pathEnds, domainIds } = this.c;
    for (let row = 0; row < this.length; row++) {
      const slot = this.slotOf(lookup, domainIds[row]!, paths, pathEnds[row]!, pathEnds[row + 1]!);
      if (lookup[slot] === 0) lookup[slot] = row + 1; // listed twice: the first one is found
    }
    return lookup;
  }
}

/** Builds an EntryTable row by row (the index readers add each row as they decode it). */
export class EntryTableBuilder {
  private rows = 0;
  private readonly domainIds: UintColumn<Uint32Array>;
  private readonly domainIndex = new Map<string, number>();
  private readonly domains: string[] = [];
  private readonly paths: BytesColumn;
  private fileIds: Buffer;
  private readonly kinds: UintColumn<Uint8Array>;
  private readonly numbers: Record<
    'size' | 'mode' | 'modified' | 'created' | 'statusChanged' | 'protectionClass',
    NumberColumn
  >;
  private readonly keys: BytesColumn;
  private readonly targets = new Map<number, string>();
  private readonly hasExtras: UintColumn<Uint8Array>;
  private readonly extras: Partial<Record<ExtraNumber, NumberColumn>> = {};
  private readonly properties = new Map<number, NonNullable<IndexExtras['properties']>>();

  /** `expectedRows`: how many rows the index says it has (room is made for them at once). */
  constructor(private readonly expectedRows = FIRST_CAPACITY) {
    const capacity = Math.max(1, expectedRows);
    this.domainIds = new UintColumn(new Uint32Array(capacity));
    this.paths = new BytesColumn(capacity, PATH_BYTES_PER_ROW);
    this.fileIds = Buffer.alloc(FILE_ID_BYTES * capacity);
    this.kinds = new UintColumn(new Uint8Array(capacity));
    const column = () => new NumberColumn(capacity, false);
    this.numbers = {
      size: column(),
      mode: column(),
      modified: column(),
      created: column(),
      statusChanged: column(),
      protectionClass: column(),
    };
    this.keys = new BytesColumn(capacity, KEY_BYTES_PER_ROW);
    this.hasExtras = new UintColumn(new Uint8Array(capacity));
  }

  get length(): number {
    return this.rows;
  }

  /** Adds a row; its fileID must be 40 lowercase hex digits (the readers validate it first). */
  add(entry: IndexRow): void {
    const row = this.rows++;
    let domainId = this.domainIndex.get(entry.domain);
    if (domainId === undefined) {
      domainId = this.domains.push(entry.domain) - 1;
      this.domainIndex.set(entry.domain, domainId);
    }
    this.domainIds.set(row, domainId);
    this.paths.set(row, entry.relativePath);
    if ((row + 1) * FILE_ID_BYTES > this.fileIds.length) {
      const grown = Buffer.alloc(Math.ceil(this.fileIds.length * 1.5) + FILE_ID_BYTES);
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
    this.keys.set(row, entry.wrappedKey);
    if (entry.target !== null) this.targets.set(row, entry.target);
    this.hasExtras.set(row, entry.extras ? 1 : 0);
    if (!entry.extras) return;
    for (const name of EXTRA_NUMBERS) {
      const value = entry.extras[name];
      if (value !== undefined)
        (this.extras[name] ??= new NumberColumn(Math.max(this.expectedRows, row + 1), true)).set(
          row,
          value,
        );
    }
    if (entry.extras.properties) this.properties.set(row, entry.extras.properties);
  }

  build(): EntryTable {
    const length = this.rows;
    const n = this.numbers;
    const extras: Partial<Record<ExtraNumber, NumberValues>> = {};
    for (const name of EXTRA_NUMBERS) {
      const column = this.extras[name];
      if (column) extras[name] = column.done(length);
    }
    const paths = this.paths.done(length);
    const keys = this.keys.done(length);
    return new EntryTable({
      length,
      domainIds: this.domainIds.done(length),
      domains: this.domains,
      domainIndex: this.domainIndex,
      paths: paths.pool,
      pathEnds: paths.ends,
      fileIds: this.fileIds.subarray(0, length * FILE_ID_BYTES),
      kinds: this.kinds.done(length),
      size: n.size.done(length),
      mode: n.mode.done(length),
      modified: n.modified.done(length),
      created: n.created.done(length),
      statusChanged: n.statusChanged.done(length),
      protectionClass: n.protectionClass.done(length),
      keys: keys.pool,
      keyEnds: keys.ends,
      targets: this.targets,
      hasExtras: this.hasExtras.done(length),
      extras,
      properties: this.properties,
    });
  }
}
