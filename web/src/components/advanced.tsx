import { useEffect, useState } from 'preact/hooks';

const STORE = 'reclaim-advanced';
const EVENT = 'reclaim-advanced';

/**
 * Whether internal fields (row ids, raw types, library ids) are shown: off unless the person asks, and the
 * same on every page.
 */
export function useAdvanced(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(() => localStorage.getItem(STORE) === '1');
  useEffect(() => {
    const sync = () => setOn(localStorage.getItem(STORE) === '1');
    addEventListener(EVENT, sync);
    return () => removeEventListener(EVENT, sync);
  }, []);
  return [
    on,
    (value: boolean) => {
      localStorage.setItem(STORE, value ? '1' : '0');
      dispatchEvent(new Event(EVENT));
    },
  ];
}

/** Field names that are the database's own bookkeeping rather than anything a person wrote. */
const INTERNAL =
  /^(id|pk|rowid|rowId|.*Rowid|.*RowId|.*Id|guid|uuid|uid|.*Uuid|uti|rawType|raw.*|.*Raw|zpk|sources?|recordId|identifier|directory|sortOrder)$/;

export const isInternalField = (key: string) => INTERNAL.test(key);
