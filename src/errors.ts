/** Exit codes the CLI uses; scripts can rely on them. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  badInput: 3,
  wrongPassword: 4,
  notFound: 5,
  partial: 6,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error meant for the user: one clear line, and the exit code the CLI ends with. */
export class ReclaimError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue = ExitCode.failure,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ReclaimError';
  }
}

export class WrongPasswordError extends ReclaimError {
  constructor(message = 'Wrong password: it does not unlock this backup.') {
    super(message, ExitCode.wrongPassword);
    this.name = 'WrongPasswordError';
  }
}

export class CorruptInputError extends ReclaimError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.badInput, options);
    this.name = 'CorruptInputError';
  }
}

/** A password search refused because it would take longer than it is worth running (see --force). */
export class SearchTooLongError extends ReclaimError {
  constructor(
    message: string,
    /** Seconds the search would take on this computer, and its guesses per second. */
    readonly eta: number,
    readonly rate: number,
  ) {
    super(message, ExitCode.usage);
    this.name = 'SearchTooLongError';
  }
}
