import bplistCreator from 'bplist-creator';
import type { SqliteDatabase } from './sqlite-file.js';
import { insertRow } from './sqlite-file.js';

/** One row of a Core Data store's Z_PRIMARYKEY table (entity number, name, parent entity, highest Z_PK used). */
export interface CoreDataEntity {
  ent: number;
  name: string;
  superEnt?: number;
  max: number;
}

export const CORE_DATA_BOOKKEEPING_SCHEMA: readonly string[] = [
  'CREATE TABLE Z_PRIMARYKEY (Z_ENT INTEGER PRIMARY KEY, Z_NAME VARCHAR, Z_SUPER INTEGER, Z_MAX INTEGER);',
  'CREATE TABLE Z_METADATA (Z_VERSION INTEGER PRIMARY KEY, Z_UUID VARCHAR(255), Z_PLIST BLOB);',
  'CREATE TABLE Z_MODELCACHE (Z_CONTENT BLOB);',
];

export interface CoreDataMetadata {
  storeUUID: string;
  frameworkVersion: number;
  modelVersionIdentifiers: string[];
}

/**
 * Fills Z_PRIMARYKEY and Z_METADATA. Z_PLIST is a binary plist with the keys real stores carry
 * (NSStoreType, NSStoreUUID, NSPersistenceFrameworkVersion, NSStoreModelVersionIdentifiers, ...);
 * NSStoreModelVersionHashes is left empty: the real per-entity hashes are Apple's and are not known here.
 */
export function writeCoreDataBookkeeping(
  db: SqliteDatabase,
  entities: readonly CoreDataEntity[],
  meta: CoreDataMetadata,
): void {
  for (const e of entities) {
    insertRow(db, 'Z_PRIMARYKEY', {
      Z_ENT: e.ent,
      Z_NAME: e.name,
      Z_SUPER: e.superEnt ?? 0,
      Z_MAX: e.max,
    });
  }
  const plist = bplistCreator({
    NSPersistenceFrameworkVersion: meta.frameworkVersion,
    NSStoreModelVersionHashes: {},
    NSStoreModelVersionHashesVersion: 3,
    NSStoreModelVersionIdentifiers: meta.modelVersionIdentifiers,
    NSStoreType: 'SQLite',
    NSStoreUUID: meta.storeUUID,
    _NSAutoVacuumLevel: '2',
  });
  insertRow(db, 'Z_METADATA', { Z_VERSION: 1, Z_UUID: meta.storeUUID, Z_PLIST: plist });
}
