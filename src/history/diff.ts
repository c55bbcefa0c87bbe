import type { ArtifactData, ArtifactId, Problem, ReadOptions } from '../artifacts/artifact.js';
import type { Conversation, ConversationMessage } from '../artifacts/conversation.js';
import { isConversationType } from '../artifacts/identities.js';
import { artifactById } from '../artifacts/registry.js';
import type { DataSource } from '../sources/data-source.js';
import { unitsOf, type Unit } from './units.js';

export type Change = 'lost' | 'added' | 'changed';

export interface DiffEntry {
  change: Change;
  /** The record: OLD's for lost items, NEW's for added and changed ones. */
  unit: Unit;
  /** Changed items: OLD's version. */
  previous?: Unit;
  /** Lost items that NEW still holds in its databases' deleted space (carved back as recovered). */
  stillInDeletedSpace?: boolean;
}

export interface TypeDiff {
  id: ArtifactId;
  title: string;
  lost: DiffEntry[];
  added: DiffEntry[];
  changed: DiffEntry[];
  /** Problems reading either side, each said with the side it came from. */
  problems: Problem[];
  /** OLD's records (lost items are exported from them, with their context). */
  old: ArtifactData<unknown>;
}

const byDate = (a: DiffEntry, b: DiffEntry) =>
  (a.unit.date?.getTime() ?? Infinity) - (b.unit.date?.getTime() ?? Infinity);

/**
 * What changed in one data type between OLD and NEW, by identity: lost (a live record of OLD that NEW no longer
 * holds alive), added (a live record of NEW that OLD did not hold alive), changed (both hold it, and what it says
 * differs). A record recovered from deleted space is never live: it only tells that a lost one is still there.
 */
export async function diffArtifact(
  id: ArtifactId,
  oldSource: DataSource,
  newSource: DataSource,
  options: ReadOptions = {},
): Promise<TypeDiff> {
  const read = { recoverDeleted: true, ...options };
  const [oldData, newData] = [
    await oldSource.readArtifact(id, read),
    await newSource.readArtifact(id, read),
  ];
  const oldUnits = await unitsOf(id, oldData, oldSource.files);
  const newUnits = await unitsOf(id, newData, newSource.files);
  const liveOld = new Map<string, Unit>();
  for (const u of oldUnits) if (!u.recovered && !liveOld.has(u.key)) liveOld.set(u.key, u);
  const liveNew = new Map<string, Unit>();
  const carvedNew = new Set<string>();
  for (const u of newUnits) {
    if (u.recovered) carvedNew.add(u.key);
    else if (!liveNew.has(u.key)) liveNew.set(u.key, u);
  }
  const lost: DiffEntry[] = [];
  const changed: DiffEntry[] = [];
  for (const [key, unit] of liveOld) {
    const now = liveNew.get(key);
    if (!now)
      lost.push({
        change: 'lost',
        unit,
        ...(carvedNew.has(key) ? { stillInDeletedSpace: true } : {}),
      });
    else if (now.fingerprint !== unit.fingerprint)
      changed.push({ change: 'changed', unit: now, previous: unit });
  }
  const added: DiffEntry[] = [];
  for (const [key, unit] of liveNew) if (!liveOld.has(key)) added.push({ change: 'added', unit });
  const side = (label: string, problems: Problem[]) =>
    problems.map((p) => ({ ...p, message: `${label}: ${p.message}` }));
  return {
    id,
    title: artifactById(id).title,
    lost: lost.sort(byDate),
    added: added.sort(byDate),
    changed: changed.sort(byDate),
    problems: [...side('OLD', oldData.problems), ...side('NEW', newData.problems)],
    old: oldData,
  };
}

/** How many messages around each lost message an export keeps as its context. */
export const CONTEXT_MESSAGES = 2;

export const CONTEXT_NOTE = 'not lost: still in the newer backup';

/**
 * The lost records as the data type's own records, ready for its exporter: a conversation keeps the messages
 * around its lost ones, marked as context.
 */
export function lostData(diff: TypeDiff, around = CONTEXT_MESSAGES): ArtifactData<unknown> {
  const lostUnits = new Set(diff.lost.map((e) => e.unit.item));
  const base = { ...diff.old, problems: [], items: [] as unknown[] };
  if (!isConversationType(diff.id)) {
    base.items = (diff.old.items as unknown[]).filter((item) => lostUnits.has(item as never));
    return base;
  }
  for (const conversation of diff.old.items as Conversation[]) {
    const { messages } = conversation;
    const keep = new Set<number>();
    messages.forEach((m, i) => {
      if (!lostUnits.has(m as never)) return;
      for (let j = Math.max(0, i - around); j <= Math.min(messages.length - 1, i + around); j++)
        keep.add(j);
    });
    if (keep.size === 0) continue;
    const kept: ConversationMessage[] = [...keep]
      .sort((a, b) => a - b)
      .map((i) => messages[i]!)
      .map((m) => (lostUnits.has(m as never) ? m : { ...m, context: CONTEXT_NOTE }));
    base.items.push({ ...conversation, messages: kept });
  }
  return base;
}
