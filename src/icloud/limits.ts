/** Bounds on everything read from an export: its archives are hostile input like a backup's files. */
export const LIMITS = {
  /** Entries read from one archive's central directory. */
  entriesPerArchive: 2_000_000,
  /** Zips inside zips (Apple Media Services nests three deep). */
  nestingDepth: 3,
  /** Entries above this size must not expand more than `maxRatio` times (deflate's own ceiling is ~1032:1). */
  ratioFloor: 8 * 1024 * 1024,
  maxRatio: 100,
  /** One entry's declared size. */
  entrySize: 256 * 1024 ** 3,
  /** Text read whole into memory (CSV, vCard, iCalendar, bookmarks, note text). */
  textFile: 64 * 1024 * 1024,
  /** Rows of one CSV. */
  csvRows: 5_000_000,
  /** A compressed zip inside a zip is copied to the private workspace before it is read (stored ones are read in place). */
  nestedSpool: 64 * 1024 ** 3,
  /** Files and folders looked at when a folder of downloads (or an extracted part) is walked. */
  folderEntries: 2_000_000,
  folderDepth: 32,
  /** Zips looked for in a folder of downloads (and how deep); each holds one open file while the export is read. */
  archivesPerSet: 1_000,
  archiveSearchDepth: 4,
  /** Bytes read from the start of a photo for its type and EXIF. */
  photoHead: 256 * 1024,
  /** Compressed videos whose movie header is looked for by inflating them. */
  inflateForHeader: 64 * 1024 * 1024,
} as const;
