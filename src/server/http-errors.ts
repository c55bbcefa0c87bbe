import type { Context, MiddlewareHandler } from 'hono';
import { ExitCode, ReclaimError, WrongPasswordError } from '../errors.js';
import type { ErrorBody } from './api-types.js';

type ErrorStatus = 400 | 403 | 404 | 413 | 500;

/** A request body over the limit (answered 413, never read whole). */
export class TooLargeError extends ReclaimError {
  constructor(message: string) {
    super(message, ExitCode.usage);
  }
}

/** Messages may quote what was sent (a path): never echo more than this much of it. */
const MAX_MESSAGE = 600;
const short = (text: string) =>
  text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}… (shortened)` : text;

const STATUS_OF_EXIT_CODE: Partial<Record<number, ErrorStatus>> = {
  [ExitCode.notFound]: 404,
  [ExitCode.usage]: 400,
  [ExitCode.badInput]: 400,
};

/** The HTTP status and JSON body an error is answered with (also a failed job's `error` event). */
export function errorBody(error: unknown): { status: ErrorStatus; body: ErrorBody } {
  const { status, body } = fullErrorBody(error);
  return { status, body: { ...body, error: short(body.error) } };
}

function fullErrorBody(error: unknown): { status: ErrorStatus; body: ErrorBody } {
  if (error instanceof TooLargeError)
    return { status: 413, body: { error: error.message, code: 'failed' } };
  if (error instanceof WrongPasswordError)
    return { status: 403, body: { error: error.message, code: 'wrong-password' } };
  if (error instanceof ReclaimError) {
    const status = STATUS_OF_EXIT_CODE[error.exitCode] ?? 500;
    return {
      status,
      body: { error: error.message, code: status === 404 ? 'not-found' : 'failed' },
    };
  }
  return {
    status: 500,
    body: { error: (error as Error)?.message ?? String(error), code: 'failed' },
  };
}

export const describeError = (error: unknown): ErrorBody => errorBody(error).body;

/** The one place a route's error becomes an answer (mounted with `app.onError`). */
export function answerError(error: unknown, c: Context): Response {
  const { status, body } = errorBody(error);
  return c.json(body, status);
}

/** Hono hands only Error objects to onError: anything else a route throws is made one first. */
export const onlyErrors: MiddlewareHandler = async (_c, next) => {
  try {
    await next();
  } catch (error) {
    throw error instanceof Error ? error : new Error(errorBody(error).body.error);
  }
};
