import picomatch from 'picomatch';

/**
 * What a data type is, declared once at the top of its artifact module (like iLEAPP's `__artifacts_v2__`
 * or mvt's path lists): where its files live per iOS version, what identifies its records, how it is
 * exported. The registries, the catalog of locations, the rescue plan's counts, the `--only` parser and
 * the web's list of categories are all built from these declarations. Everything here is plain data
 * (JSON-safe), so it can be served and compared as it is.
 */

/** The formats an exporter can write, by file extension. */
export const EXPORT_FORMATS = ['html', 'txt', 'csv', 'json', 'vcf', 'ics', 'md'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** iOS major versions (inclusive) that keep the data at a location; omitted ends are open. */
export interface IosRange {
  from?: number;
  through?: number;
}

/** Columns that identify a row of one table. */
export interface RowKey {
  table: string;
  columns: readonly string[];
}

/**
 * - database: an SQLite file, opened through readDatabase (a file that is not one is one problem).
 * - document: a file the module parses itself (a file it cannot parse is one problem).
 * - media: files handed back as they are, or read only to enrich an item (photos, audio, attachments,
 *   thumbnails, transcripts).
 */
export type LocationKind = 'database' | 'document' | 'media';

/**
 * What a reader reads from one table, by column name. "A|B" is one field under either name (a column
 * renamed or renumbered between iOS versions); "#" stands for the entity number in a Core Data name.
 */
export interface TableReads {
  /** Without these the rows mean nothing: the reader says so and leaves the table out. */
  required?: readonly string[];
  /** Each fills a field: when the database has none of its names the field stays empty, and one problem line says so. */
  optional?: readonly string[];
  /** Used when present (a fallback, or a feature older versions never had): silent when absent. */
  extras?: readonly string[];
  /** Seen in real databases and deliberately not read, whitespace-separated (known, never reported). */
  ignored?: string;
}

/**
 * The tables and columns of a database that this version of Reclaim knows: what its reader reads and
 * what was seen and left. `reclaim info` names everything else (so users can report it), and a missing
 * optional column becomes one problem line (src/artifacts/known-schema.ts).
 */
export interface DatabaseSchema {
  /** Tables the reader reads ("A|B": whichever the database has). */
  tables: { readonly [table: string]: TableReads };
  /** Tables seen in real databases that hold nothing exported, whitespace-separated. */
  ignoredTables?: string;
  /** A Core Data store: digits in names are entity numbers that move between versions (ZACCOUNT7, Z_33ASSETS). */
  coreData?: boolean;
}

export interface ArtifactLocation {
  domain: string;
  /** relativePath within the domain, or a glob over it (picomatch). */
  path: string;
  kind: LocationKind;
  /** The iOS versions that keep it here, when it is one of several alternatives. */
  ios?: IosRange;
  /**
   * What identifies a row within this database (tells a stale copy of a live row from a deletion).
   * Several keys of one table: the natural key first, then fallback keys, tried only for old copies
   * whose natural key was overwritten (never making a row deleted).
   */
  naturalKey?: readonly RowKey[];
  /** Read only together with the artifact's main database (alone it holds nothing to show). */
  companion?: boolean;
  /** The glob ignores case (file extensions written either way). */
  nocase?: boolean;
  /** The line of the catalog it counts under (default: the artifact's title); false: not counted. */
  catalog?: string | false;
  /** Databases: the tables and columns read and known (schema drift checks). */
  schema?: DatabaseSchema;
}

/**
 * One way to name a record across backups: fields of the record (checked against the record type where the
 * module builds its identity function), with the database columns they are read from, when they are.
 */
export interface IdentityKey {
  fields: readonly string[];
  /** The columns these fields hold (where the value comes from; a field of data not kept in a database has none). */
  from?: RowKey;
  /** Only records of this kind (a union of record types, told apart by their `kind` field). */
  kind?: string;
}

/** The SHA-256 of the record's main file (a photo's original, a recording's audio). */
export interface ContentKey {
  content: 'sha256';
}

/**
 * What identifies one record across backups (diffs, merges, incremental exports), in order of preference: the
 * first key whose fields the record has, else a hash of its file's content. For conversations the unit is each
 * message, and `conversation` names the chat itself (a conversation spanning backups is one conversation).
 */
export interface CrossBackupIdentity {
  describe: string;
  keys: readonly (IdentityKey | ContentKey)[];
  /** Set for conversation types: each message has its own identity, the chat has these keys. */
  conversation?: readonly IdentityKey[];
}

export interface ArtifactDeclaration<
  Id extends string = string,
  L extends string = string,
  F extends ExportFormat = ExportFormat,
  I extends CrossBackupIdentity = CrossBackupIdentity,
> {
  id: Id;
  title: string;
  /** Every file the module reads, by a name its code refers to. */
  locations: { readonly [K in L]: ArtifactLocation };
  identity: I;
  /** Its records name people by phone number or address: export looks them up in Contacts. */
  needsNames: boolean;
  /** Other names `--only` accepts (lower case). */
  aliases: readonly string[];
  formats: readonly F[];
  defaultFormats: readonly F[];
}

/** Declares a data type; the literal id and location names are kept in the type. */
export function defineArtifact<
  const Id extends string,
  const L extends string,
  const F extends ExportFormat,
  const I extends CrossBackupIdentity,
>(declaration: ArtifactDeclaration<Id, L, F, I>): ArtifactDeclaration<Id, L, F, I> {
  for (const f of declaration.defaultFormats)
    if (!declaration.formats.includes(f))
      throw new Error(`${declaration.id}: default format ${f} is not one of its formats`);
  return declaration;
}

/** One location as the web and the library list it (its schema left out: `reclaim info` reports on it). */
export interface LocationDescriptor extends Omit<ArtifactLocation, 'schema'> {
  name: string;
}

/** A declaration as plain JSON, for `/api/artifacts` and other processes. */
export interface ArtifactDescriptor {
  id: string;
  title: string;
  needsNames: boolean;
  aliases: string[];
  formats: ExportFormat[];
  defaultFormats: ExportFormat[];
  locations: LocationDescriptor[];
  identity: CrossBackupIdentity;
}

export function describeArtifact(d: ArtifactDeclaration): ArtifactDescriptor {
  return JSON.parse(
    JSON.stringify({
      id: d.id,
      title: d.title,
      needsNames: d.needsNames,
      aliases: d.aliases,
      formats: d.formats,
      defaultFormats: d.defaultFormats,
      locations: locationsOf(d).map(({ schema: _schema, ...location }) => location),
      identity: d.identity,
    }),
  ) as ArtifactDescriptor;
}

export function locationsOf(d: ArtifactDeclaration): Array<ArtifactLocation & { name: string }> {
  return Object.entries(d.locations).map(([name, location]) => ({
    name,
    ...(location as ArtifactLocation),
  }));
}

/** A matcher for "domain/relativePath" pairs falling inside a location. */
export function locationMatcher(
  location: Pick<ArtifactLocation, 'domain' | 'path' | 'nocase'>,
): (domain: string, relativePath: string) => boolean {
  const match = picomatch(location.path, { dot: true, nocase: location.nocase === true });
  return (domain, relativePath) => domain === location.domain && match(relativePath);
}
