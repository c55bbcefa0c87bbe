import type { ErrorBody, JobProgress, JobStarted } from '../../src/server/api-types.js';

export type { JobProgress };

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: ErrorBody['code'] | 'connection',
  ) {
    super(message);
  }
}

export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<T> {
  const response = await fetch(path, {
    method: init.method ?? (init.body !== undefined ? 'POST' : 'GET'),
    headers: init.body !== undefined ? { 'Content-Type': 'application/json' } : undefined,
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    credentials: 'same-origin',
  });
  const text = await response.text();
  let value: unknown = null;
  try {
    value = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  if (!response.ok) {
    const error = (value ?? {}) as Partial<ErrorBody>;
    throw new ApiError(
      error.error ?? (text || `${response.status} ${response.statusText}`),
      response.status,
      error.code ?? 'failed',
    );
  }
  return value as T;
}

/** Starts a job (POST) and follows its server-sent events until it ends. */
export async function runJob<T>(
  path: string,
  body: unknown,
  onProgress: (p: JobProgress) => void,
  onStarted?: (jobId: string) => void,
): Promise<T> {
  const { job } = await api<JobStarted>(path, { body });
  onStarted?.(job);
  return new Promise<T>((resolve, reject) => {
    const source = new EventSource(`/api/jobs/${job}/events`);
    source.addEventListener('progress', (e) => onProgress(JSON.parse((e as MessageEvent).data)));
    source.addEventListener('done', (e) => {
      source.close();
      resolve(JSON.parse((e as MessageEvent).data));
    });
    source.addEventListener('error', (e) => {
      source.close();
      const data = (e as MessageEvent).data;
      if (data) {
        const parsed = JSON.parse(data) as Partial<ErrorBody>;
        reject(new ApiError(parsed.error ?? 'Failed', 0, parsed.code ?? 'failed'));
      } else
        reject(
          new ApiError('Lost the connection to reclaim (is it still running?).', 0, 'connection'),
        );
    });
  });
}

export const cancelJob = (id: string) => api(`/api/jobs/${id}/cancel`, { method: 'POST' });
