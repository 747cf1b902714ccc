// Errors as Docker's API answers them: a status code and {"message": ...}.
// Engine errors keep their kind across (moby's errdefs → httpstatus table);
// what only the HTTP side can say (a bad query value, a feature Strata does
// not have) is an ApiError with its status.

import { EngineError, type ErrorKind } from '../errors';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new ApiError(400, message);
export const notFoundError = (message: string) => new ApiError(404, message);
/** A feature Docker has and Strata does not: 501, as moby's errdefs.NotImplemented. */
export const notImplemented = (message: string) => new ApiError(501, message);

const statusOfKind: Record<ErrorKind, number> = {
  NotFound: 404,
  AlreadyExists: 409,
  InvalidArgument: 400,
  Conflict: 409,
  Unavailable: 503,
  Unauthorized: 401,
  // A process that cannot start: dockerd answers 400 and the CLI reads the exit code from the words.
  CannotExecute: 400,
  CommandNotFound: 400,
  Internal: 500,
};

export function statusOf(err: unknown): number {
  if (err instanceof ApiError) return err.status;
  if (err instanceof EngineError) return statusOfKind[err.code] ?? 500;
  if (typeof err === 'object' && err !== null && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    return statusOfKind[(err as { code: ErrorKind }).code] ?? 500;
  }
  return 500;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : typeof err === 'object' && err !== null && 'message' in err ? String((err as { message: unknown }).message) : String(err);
}
