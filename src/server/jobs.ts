import { randomBytes } from 'node:crypto';
import type { ErrorBody, JobProgress } from './api-types.js';

/** One event of a long piece of work, as sent to the page over server-sent events. */
export type JobEvent =
  | { type: 'progress'; data: JobProgress }
  | { type: 'done'; data: object }
  | { type: 'error'; data: ErrorBody };

export type Listener = (event: JobEvent) => void;

/**
 * Long work (unlock, scan, save, password recovery): events are kept, so a page that subscribes late
 * still sees everything, and the last one says how it ended.
 */
export class Job {
  readonly id = randomBytes(9).toString('base64url');
  readonly events: JobEvent[] = [];
  private readonly listeners = new Set<Listener>();
  readonly abort = new AbortController();
  finished = false;

  constructor(readonly kind: string) {}

  emit(event: JobEvent): void {
    if (this.finished) return;
    if (event.type !== 'progress') this.finished = true;
    // Keep the history short: progress events replace one another.
    const last = this.events[this.events.length - 1];
    if (
      event.type === 'progress' &&
      last?.type === 'progress' &&
      last.data['stage'] === event.data['stage']
    )
      this.events.pop();
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
  }

  progress(data: JobProgress): void {
    this.emit({ type: 'progress', data });
  }

  subscribe(listener: Listener): () => void {
    for (const event of this.events) listener(event);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export class Jobs {
  private readonly jobs = new Map<string, Job>();

  /** Starts `work` in the background; its outcome becomes the job's last event. */
  start(
    kind: string,
    work: (job: Job) => Promise<object>,
    describeError: (error: unknown) => ErrorBody,
  ): Job {
    const job = new Job(kind);
    this.jobs.set(job.id, job);
    // Drop old finished jobs so a long session does not grow without end.
    if (this.jobs.size > 200) {
      for (const [id, old] of this.jobs)
        if (old.finished) {
          this.jobs.delete(id);
          if (this.jobs.size <= 100) break;
        }
    }
    void (async () => {
      try {
        job.emit({ type: 'done', data: await work(job) });
      } catch (error) {
        job.emit({ type: 'error', data: describeError(error) });
      }
    })();
    return job;
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  cancelAll(): void {
    for (const job of this.jobs.values()) job.abort.abort();
  }
}
