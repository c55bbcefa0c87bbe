import { useEffect, useState } from 'preact/hooks';

/** The page's place: the address after #, in parts (#/b/ID/a/photos → b, ID, a, photos). */
export function useHashRoute(): string[] {
  const read = () =>
    location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

export const go = (path: string) => {
  location.hash = path;
};

/** Opens (or, with null, closes) an item of a data type: a new place in the history, so Back closes it. */
export const openItem = (backup: string, artifact: string, item: number | null) =>
  go(`/b/${backup}/a/${artifact}${item === null ? '' : `/${item}`}`);

/** Moves to another item in place (← → in a viewer): the history keeps one entry for the viewer. */
export const moveToItem = (backup: string, artifact: string, item: number) =>
  location.replace(`#/b/${backup}/a/${artifact}/${item}`);
