import { useEffect, useState } from 'preact/hooks';
import type { ArtifactId } from '../../src/artifacts/artifact.js';
import type {
  ArtifactInfo,
  ArtifactResponse,
  ArtifactsResponse,
} from '../../src/server/api-types.js';
import { api } from './api.js';

/** A request's answer once it arrives, or its error. */
function usePromise<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data: T | null; error: string | null }>({
    data: null,
    error: null,
  });
  useEffect(() => {
    let live = true;
    setState({ data: null, error: null });
    load().then(
      (data) => live && setState({ data, error: null }),
      (e: Error) => live && setState({ data: null, error: e.message }),
    );
    return () => {
      live = false;
    };
  }, deps);
  return state;
}

/** The same request once per page load: a failed one is asked again next time. */
function once<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let pending = cache.get(key);
  if (!pending) {
    pending = load();
    pending.catch(() => cache.delete(key));
    cache.set(key, pending);
  }
  return pending;
}

const artifactList = new Map<string, Promise<ArtifactInfo[]>>();

/** The data types the server knows, in the order the page shows them. */
export const useArtifactList = () =>
  usePromise(
    () =>
      once(artifactList, '', () =>
        api<ArtifactsResponse>('/api/artifacts').then((r) => r.artifacts),
      ),
    [],
  );

const artifactCache = new Map<string, Promise<ArtifactResponse>>();

export function loadArtifact<Id extends ArtifactId>(
  backup: string,
  id: Id,
): Promise<ArtifactResponse<Id>> {
  return once(artifactCache, `${backup}/${id}`, () =>
    api<ArtifactResponse>(`/api/backups/${backup}/artifacts/${id}`),
  ) as Promise<ArtifactResponse<Id>>;
}

export const useArtifact = <Id extends ArtifactId>(backup: string, id: Id) =>
  usePromise(() => loadArtifact(backup, id), [backup, id]);

/** Items picked for saving: data type → item numbers. */
export type Selection = Partial<Record<ArtifactId, Set<number>>>;

export interface SelectionApi {
  selection: Selection;
  has(artifact: ArtifactId, index: number): boolean;
  toggle(artifact: ArtifactId, index: number, on?: boolean): void;
  setMany(artifact: ArtifactId, indexes: number[], on: boolean): void;
  clear(): void;
  count: number;
}

const storeKey = (backup: string) => `reclaim-selection:${backup}`;

/** The selection kept in this page's storage, so that a reload (or a link opened again) keeps it. */
function loadSelection(backup: string | null): Selection {
  if (!backup) return {};
  try {
    const saved = JSON.parse(localStorage.getItem(storeKey(backup)) ?? '{}') as Record<
      string,
      number[]
    >;
    return Object.fromEntries(
      Object.entries(saved).map(([a, list]) => [a, new Set(list.filter(Number.isInteger))]),
    );
  } catch {
    return {};
  }
}

/** The items picked in one backup (item numbers belong to one backup: each keeps its own). */
export function useSelection(backup: string | null): SelectionApi {
  const [state, setState] = useState<{ backup: string | null; selection: Selection }>(() => ({
    backup,
    selection: loadSelection(backup),
  }));
  const selection = state.backup === backup ? state.selection : loadSelection(backup);
  const update = (change: (prev: Selection) => Selection) =>
    setState((prev) => {
      const base = prev.backup === backup ? prev.selection : loadSelection(backup);
      const next = change(base);
      if (backup)
        localStorage.setItem(
          storeKey(backup),
          JSON.stringify(Object.fromEntries(Object.entries(next).map(([a, s]) => [a, [...s]]))),
        );
      return { backup, selection: next };
    });
  const count = Object.values(selection).reduce((n, s) => n + s.size, 0);
  return {
    selection,
    count,
    has: (a, i) => selection[a]?.has(i) ?? false,
    toggle: (a, i, on) =>
      update((prev) => {
        const set = new Set(prev[a] ?? []);
        const want = on ?? !set.has(i);
        if (want) set.add(i);
        else set.delete(i);
        return { ...prev, [a]: set };
      }),
    setMany: (a, indexes, on) =>
      update((prev) => {
        const set = new Set(prev[a] ?? []);
        for (const i of indexes)
          if (on) set.add(i);
          else set.delete(i);
        return { ...prev, [a]: set };
      }),
    clear: () => update(() => ({})),
  };
}
