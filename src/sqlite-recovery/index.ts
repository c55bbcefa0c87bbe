// Deleted-record carving for SQLite files: works on the bytes, needs no SQLite library.
export { carveDatabase } from './carve.js';
export type { CarveOptions, CarveResult, Input, RecoveredRecord } from './carve.js';
export { classifyAgainstLive } from './classify.js';
export type { Classified, ClassifyOptions, LiveRelation, LiveRow } from './classify.js';
export type { SqlValue } from './record.js';
export { parseCreateTable, schemasFromSql } from './schema.js';
export type { TableSchema, Column, Affinity } from './schema.js';
