import type { FileRef } from '../sources/files.js';
import type { Conversation, ConversationMessage } from './conversation.js';
import type { CrossBackupIdentity, IdentityKey } from './declaration.js';

/**
 * A data type's identity across backups, built from the `identity` its declaration gives: what tells that a
 * record of one backup is the same record in another (diff, merge, incremental export, search links).
 */
export interface ItemIdentity<T> {
  /**
   * The record's identity ("guid=8A1C…", "uid=E1&recurrenceId=2024-05-01T09:00:00.000Z"), from the first declared
   * key whose fields it has; null when it has none of them (then `contentFile`'s hash may tell).
   */
  of(item: T): string | null;
  /** The file whose SHA-256 names the record when `of` gives null (types with a content key only). */
  contentFile?: (item: T) => FileRef | null;
  /** Fields that differ between two copies of one unchanged record (row ids, where it was read, marks). */
  readonly volatile: readonly string[];
}

/** Messages and WhatsApp: each message has its identity, and the chat has one of its own. */
export interface ConversationIdentity extends ItemIdentity<ConversationMessage> {
  conversation(conversation: Conversation): string;
}

/** Fields no copy of a record is compared on: the deleted-space mark and the history other issues attach. */
const ALWAYS_VOLATILE = ['recovered', 'earlierVersions', 'foundIn', 'history'] as const;

type KeysOfUnion<T> = T extends unknown ? keyof T : never;
type DeclaredFields<I> = I extends { keys: readonly (infer K)[] }
  ? K extends { fields: readonly (infer F)[] }
    ? F
    : never
  : never;
/** A compile error naming the declared fields the record type lacks. */
type FieldsCheck<I, T> = [Exclude<DeclaredFields<I>, KeysOfUnion<T>>] extends [never]
  ? unknown
  : { identityFieldsMissingFromRecord: Exclude<DeclaredFields<I>, KeysOfUnion<T>> };

type ChatFields<I> = I extends { conversation?: readonly (infer K)[] }
  ? K extends { fields: readonly (infer F)[] }
    ? F
    : never
  : never;
type ChatFieldsCheck<I> = [Exclude<ChatFields<I>, keyof Conversation>] extends [never]
  ? unknown
  : { conversationFieldsMissingFromRecord: Exclude<ChatFields<I>, keyof Conversation> };

/** One value as it enters an identity: trimmed text, ISO dates, sorted lists; null when empty. */
export function canonicalValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() || null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  if (Array.isArray(value)) {
    const parts = value.map(canonicalValue).filter((v): v is string => v !== null);
    return parts.length ? [...new Set(parts)].sort().join(',') : null;
  }
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const field of ['value', 'handle', 'url', 'path'])
      if (field in o) return canonicalValue(o[field]);
    return JSON.stringify(value);
  }
  return null;
}

type Canonical = Readonly<Record<string, (value: unknown) => unknown>>;

/** The identity one key gives a record: its fields as `name=value` (any one of them present is enough). */
export function keyIdentity(
  key: IdentityKey,
  item: unknown,
  canonical: Canonical = {},
): string | null {
  const record = item as Record<string, unknown>;
  if (key.kind !== undefined && record['kind'] !== key.kind) return null;
  const values = key.fields.map((f) =>
    canonicalValue(canonical[f] ? canonical[f](record[f]) : record[f]),
  );
  if (values.every((v) => v === null)) return null;
  const text = key.fields
    .map((f, i) => `${f}=${(values[i] ?? '').replace(/[%&=]/g, encodeURIComponent)}`)
    .join('&');
  return key.kind ? `${key.kind}:${text}` : text;
}

function firstKey(keys: readonly unknown[], item: unknown, canonical?: Canonical): string | null {
  for (const key of keys) {
    if (typeof key !== 'object' || key === null || !('fields' in key)) continue;
    const found = keyIdentity(key as IdentityKey, item, canonical);
    if (found !== null) return found;
  }
  return null;
}

export interface IdentityOptions<T> {
  /** The record's main file, for types whose declaration ends in a content key. */
  contentFile?: (item: T) => FileRef | null;
  /** Fields of this type that differ between copies of one unchanged record. */
  volatile?: readonly KeysOfUnion<T>[];
  /** A field's value as it names the record (a local suffix taken off, say). */
  canonical?: { readonly [K in KeysOfUnion<T> & string]?: (value: unknown) => unknown };
}

/**
 * The identity function of a data type whose records are `T`, from its declaration: every field the declaration
 * names must be a field of `T` (else this does not compile, naming the missing field).
 */
export function declaredIdentity<T>() {
  return <I extends CrossBackupIdentity>(
    declaration: { identity: I } & FieldsCheck<I, T>,
    options: IdentityOptions<T> = {},
  ): ItemIdentity<T> => {
    const { keys } = declaration.identity;
    const hasContent = keys.some((k) => 'content' in k);
    if (hasContent && !options.contentFile)
      throw new Error(`${declaration.identity.describe}: a content key needs contentFile`);
    return {
      of: (item) => firstKey(keys, item, options.canonical as Canonical | undefined),
      ...(hasContent ? { contentFile: options.contentFile } : {}),
      volatile: [...ALWAYS_VOLATILE, ...((options.volatile ?? []) as readonly string[])],
    };
  };
}

/** The identity of a conversation type: each message by the declared keys, the chat by `conversation`. */
export function declaredConversationIdentity<I extends CrossBackupIdentity>(
  declaration: { identity: I } & FieldsCheck<I, ConversationMessage> & ChatFieldsCheck<I>,
  options: IdentityOptions<ConversationMessage> = {},
): ConversationIdentity {
  const messages = declaredIdentity<ConversationMessage>()(declaration, options);
  const chatKeys = declaration.identity.conversation ?? [];
  return {
    ...messages,
    conversation: (c) => firstKey(chatKeys, c) ?? `id=${encodeURIComponent(c.id)}`,
  };
}
