// The fixed set of error kinds the engine raises. Callers (the CLI's exit
// codes, the renderer's messages) branch on the kind, never on message text.
// Errors cross the IPC and websocket bridges as {name, message, code} and are
// rethrown on the other side as EngineError with the same kind.

export type ErrorKind =
  | 'NotFound' // unknown image, container, file
  | 'AlreadyExists' // duplicate name or tag target
  | 'InvalidArgument' // malformed reference, flag, tar...
  | 'Conflict' // the state forbids it (start a paused container, rm a running one)
  | 'Unavailable' // the machine cannot do it (no overlay upper dir support, no freezer), or a registry cannot be reached
  | 'Unauthorized' // a registry refused the credentials (or asked for some)
  | 'CannotExecute' // the container's command exists but cannot be executed (exit 126)
  | 'CommandNotFound' // the container's command is not in the image (exit 127)
  | 'Internal'; // a bug or an unexpected system error

export interface ErrorPayload {
  name: 'EngineError';
  message: string;
  code: ErrorKind;
}

export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: ErrorKind,
    message: string,
  ) {
    super(oneLine(message));
  }

  toPayload(): ErrorPayload {
    return { name: 'EngineError', message: this.message, code: this.code };
  }

  static fromPayload(p: ErrorPayload): EngineError {
    return new EngineError(p.code, p.message);
  }
}

/**
 * Errors quote what they were given (names, paths, commands): its control
 * characters are written as escapes, so an error stays one line and cannot
 * move a terminal's cursor or change its colours. The CLI's own refusals too.
 */
export function oneLine(message: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r' };
  return message.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, (c) => named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export const notFound = (message: string) => new EngineError('NotFound', message);
export const alreadyExists = (message: string) => new EngineError('AlreadyExists', message);
export const invalidArgument = (message: string) => new EngineError('InvalidArgument', message);
export const conflict = (message: string) => new EngineError('Conflict', message);
export const unavailable = (message: string) => new EngineError('Unavailable', message);
export const unauthorized = (message: string) => new EngineError('Unauthorized', message);

/** Any thrown value as an EngineError (system errors become Internal). */
export function asEngineError(err: unknown): EngineError {
  if (err instanceof EngineError) return err;
  if (err instanceof Error) return new EngineError('Internal', err.message);
  return new EngineError('Internal', String(err));
}

/** Docker's CLI exit codes: 125 for the engine, 126/127 for the command. */
export function exitCodeFor(err: unknown): number {
  const kind = err instanceof EngineError ? err.code : 'Internal';
  if (kind === 'CannotExecute') return 126;
  if (kind === 'CommandNotFound') return 127;
  return 125;
}
