import { DECLARATIONS } from './registry.js';
import type { DatabaseSchema } from './declaration.js';
import {
  actualTable,
  declaresTable,
  missingOptional,
  unknownSchema,
  type MissingColumns,
} from './known-schema.js';
import type { ArtifactSource } from './source.js';

/**
 * Schema drift across a whole backup, for `reclaim info`: every database a data type declares a schema
 * for, checked against what this version of Reclaim knows (known-schema.ts). A file declared by several
 * locations (one database per iOS range, or read by two data types) is known by all of them together.
 */

export interface DatabaseSchemaReport {
  /** domain/relativePath */
  database: string;
  /** The data types that read it. */
  readBy: string[];
  /** Tables no reader reads or knows. */
  unknownTables: string[];
  /** "table.column" of tables read, that no reader reads or knows. */
  unknownColumns: string[];
  /** Columns read that the database lacks ("table.A/B": any of the names): those fields stay empty. */
  missingColumns: string[];
  /** Set when the database could not be opened (the rest is then empty). */
  error?: string;
}

interface Target {
  domain: string;
  relativePath: string;
  readBy: Set<string>;
  schemas: DatabaseSchema[];
}

/** The databases the backup holds that some data type declares a schema for, each once. */
function targets(source: ArtifactSource): Target[] {
  const byFile = new Map<string, Target>();
  for (const declaration of DECLARATIONS) {
    for (const location of Object.values(declaration.locations)) {
      if (location.kind !== 'database' || !location.schema) continue;
      const entries = /[*?{[]/.test(location.path)
        ? source.listAt(location)
        : [source.find(location.domain, location.path)].filter((e) => e !== undefined);
      for (const entry of entries) {
        if (!source.has(entry)) continue;
        const key = `${entry.domain}/${entry.relativePath}`;
        const target = byFile.get(key) ?? {
          domain: entry.domain,
          relativePath: entry.relativePath,
          readBy: new Set<string>(),
          schemas: [],
        };
        target.readBy.add(declaration.id);
        if (!target.schemas.includes(location.schema)) target.schemas.push(location.schema);
        byFile.set(key, target);
      }
    }
  }
  return [...byFile.values()].sort((a, b) =>
    `${a.domain}/${a.relativePath}`.localeCompare(`${b.domain}/${b.relativePath}`),
  );
}

/** Each database checked; deleted records are not carved (only the schema is looked at). */
export async function schemaReport(source: ArtifactSource): Promise<DatabaseSchemaReport[]> {
  const out: DatabaseSchemaReport[] = [];
  for (const t of targets(source)) {
    const report: DatabaseSchemaReport = {
      database: `${t.domain}/${t.relativePath}`,
      readBy: [...t.readBy],
      unknownTables: [],
      unknownColumns: [],
      missingColumns: [],
    };
    out.push(report);
    let db;
    try {
      db = await source.openDatabase(t.domain, t.relativePath, { recoverDeleted: false });
    } catch (error) {
      report.error = (error as Error).message;
      continue;
    }
    if (!db) continue;
    try {
      const unknown = t.schemas.map((s) => unknownSchema(db, s));
      // A table is unknown when no schema knows it; a column when every schema that reads its table lacks it.
      report.unknownTables = unknown[0]!.tables.filter((table) =>
        unknown.every((u) => u.tables.includes(table)),
      );
      report.unknownColumns = [...new Set(unknown.flatMap((u) => u.columns))].filter((c) => {
        const table = c.slice(0, c.indexOf('.'));
        return t.schemas.every(
          (s, i) => !declaresTable(s, table) || unknown[i]!.columns.includes(c),
        );
      });
      // A column is missing when the schemas that read its table all miss it (each schema's own reader).
      const missing: MissingColumns[] = t.schemas.flatMap((s) =>
        Object.keys(s.tables).some((declared) => actualTable(db, declared))
          ? missingOptional(db, s)
          : [],
      );
      report.missingColumns = [
        ...new Set(
          missing.flatMap((m) => m.columns.map((c) => `${m.table}.${c.replace(/\|/g, '/')}`)),
        ),
      ];
    } catch (error) {
      report.error = (error as Error).message;
    } finally {
      db.close();
    }
  }
  return out;
}
