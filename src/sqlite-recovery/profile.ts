import { recordLayout, walkBtree } from './btree.js';
import type { PageStore } from './pages.js';
import type { TableSchema } from './schema.js';

/** Serial-type counts per stored column, from a sample of live rows (xsqlite's idea). */
export type TypeProfile = Map<TableSchema, Array<Map<number, number>>>;

class Stop extends Error {}

export function profileTables(
  store: PageStore,
  tables: Array<{ schema: TableSchema; root: number }>,
  sample = 200,
): TypeProfile {
  const out: TypeProfile = new Map();
  for (const { schema, root } of tables) {
    const cols = schema.storageOrder.map(() => new Map<number, number>());
    let n = 0;
    try {
      walkBtree(store, root, {
        owner: new Int32Array(store.pageCount + 1),
        ownerId: 1,
        indexCells: schema.withoutRowid,
        warnings: [],
        onCell: (cell) => {
          const lay = recordLayout(cell.payload, cols.length + 1);
          if (!lay) return;
          const n0 = lay.types.length;
          if (n0 >= 1 && n0 < cols.length && !(schema.shorterCounts ?? []).includes(n0)) {
            schema.shorterCounts = [...(schema.shorterCounts ?? []), n0];
          }
          lay.types.forEach((t, i) => {
            const m = cols[i];
            if (m) m.set(t >= 12 ? -1 : t, (m.get(t >= 12 ? -1 : t) ?? 0) + 1);
          });
          if (++n >= sample) throw new Stop();
        },
      });
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
    }
    if (n > 0) out.set(schema, cols);
  }
  return out;
}

export function priorFrom(
  profile: TypeProfile,
): (schema: TableSchema, col: number, st: number) => number {
  return (schema, col, st) => {
    const m = profile.get(schema)?.[col];
    if (!m) return 1;
    let total = 0;
    for (const v of m.values()) total += v;
    if (total === 0) return 1;
    return 0.5 + 0.5 * ((m.get(st >= 12 ? -1 : st) ?? 0) / total);
  };
}
