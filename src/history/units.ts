import { createHash } from 'node:crypto';
import type { ArtifactData, ArtifactId } from '../artifacts/artifact.js';
import type { Conversation } from '../artifacts/conversation.js';
import {
  contentFileOf,
  identityFunction,
  isConversationType,
  type IdentityUnit,
} from '../artifacts/identities.js';
import type { SourceFiles } from '../sources/files.js';

/**
 * One record as histories compare it: an item, or for Messages and WhatsApp one message with its conversation.
 * `key` is its identity across backups: the declared one, else the SHA-256 of its file, else a hash of its fields
 * (a record with nothing that names it is the same record only where every field is).
 */
export interface Unit<K extends ArtifactId = ArtifactId> {
  key: string;
  item: IdentityUnit<K>;
  conversation?: Conversation;
  recovered: boolean;
  date: Date | null;
  /** A hash of what the record says (its volatile fields left out): two copies differ when this does. */
  fingerprint: string;
}

const DATE_FIELDS = [
  'date',
  'created',
  'start',
  'recordedAt',
  'receivedAt',
  'visitTime',
  'dateAdded',
  'added',
  'lastViewed',
  'modified',
  'lastModified',
] as const;

/** The date a record is placed at in time (sent, taken, started, visited...). */
export function unitDate(item: unknown): Date | null {
  const record = item as Record<string, unknown>;
  for (const field of DATE_FIELDS) {
    const value = record[field];
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
  }
  return null;
}

const MAX_DEPTH = 16;

/** The record as stable text without the fields that differ between copies of it (at any depth). */
export function stableText(value: unknown, volatile: ReadonlySet<string>, depth = 0): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Buffer.isBuffer(value) || value instanceof Uint8Array)
    return JSON.stringify(`sha256:${createHash('sha256').update(value).digest('hex')}`);
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (typeof value !== 'object') return JSON.stringify(value);
  if (depth > MAX_DEPTH) return '"…"';
  if (Array.isArray(value)) return `[${value.map((v) => stableText(v, volatile, depth + 1))}]`;
  const entries = Object.keys(value)
    .filter((k) => !volatile.has(k) && (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map(
      (k) =>
        `${JSON.stringify(k)}:${stableText((value as Record<string, unknown>)[k], volatile, depth + 1)}`,
    );
  return `{${entries.join(',')}}`;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function fingerprintOf(id: ArtifactId, item: unknown): string {
  return sha256(stableText(item, new Set(identityFunction(id).volatile))).slice(0, 32);
}

async function fileHash(files: SourceFiles, ref: { domain: string; relativePath: string }) {
  try {
    if (!files.stat(ref)?.present) return null;
    const hash = createHash('sha256');
    for await (const chunk of await files.open(ref)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } catch {
    return null;
  }
}

/** Every record of a data type as units with their identities (files hashed where only content names them). */
export async function unitsOf<K extends ArtifactId>(
  id: K,
  data: ArtifactData<unknown>,
  files: SourceFiles,
): Promise<Unit<K>[]> {
  const identity = identityFunction(id);
  const units: Unit<K>[] = [];
  const add = async (item: IdentityUnit<K>, conversation?: Conversation) => {
    const fingerprint = fingerprintOf(id, item);
    let key = identity.of(item);
    if (key === null) {
      const file = contentFileOf(id, item);
      const hash = file ? await fileHash(files, file) : null;
      key = hash ? `sha256=${hash}` : `fields=${fingerprint}`;
    }
    const recovered = Boolean((item as { recovered?: unknown }).recovered);
    units.push({
      key,
      item,
      ...(conversation ? { conversation } : {}),
      recovered,
      date: unitDate(item),
      fingerprint,
    });
  };
  if (isConversationType(id)) {
    for (const conversation of data.items as Conversation[])
      for (const message of conversation.messages)
        await add(message as IdentityUnit<K>, conversation);
  } else {
    for (const item of data.items) await add(item as IdentityUnit<K>);
  }
  return units;
}
