import type { ComponentChildren } from 'preact';
import type { Problem, RecoveredMark } from '../../src/artifacts/artifact.js';
import type { JobProgress } from './api.js';

export function RecoveredBadge({ mark }: { mark: RecoveredMark | null | undefined }) {
  if (!mark) return null;
  const detail = `Recovered from deleted space (${mark.source}; confidence ${Math.round((mark.confidence ?? 0) * 100)}%${mark.partial ? ', partly overwritten' : ''}${mark.earlierVersion ? ', an earlier version' : ''})`;
  return (
    <span class="badge recovered" title={detail} aria-label={detail}>
      Recovered{mark.partial ? ' (partial)' : ''}
    </span>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="state loading" role="status">
      <span class="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}

/** An error as a person can act on it: what happened (the message says), and what to do. */
export function ErrorState({ message, todo }: { message: string; todo?: string }) {
  return (
    <div class="state error" role="alert">
      <strong>{message}</strong>
      {todo && <p>{todo}</p>}
    </div>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="state empty">{children}</div>;
}

export function ProgressBar({ progress }: { progress: JobProgress | null }) {
  if (!progress) return null;
  const fraction =
    typeof progress.done === 'number' && typeof progress.total === 'number' && progress.total > 0
      ? progress.done / progress.total
      : null;
  return (
    <div class="progress" role="status" aria-live="polite">
      {fraction !== null ? (
        <progress max={1} value={fraction} aria-label="progress" />
      ) : (
        <progress aria-label="working" />
      )}
      <span>
        {progress.message ?? ''}
        {fraction !== null ? ` ${Math.floor(fraction * 100)}%` : ''}
      </span>
    </div>
  );
}

export function Problems({
  problems,
  notInBackup,
}: {
  problems: Problem[];
  notInBackup?: string[];
}) {
  if (!problems.length && !notInBackup?.length) return null;
  return (
    <details class="problems" open={problems.some((p) => p.severity === 'error')}>
      <summary>
        {problems.length
          ? `${problems.length} problem${problems.length > 1 ? 's' : ''}`
          : 'What this backup cannot hold'}
      </summary>
      <ul>
        {problems.map((p) => (
          <li class={p.severity}>
            {p.severity === 'error' ? 'Error: ' : 'Note: '}
            {p.message}
          </li>
        ))}
        {notInBackup?.map((n) => (
          <li class="info">{n}</li>
        ))}
      </ul>
    </details>
  );
}

/** Moves focus between siblings matching `selector` with the arrow keys (and Home/End). */
export function arrowNavigation(selector: string, columns = 1) {
  return (event: KeyboardEvent) => {
    const keys: Record<string, number> = {
      ArrowDown: columns,
      ArrowUp: -columns,
      ArrowRight: columns > 1 ? 1 : 0,
      ArrowLeft: columns > 1 ? -1 : 0,
    };
    const container = event.currentTarget as HTMLElement;
    const items = [...container.querySelectorAll<HTMLElement>(selector)];
    const current = items.indexOf(document.activeElement as HTMLElement);
    if (current < 0) return;
    let next = current;
    if (event.key in keys && keys[event.key] !== 0) next = current + keys[event.key]!;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = items.length - 1;
    else return;
    event.preventDefault();
    items[Math.max(0, Math.min(items.length - 1, next))]?.focus();
  };
}
