import { walkBtree } from './btree.js';
import type { PageStore } from './pages.js';
import { decodeLive } from './live.js';
import { parseCreateTable, SQLITE_MASTER, type TableSchema } from './schema.js';

export interface Btree {
  id: number; // owner id (>= 1); 1 is sqlite_master
  name: string;
  root: number;
  /** The table stored in this b-tree; null for plain indexes. */
  schema: TableSchema | null;
}

/** Reads sqlite_master and lists every b-tree with its root page. */
export function readLiveSchema(store: PageStore, warnings: string[]): Btree[] {
  const out: Btree[] = [{ id: 1, name: 'sqlite_master', root: 1, schema: SQLITE_MASTER }];
  const owner = new Int32Array(store.pageCount + 1);
  walkBtree(store, 1, {
    owner,
    ownerId: 1,
    warnings,
    onCell: (cell) => {
      const v = decodeLive(SQLITE_MASTER, cell.payload, cell.rowid, store.hdr.encoding);
      if (!v) return;
      const [type, name, , root, sql] = v;
      if (typeof name !== 'string' || typeof root !== 'number' || root < 1 || out.length > 100_000)
        return;
      let schema: TableSchema | null = null;
      if (type === 'table' && typeof sql === 'string') {
        schema = parseCreateTable(sql, root, 'live');
        if (!schema) warnings.push(`schema: could not parse the definition of table ${name}`);
        else schema.name = name;
      }
      out.push({ id: out.length + 1, name, root, schema });
    },
  });
  return out;
}
