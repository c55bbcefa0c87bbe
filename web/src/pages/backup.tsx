import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ArtifactCount, ArtifactInfo, BackupInfo } from '../../../src/server/api-types.js';
import { api } from '../api.js';
import { ErrorState, Loading } from '../common.js';
import { SelectionBar } from '../components/selection-bar.js';
import { useArtifactList, type SelectionApi } from '../state.js';
import { viewOf } from '../views/index.js';
import { FilesPage } from './files.js';
import { Overview } from './overview.js';
import { RecoverPage } from './recover.js';
import { SavePage } from './save.js';
import { UnlockPage } from './unlock.js';

function useSummary(id: string): [BackupInfo | null, string | null, () => void] {
  const [summary, setSummary] = useState<BackupInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = () => {
    api<BackupInfo>(`/api/backups/${id}`).then(
      (s) => {
        setSummary(s);
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
  };
  useEffect(reload, [id]);
  return [summary, error, reload];
}

const pageWith = (child: ComponentChildren) => <section class="page">{child}</section>;
const failedPage = (error: string) =>
  pageWith(
    <>
      <ErrorState message={`Could not open this backup: ${error}`} />
      <p>
        <a href="#/">Back to the backups</a>
      </p>
    </>,
  );

/** One backup: unlocked first if it must be, then its overview, data types, files and saving. */
export function BackupPages({ id, rest, sel }: { id: string; rest: string[]; sel: SelectionApi }) {
  const [summary, error, reload] = useSummary(id);
  const list = useArtifactList();
  const [counts, setCounts] = useState<ArtifactCount[] | null>(null);
  useEffect(() => setCounts(null), [id]);
  if (error) return failedPage(error);
  if (!summary) return pageWith(<Loading what="the backup" />);
  if (summary.locked) {
    if (rest[0] === 'recover') return <RecoverPage summary={summary} onUnlocked={reload} />;
    return <UnlockPage summary={summary} onUnlocked={reload} />;
  }
  if (list.error) return failedPage(list.error);
  if (!list.data) return pageWith(<Loading what="the backup" />);
  let page;
  const view = rest[0] === 'a' ? viewOf(rest[1] ?? '') : undefined;
  if (view && list.data.some((a) => a.id === rest[1])) {
    const open = rest[2] !== undefined && /^\d+$/.test(rest[2]) ? Number(rest[2]) : null;
    page = <view.Page key={rest[1]} backup={id} sel={sel} open={open} />;
  } else if (rest[0] === 'files') page = <FilesPage backup={id} />;
  else if (rest[0] === 'save') page = <SavePage backup={id} sel={sel} />;
  else page = <Overview summary={summary} counts={counts} setCounts={setCounts} />;
  return (
    <div class="with-nav">
      <BackupNav
        id={id}
        current={rest.slice(0, 2).join('/')}
        artifacts={list.data}
        counts={counts}
      />
      <div class="content">{page}</div>
      <SelectionBar backup={id} sel={sel} />
    </div>
  );
}

function BackupNav({
  id,
  current,
  artifacts,
  counts,
}: {
  id: string;
  current: string;
  artifacts: ArtifactInfo[];
  counts: ArtifactCount[] | null;
}) {
  return (
    <nav class="side" aria-label="categories">
      <a href={`#/b/${id}`} aria-current={current === '' ? 'page' : undefined}>
        Overview
      </a>
      {artifacts.map((c) => {
        const n = counts?.find((x) => x.id === c.id);
        return (
          <a
            href={`#/b/${id}/a/${c.id}`}
            aria-current={current === `a/${c.id}` ? 'page' : undefined}
          >
            {viewOf(c.id)?.label ?? c.title}
            {n && (
              <span class="count">
                {n.items}
                {n.recovered || n.recoveredMessages ? (
                  <span class="dot" title="has recovered items">
                    •
                  </span>
                ) : null}
              </span>
            )}
          </a>
        );
      })}
      <a href={`#/b/${id}/files`} aria-current={current === 'files' ? 'page' : undefined}>
        Files
      </a>
      <a href="#/" class="muted">
        All backups
      </a>
    </nav>
  );
}
