import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import type { Item } from './items.js';

export interface ArtifactPayload {
  id: string;
  title: string;
  items: Item[];
  problems: { severity: 'error' | 'warning'; message: string }[];
  notInBackup: string[];
  sources: string[];
  /** Contact names for numbers and addresses the items mention. */
  names?: Record<string, string>;
}

export interface Count {
  id: string;
  title: string;
  items: number;
  recovered: number;
  deleted?: number;
  messages?: number;
  recoveredMessages?: number;
  problems: { severity: string; message: string }[];
  notInBackup: string[];
}

export interface Summary {
  id: string;
  path: string;
  demo?: boolean;
  locked?: boolean;
  deviceName?: string | null;
  model?: string | null;
  iosVersion?: string | null;
  lastBackupDate?: string | null;
  encrypted?: boolean;
  sizeOnDisk?: number;
  indexedFiles?: number | null;
  finished?: boolean | null;
  error?: string;
}

/** The categories, in the order the sidebar shows them. */
export const CATEGORIES: { id: string; title: string }[] = [
  { id: 'photos', title: 'Photos' },
  { id: 'messages', title: 'Messages' },
  { id: 'whatsapp', title: 'WhatsApp' },
  { id: 'contacts', title: 'Contacts' },
  { id: 'calls', title: 'Calls' },
  { id: 'notes', title: 'Notes' },
  { id: 'calendar', title: 'Calendar' },
  { id: 'reminders', title: 'Reminders' },
  { id: 'safari', title: 'Safari' },
  { id: 'voicemail', title: 'Voicemail' },
  { id: 'voice-memos', title: 'Voice Memos' },
];

const artifactCache = new Map<string, Promise<ArtifactPayload>>();

export function loadArtifact(backup: string, id: string): Promise<ArtifactPayload> {
  const key = `${backup}/${id}`;
  let pending = artifactCache.get(key);
  if (!pending) {
    pending = api<ArtifactPayload>(`/api/backups/${backup}/artifacts/${id}`);
    pending.catch(() => artifactCache.delete(key));
    artifactCache.set(key, pending);
  }
  return pending;
}

export function useArtifact(
  backup: string,
  id: string,
): { data: ArtifactPayload | null; error: string | null } {
  const [state, setState] = useState<{ data: ArtifactPayload | null; error: string | null }>({
    data: null,
    error: null,
  });
  useEffect(() => {
    let live = true;
    setState({ data: null, error: null });
    loadArtifact(backup, id).then(
      (data) => live && setState({ data, error: null }),
      (e: Error) => live && setState({ data: null, error: e.message }),
    );
    return () => {
      live = false;
    };
  }, [backup, id]);
  return state;
}

/** Items picked for saving: category → item numbers. */
export type Selection = Record<string, Set<number>>;

export interface SelectionApi {
  selection: Selection;
  has(artifact: string, index: number): boolean;
  toggle(artifact: string, index: number, on?: boolean): void;
  setMany(artifact: string, indexes: number[], on: boolean): void;
  clear(): void;
  count: number;
}

export function useSelection(): SelectionApi {
  const [selection, setSelection] = useState<Selection>({});
  const count = Object.values(selection).reduce((n, s) => n + s.size, 0);
  return {
    selection,
    count,
    has: (a, i) => selection[a]?.has(i) ?? false,
    toggle: (a, i, on) =>
      setSelection((prev) => {
        const set = new Set(prev[a] ?? []);
        const want = on ?? !set.has(i);
        if (want) set.add(i);
        else set.delete(i);
        return { ...prev, [a]: set };
      }),
    setMany: (a, indexes, on) =>
      setSelection((prev) => {
        const set = new Set(prev[a] ?? []);
        for (const i of indexes)
          if (on) set.add(i);
          else set.delete(i);
        return { ...prev, [a]: set };
      }),
    clear: () => setSelection({}),
  };
}
