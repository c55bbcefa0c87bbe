import { decodeNoteMessage, gunzipIfNeeded } from './document.js';
import type { NoteParagraph } from './model.js';
import { ProtoMessage } from './protobuf.js';

/**
 * A com.apple.notes.table attachment: its mergeable data (gzipped) is a CRDT document,
 *   MergableDataProto { 2: MergableDataObject { 2: version, 3: Data { 3: repeated Entry, 4: key items,
 *   5: type items, 6: uuid items } } }
 *   Entry { 1 RegisterLatest, 5 List, 6 Dictionary, 10 Note, 13 CustomMap { 1 type, 3 MapEntry { 1 key, 2 ObjectID } },
 *           16 OrderedSet { 1 Ordering { 1 Array { 1 Note, 2 repeated { 1 index, 2 uuid } }, 2 Dictionary }, 2 Dictionary } }
 *   Dictionary { 1 repeated { 1 key ObjectID, 2 value ObjectID } }, ObjectID { 2 uint, 4 string, 6 object_index }.
 * The root is the entry whose custom map's type is "com.apple.notes.ICTable"; its keys crRows and crColumns
 * point to ordered sets of row/column UUIDs, and cellColumns to a dictionary column -> (row -> cell Note).
 */

export type DecodedTable = NoteParagraph[][][];

export function decodeTable(data: Buffer): DecodedTable {
  const root = new ProtoMessage(gunzipIfNeeded(data));
  const body = root.message(2)?.message(3);
  if (!body) throw new Error('no mergeable data object');
  const entries = body.messages(3);
  const keys = body.strings(4);
  const types = body.strings(5);
  const uuids = body.bytesList(6);
  const uuidIndex = (uuid: Buffer): number => uuids.findIndex((u) => u.equals(uuid));

  const entry = (index: number | undefined): ProtoMessage => {
    const e = index === undefined ? undefined : entries[index];
    if (!e) throw new Error(`table object ${index} missing`);
    return e;
  };
  /** The UUID index an entry points to (a custom map whose first value is a uint). */
  const target = (e: ProtoMessage): number | undefined =>
    e.message(13)?.messages(3)[0]?.message(2)?.int(2);

  const tableRoot = entries.find((e) => {
    const map = e.message(13);
    return map !== undefined && types[map.int(1) ?? -1] === 'com.apple.notes.ICTable';
  });
  if (!tableRoot) throw new Error('no ICTable object');

  const order = (e: ProtoMessage): Map<number, number> => {
    const indices = new Map<number, number>();
    const ordering = e.message(16)?.message(1);
    if (!ordering) throw new Error('row/column set without ordering');
    let n = 0;
    for (const att of ordering.message(1)?.messages(2) ?? []) {
      const uuid = att.bytes(2);
      if (uuid) indices.set(uuidIndex(uuid), n++);
    }
    for (const element of ordering.message(2)?.messages(1) ?? []) {
      const k = target(entry(element.message(1)?.int(6)));
      const v = target(entry(element.message(2)?.int(6)));
      if (k !== undefined && v !== undefined && indices.has(k)) indices.set(v, indices.get(k)!);
    }
    return indices;
  };

  let rows: Map<number, number> | null = null;
  let columns: Map<number, number> | null = null;
  let cells: ProtoMessage | null = null;
  for (const mapEntry of tableRoot.message(13)!.messages(3)) {
    const key = keys[mapEntry.int(1) ?? -1];
    const object = mapEntry.message(2)?.int(6);
    if (key === 'crRows') rows = order(entry(object));
    else if (key === 'crColumns') columns = order(entry(object));
    else if (key === 'cellColumns') cells = entry(object);
  }
  if (!rows || !columns || !cells) throw new Error('table without rows, columns or cells');
  const rowCount = new Set(rows.values()).size;
  const columnCount = new Set(columns.values()).size;
  const table: DecodedTable = Array.from({ length: rowCount }, () =>
    Array.from({ length: columnCount }, () => []),
  );
  for (const column of cells.message(6)?.messages(1) ?? []) {
    const c = columns.get(target(entry(column.message(1)?.int(6))) ?? -1);
    const rowsOfColumn = entry(column.message(2)?.int(6)).message(6);
    for (const row of rowsOfColumn?.messages(1) ?? []) {
      const r = rows.get(target(entry(row.message(1)?.int(6))) ?? -1);
      const cell = entry(row.message(2)?.int(6)).message(10);
      if (r === undefined || c === undefined || !cell || !table[r]) continue;
      table[r]![c] = decodeNoteMessage(cell).paragraphs;
    }
  }
  return table;
}
