import { useEffect, useRef, useState } from 'preact/hooks';
import type { TimeSettings } from '../../src/server/api-types.js';
import { api } from './api.js';
import { BackupPages } from './pages/backup.js';
import { BackupsPage } from './pages/backups.js';
import { ComparePage } from './pages/compare.js';
import { RescuePage } from './pages/rescue.js';
import { HeaderSearch, SearchPage } from './pages/search.js';
import { useHashRoute } from './route.js';
import { useSelection } from './state.js';
import { setTimeSettings, zoneNote } from './time.js';

/** The page: the backups, one backup's pages (#/b/ID/...), or the rescue plan (#/rescue). */
export function App() {
  const route = useHashRoute();
  const sel = useSelection(route[0] === 'b' ? (route[1] ?? null) : null);
  const main = useRef<HTMLElement>(null);
  // Times wait for the server's clock (this computer's zone, or --utc); the browser's zone if it cannot say.
  const [clockKnown, setClockKnown] = useState(false);
  useEffect(() => {
    api<TimeSettings>('/api/time')
      .then(setTimeSettings)
      .catch(() => undefined)
      .finally(() => setClockKnown(true));
  }, []);
  // A new page takes the focus; opening an item of the same page (#/b/ID/a/TYPE/N) leaves it to the item.
  useEffect(() => {
    main.current?.focus({ preventScroll: true });
  }, [route.slice(0, 4).join('/')]);
  let page;
  if (route[0] === 'b' && route[1])
    page = <BackupPages id={route[1]} rest={route.slice(2)} sel={sel} />;
  else if (route[0] === 'rescue') page = <RescuePage />;
  else if (route[0] === 'search') page = <SearchPage initial={route[1] ?? ''} />;
  else if (route[0] === 'compare') page = <ComparePage />;
  else page = <BackupsPage />;
  return (
    <div class="app">
      <a
        class="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          main.current?.focus();
        }}
      >
        Skip to content
      </a>
      <header class="top">
        <a href="#/" class="brand">
          Reclaim
        </a>
        <span class="tagline">Your iPhone backup, on this computer only</span>
        <span class="tagline" data-testid="zone">
          {clockKnown ? zoneNote() : ''}
        </span>
        <HeaderSearch />
        <a href="#/compare" class="tagline">
          Compare backups
        </a>
      </header>
      <main id="main" ref={main} tabIndex={-1} class="body">
        {clockKnown ? page : null}
      </main>
    </div>
  );
}
