import { isUtf8 } from 'node:buffer';
import { recordLayout, walkBtree } from '../sqlite-recovery/btree.js';
import { FileSource } from '../sqlite-recovery/bytes.js';
import { parseHeader } from '../sqlite-recovery/header.js';
import { PageStore } from '../sqlite-recovery/pages.js';
import { decodeValue, serialSize, type SqlValue } from '../sqlite-recovery/record.js';
import { readLiveSchema } from '../sqlite-recovery/schemas-live.js';

export const FILES_COLUMNS = ['fileID', 'domain', 'relativePath', 'flags', 'file'] as const;
/** relativePath comes as its UTF-8 bytes: a string kept per row would grow V8's young generation. */
const PATH_COLUMN = FILES_COLUMNS.indexOf('relativePath');
export type FilesRow = [
  fileID: SqlValue,
  domain: SqlValue,
  path: SqlValue,
  flags: SqlValue,
  file: SqlValue,
];

/**
 * Reads the rows of Manifest.db's Files table straight from its pages, with the b-tree walker of the
 * deleted-record engine: no object per row from SQLite, so a 200,000-row index reads in about half the
 * time and without a blob object per row. The record blob and the path (its UTF-8 bytes) handed to
 * `onRow` are views, valid during the call only. Returns false, having read nothing or having to be read
 * again, when anything is unusual (damage, a page read twice, a table defined another way, a count other
 * than SQLite's): the caller then reads the table through SQLite.
 */
export function readFilesFromPages(
  path: string,
  expectedRows: number,
  onRow: (row: FilesRow) => void,
): boolean {
  const source = new FileSource(path, { reuse: true });
  try {
    return walkFiles(source, expectedRows, onRow);
  } catch {
    return false; // the engine reads damaged files without throwing; anything else goes to SQLite
  } finally {
    source.close();
  }
}

function walkFiles(
  source: FileSource,
  expectedRows: number,
  onRow: (row: FilesRow) => void,
): boolean {
  const warnings: string[] = [];
  const store = new PageStore(source, parseHeader(source, warnings));
  if (warnings.length || store.hdr.encoding !== 'utf8') return false;
  const files = readLiveSchema(store, warnings).find((t) => t.name === 'Files');
  const schema = files?.schema;
  if (!files || !schema || warnings.length || schema.ipk >= 0 || schema.withoutRowid) return false;
  const names = schema.columns.map((c) => c.name);
  const at = FILES_COLUMNS.map((name) => names.indexOf(name));
  if (at.some((i) => i < 0)) return false;
  let rows = 0;
  let usable = true;
  const row: FilesRow = [null, null, null, null, null];
  walkBtree(store, files.root, {
    owner: new Int32Array(store.pageCount + 1),
    ownerId: 1,
    warnings,
    onCell: (cell) => {
      const values = usable && cell.complete ? decodeRecord(cell.payload, at, row) : null;
      if (!values) {
        usable = false;
        return;
      }
      rows++;
      onRow(values);
    },
  });
  return usable && warnings.length === 0 && rows === expectedRows;
}

/** The Files columns of one record, the blob as a view; null when the record is malformed. */
function decodeRecord(payload: Buffer, at: readonly number[], row: FilesRow): FilesRow | null {
  const layout = recordLayout(payload, 64);
  if (!layout) return null;
  const offsets: number[] = [];
  let offset = layout.bodyOff;
  for (const type of layout.types) {
    const size = serialSize(type);
    if (size < 0) return null;
    offsets.push(offset);
    offset += size;
  }
  if (offset > payload.length) return null;
  for (let i = 0; i < at.length; i++) {
    const column = at[i]!;
    const type = layout.types[column];
    if (type === undefined)
      row[i] = null; // added to the table after this row was written
    else if (type >= 12 && (type % 2 === 0 || i === PATH_COLUMN)) {
      const bytes = payload.subarray(offsets[column]!, offsets[column]! + serialSize(type));
      if (type % 2 === 1 && !isUtf8(bytes)) return null; // as the strict text decoder would
      row[i] = bytes;
    } else {
      const value = decodeValue(payload, offsets[column]!, type, 'utf8', undefined);
      if (value === undefined) return null;
      row[i] = value;
    }
  }
  return row;
}
