import { useEffect, useMemo, useState } from 'preact/hooks';
import type { DomainFilesResponse, DomainsResponse } from '../../../src/server/api-types.js';
import { api } from '../api.js';
import { arrowNavigation, Empty, ErrorState, Loading } from '../common.js';
import { downloadUrl, formatBytes, formatDate } from '../items.js';

type FileRow = DomainFilesResponse['files'][number];

/** The raw backup: domains, then folders, with a download for every file. */
export function FilesPage({ backup }: { backup: string }) {
  const [domains, setDomains] = useState<DomainsResponse['domains'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [domain, setDomain] = useState<string | null>(null);
  const [files, setFiles] = useState<FileRow[] | null>(null);
  const [folder, setFolder] = useState('');
  const [filter, setFilter] = useState('');
  useEffect(() => {
    api<DomainsResponse>(`/api/backups/${backup}/files`).then(
      (r) => setDomains(r.domains),
      (e: Error) => setError(e.message),
    );
  }, [backup]);
  useEffect(() => {
    if (!domain) return;
    setFiles(null);
    setFolder('');
    api<DomainFilesResponse>(
      `/api/backups/${backup}/files?${new URLSearchParams({ domain })}`,
    ).then(
      (r) => setFiles(r.files),
      (e: Error) => setError(e.message),
    );
  }, [domain]);
  const listing = useMemo(() => {
    if (!files) return { folders: [] as [string, number][], here: [] as FileRow[] };
    const prefix = folder ? `${folder}/` : '';
    const folders = new Map<string, number>();
    const here: FileRow[] = [];
    for (const f of files) {
      if (!f.path.startsWith(prefix)) continue;
      const rest = f.path.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash >= 0)
        folders.set(rest.slice(0, slash), (folders.get(rest.slice(0, slash)) ?? 0) + 1);
      else here.push(f);
    }
    return { folders: [...folders].sort((a, b) => a[0].localeCompare(b[0])), here };
  }, [files, folder]);
  if (error) return <ErrorState message={`Could not list the backup’s files: ${error}`} />;
  if (!domains) return <Loading what="the file list" />;
  const q = filter.trim().toLowerCase();
  return (
    <section class="files">
      <header class="page-head">
        <h1>Files</h1>
        <p class="meta">
          The backup as it is stored: {domains.length} domains,{' '}
          {domains.reduce((n, d) => n + d.files, 0).toLocaleString()} files. Every file can be
          downloaded as it was on the device.
        </p>
      </header>
      <div class="split">
        <div class="domain-list">
          <input
            type="search"
            class="filter"
            placeholder="Filter domains…"
            value={filter}
            aria-label="filter domains"
            onInput={(e) => setFilter((e.currentTarget as HTMLInputElement).value)}
          />
          <ul onKeyDown={arrowNavigation('button')}>
            {domains
              .filter((d) => !q || d.name.toLowerCase().includes(q))
              .map((d) => (
                <li>
                  <button
                    type="button"
                    class={domain === d.name ? 'active' : ''}
                    onClick={() => setDomain(d.name)}
                  >
                    <span>{d.name}</span>
                    <span class="meta">
                      {d.files} · {formatBytes(d.bytes)}
                    </span>
                  </button>
                </li>
              ))}
          </ul>
        </div>
        <div class="folder">
          {!domain ? (
            <Empty>Choose a domain.</Empty>
          ) : !files ? (
            <Loading what={domain} />
          ) : (
            <>
              <nav class="crumbs" aria-label="folder">
                <button type="button" class="link" onClick={() => setFolder('')}>
                  {domain}
                </button>
                {folder
                  .split('/')
                  .filter(Boolean)
                  .map((part, i, all) => (
                    <>
                      {' '}
                      /{' '}
                      <button
                        type="button"
                        class="link"
                        onClick={() => setFolder(all.slice(0, i + 1).join('/'))}
                      >
                        {part}
                      </button>
                    </>
                  ))}
              </nav>
              <table class="items" onKeyDown={arrowNavigation('tbody tr a, tbody tr button')}>
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Size</th>
                    <th>Modified</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {folder && (
                    <tr>
                      <td colSpan={4}>
                        <button
                          type="button"
                          class="link"
                          onClick={() => setFolder(folder.split('/').slice(0, -1).join('/'))}
                        >
                          ⬑ up
                        </button>
                      </td>
                    </tr>
                  )}
                  {listing.folders.map(([name, n]) => (
                    <tr>
                      <td>
                        <button
                          type="button"
                          class="link folder-link"
                          onClick={() => setFolder(folder ? `${folder}/${name}` : name)}
                        >
                          📁 {name}
                        </button>
                      </td>
                      <td class="meta">{n} files</td>
                      <td />
                      <td />
                    </tr>
                  ))}
                  {listing.here.map((f) => (
                    <tr>
                      <td>{f.path.split('/').pop()}</td>
                      <td>{formatBytes(f.size)}</td>
                      <td>
                        {f.modified ? formatDate(new Date(f.modified * 1000).toISOString()) : ''}
                      </td>
                      <td>
                        {f.present ? (
                          <a href={downloadUrl(backup, domain, f.path)} download>
                            Download
                          </a>
                        ) : (
                          <span class="meta">not in backup</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {listing.folders.length === 0 && listing.here.length === 0 && (
                <Empty>This folder is empty.</Empty>
              )}
            </>
          )}
        </div>
      </div>
    </section>
  );
}
