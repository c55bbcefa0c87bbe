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

export interface ArtifactLocation {
  domain: string;
  /** relativePath within the domain, or a glob over it (picomatch). */
  path: string;
  kind: LocationKind;
  /** The iOS versions that keep it here, when it is one of several alternatives. */
  ios?: IosRange;
  /** What identifies a row within this database (tells a stale copy of a live row from a deletion). */
  naturalKey?: readonly RowKey[];
  /** Read only together with the artifact's main database (alone it holds nothing to show). */
  companion?: boolean;
  /** The glob ignores case (file extensions written either way). */
  nocase?: boolean;
  /** The line of the catalog it counts under (default: the artifact's title); false: not counted. */
  catalog?: string | false;
}

/**
 * What identifies one record across backups (for diffs and merges), in order of preference: columns of
 * a table, fields of the item (data not kept in a database), or a hash of the file's content.
 */
export interface CrossBackupIdentity {
  describe: string;
  keys: readonly (RowKey | { fields: readonly string[] } | { content: 'sha256' })[];
}

export interface ArtifactDeclaration<
  Id extends string = string,
  L extends string = string,
  F extends ExportFormat = ExportFormat,
> {
  id: Id;
  title: string;
  /** Every file the module reads, by a name its code refers to. */
  locations: { readonly [K in L]: ArtifactLocation };
  identity: CrossBackupIdentity;
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
>(declaration: ArtifactDeclaration<Id, L, F>): ArtifactDeclaration<Id, L, F> {
  for (const f of declaration.defaultFormats)
    if (!declaration.formats.includes(f))
      throw new Error(`${declaration.id}: default format ${f} is not one of its formats`);
  return declaration;
}

/** One location as the web and the library list it. */
export interface LocationDescriptor extends ArtifactLocation {
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
      locations: locationsOf(d),
      identity: d.identity,
    }),
  ) as ArtifactDescriptor;
}

export function locationsOf(d: ArtifactDeclaration): LocationDescriptor[] {
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
