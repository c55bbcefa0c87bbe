import type { ArtifactData, ArtifactId, ReadOptions } from '../artifacts/artifact.js';
import { emptyData } from '../artifacts/artifact.js';
import type { Conversation, ConversationMessage, Participant } from '../artifacts/conversation.js';
import {
  conversationIdentityOf,
  identityFunction,
  isConversationType,
} from '../artifacts/identities.js';
import type { HistoryMarks } from '../export/marks.js';
import type { LabelledSource } from './labels.js';
import { claimRefs, MergedFiles } from './merged-files.js';
import { unitsOf, type Unit } from './units.js';

interface Held {
  unit: Unit;
  /** Index of the source (newest first). */
  source: number;
}

/** A record without what tells copies apart, for an item's history. */
function versionOf(id: ArtifactId, item: unknown): unknown {
  const volatile = new Set(identityFunction(id).volatile);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item as Record<string, unknown>)) {
    if (volatile.has(k) || v === undefined) continue;
    out[k] = Buffer.isBuffer(v) ? { bytes: v.length } : v;
  }
  return out;
}

const time = (u: { date: Date | null }) => u.date?.getTime() ?? Infinity;

/**
 * Several sources' records of one data type as one set, each record once by identity: the newest live version
 * is the item (a carved copy only when no source holds it alive), with the sources that hold it (`foundIn`) and
 * the other versions, newest first (`history`). Conversations are merged by the chat's identity, their messages
 * by theirs: a conversation spanning backups is one conversation.
 */
export class Merger {
  readonly files: MergedFiles;

  constructor(
    /** Newest first. */
    readonly sources: readonly LabelledSource[],
  ) {
    this.files = new MergedFiles(sources.map((s) => s.source.files));
  }

  private labels(held: Held[]): string[] {
    return [...new Set(held.map((h) => h.source))]
      .sort((a, b) => a - b)
      .map((i) => this.sources[i]!.label);
  }

  /** The chosen version, marked with where it is found and its older versions. */
  private pick(
    id: ArtifactId,
    held: Held[],
  ): { item: unknown; date: Date | null; recovered: boolean } {
    const live = held.filter((h) => !h.unit.recovered);
    const pool = live.length ? live : held;
    const chosen = pool[0]!;
    const history: NonNullable<HistoryMarks['history']> = [];
    const seen = new Map<string, Held[]>();
    for (const h of pool) {
      if (h.unit.fingerprint === chosen.unit.fingerprint) continue;
      const same = seen.get(h.unit.fingerprint);
      if (same) same.push(h);
      else seen.set(h.unit.fingerprint, [h]);
    }
    for (const versions of seen.values())
      history.push({
        foundIn: this.labels(versions),
        version: versionOf(id, versions[0]!.unit.item),
      });
    const item = claimRefs(chosen.unit.item as object, chosen.source, this.files);
    const marks: HistoryMarks = {
      foundIn: this.labels(pool),
      ...(history.length ? { history } : {}),
    };
    return {
      item: { ...item, ...marks },
      date: chosen.unit.date,
      recovered: chosen.unit.recovered,
    };
  }

  async read(id: ArtifactId, options: ReadOptions = {}): Promise<ArtifactData<unknown>> {
    const data = emptyData<unknown>(id);
    const groups = new Map<string, Held[]>();
    const chats = new Map<string, Array<{ conversation: Conversation; source: number }>>();
    const conversational = isConversationType(id);
    for (const [index, { source, label }] of this.sources.entries()) {
      const part = await source.readArtifact(id, options);
      data.problems.push(
        ...part.problems.map((p) => ({ ...p, message: `${label}: ${p.message}` })),
      );
      for (const line of part.notInBackup)
        if (!data.notInBackup.includes(line)) data.notInBackup.push(line);
      data.sources.push(...part.sources.map((s) => `${label}: ${s}`));
      for (const unit of await unitsOf(id, part, source.files)) {
        const key = conversational
          ? `${conversationIdentityOf(id as 'messages', unit.conversation!)}\0${unit.key}`
          : unit.key;
        const list = groups.get(key);
        if (list) list.push({ unit, source: index });
        else groups.set(key, [{ unit, source: index }]);
      }
      if (conversational)
        for (const conversation of part.items as Conversation[]) {
          const key = conversationIdentityOf(id as 'messages', conversation);
          const list = chats.get(key);
          if (list) list.push({ conversation, source: index });
          else chats.set(key, [{ conversation, source: index }]);
        }
    }
    if (!conversational) {
      const picked = [...groups.values()].map((held) => this.pick(id, held));
      picked.sort((a, b) => Number(a.recovered) - Number(b.recovered) || time(a) - time(b));
      data.items = picked.map((p) => p.item);
      return data;
    }
    const messagesOf = new Map<string, Array<{ item: unknown; date: Date | null }>>();
    for (const [key, held] of groups) {
      const chat = key.slice(0, key.indexOf('\0'));
      const list = messagesOf.get(chat) ?? [];
      const { item, date } = this.pick(id, held);
      list.push({ item, date });
      messagesOf.set(chat, list);
    }
    for (const [key, versions] of chats) {
      const base = versions.find((v) => !v.conversation.recovered) ?? versions[0]!;
      const participants = new Map<string, Participant>();
      for (const v of versions)
        for (const p of v.conversation.participants)
          if (!participants.has(p.handle)) participants.set(p.handle, p);
      const messages = (messagesOf.get(key) ?? [])
        .sort((a, b) => time(a) - time(b))
        .map((m) => m.item as ConversationMessage);
      const merged: Conversation & HistoryMarks = {
        ...base.conversation,
        participants: [...participants.values()],
        messages,
        foundIn: [...new Set(versions.map((v) => v.source))]
          .sort((a, b) => a - b)
          .map((i) => this.sources[i]!.label),
      };
      data.items.push(merged);
    }
    return data;
  }
}
