import { gzipSync } from 'node:zlib';
import { demoUUIDBytes } from './ids.js';
import { encodeMessage, type ProtoField } from './protobuf.js';

/**
 * The mergeable data (ZMERGEABLEDATA1) of a com.apple.notes.table attachment, laid out as Apple's CRDT
 * document (as apple_cloud_notes_parser's notestore.proto names it): MergableDataProto { 2: { 3: { 3: entries,
 * 4: key items, 5: type items, 6: uuid items } } }. The root entry (custom map of type com.apple.notes.ICTable)
 * maps crRows / crColumns to ordered sets of UUIDs and cellColumns to column -> (row -> cell Note).
 */
export function encodeTable(rows: readonly (readonly string[])[], key: string): Buffer {
  const keys = [
    'crTableColumnDirection',
    'self',
    'crRows',
    'UUIDIndex',
    'crColumns',
    'cellColumns',
  ];
  const types = [
    'com.apple.notes.ICTable',
    'com.apple.CRDT.NSUUID',
    'com.apple.CRDT.NSString',
    'com.apple.notes.CRTable',
  ];
  const columnCount = Math.max(0, ...rows.map((r) => r.length));
  const uuids: Buffer[] = [];
  const rowUuid = rows.map((_, i) => uuids.push(demoUUIDBytes(`${key}-row-${i}`)) - 1);
  const columnUuid = Array.from(
    { length: columnCount },
    (_, i) => uuids.push(demoUUIDBytes(`${key}-column-${i}`)) - 1,
  );

  const entries: ProtoField[][] = [];
  const add = (entry: ProtoField[]): number => entries.push(entry) - 1;
  const ref = (index: number): ProtoField[] => [{ field: 6, varint: index }];
  const uuidEntry = (uuidIndex: number): number =>
    add([
      {
        field: 13,
        message: [
          { field: 1, varint: 1 },
          {
            field: 3,
            message: [
              { field: 1, varint: keys.indexOf('UUIDIndex') },
              { field: 2, message: [{ field: 2, varint: uuidIndex }] },
            ],
          },
        ],
      },
    ]);
  const orderedSet = (uuidIndices: number[]): number => {
    const pairs = uuidIndices.map((u) => uuidEntry(u));
    return add([
      {
        field: 16,
        message: [
          {
            field: 1,
            message: [
              {
                field: 1,
                message: [
                  { field: 1, message: [{ field: 2, bytes: '' }] },
                  ...uuidIndices.map((u, i) => ({
                    field: 2,
                    message: [
                      { field: 1, varint: i },
                      { field: 2, bytes: uuids[u]! },
                    ],
                  })),
                ],
              },
              {
                field: 2,
                message: pairs.map((p) => ({
                  field: 1,
                  message: [
                    { field: 1, message: ref(p) },
                    { field: 2, message: ref(p) },
                  ],
                })),
              },
            ],
          },
          { field: 2, message: [] },
        ],
      },
    ]);
  };

  const root = add([]); // filled in below, once the objects it points to exist
  const rowsSet = orderedSet(rowUuid);
  const columnsSet = orderedSet(columnUuid);
  const columnDicts = columnUuid.map((c, ci) => {
    const cells = rows.map((row, ri) => {
      const text = row[ci] ?? '';
      const cell = add([
        {
          field: 10,
          message: [
            { field: 2, bytes: text },
            ...(text ? [{ field: 5, message: [{ field: 1, varint: text.length }] }] : []),
          ],
        },
      ]);
      return {
        field: 1,
        message: [
          { field: 1, message: ref(uuidEntry(rowUuid[ri]!)) },
          { field: 2, message: ref(cell) },
        ],
      } as ProtoField;
    });
    return { column: uuidEntry(c), dict: add([{ field: 6, message: cells }]) };
  });
  const cellColumns = add([
    {
      field: 6,
      message: columnDicts.map((d) => ({
        field: 1,
        message: [
          { field: 1, message: ref(d.column) },
          { field: 2, message: ref(d.dict) },
        ],
      })),
    },
  ]);
  entries[root] = [
    {
      field: 13,
      message: [
        { field: 1, varint: 0 },
        {
          field: 3,
          message: [
            { field: 1, varint: keys.indexOf('crRows') },
            { field: 2, message: ref(rowsSet) },
          ],
        },
        {
          field: 3,
          message: [
            { field: 1, varint: keys.indexOf('crColumns') },
            { field: 2, message: ref(columnsSet) },
          ],
        },
        {
          field: 3,
          message: [
            { field: 1, varint: keys.indexOf('cellColumns') },
            { field: 2, message: ref(cellColumns) },
          ],
        },
      ],
    },
  ];

  const proto = encodeMessage([
    {
      field: 2,
      message: [
        { field: 2, varint: 1 },
        {
          field: 3,
          message: [
            ...entries.map((e) => ({ field: 3, message: e })),
            ...keys.map((k) => ({ field: 4, bytes: k })),
            ...types.map((t) => ({ field: 5, bytes: t })),
            ...uuids.map((u) => ({ field: 6, bytes: u })),
          ],
        },
      ],
    },
  ]);
  return gzipSync(proto);
}
