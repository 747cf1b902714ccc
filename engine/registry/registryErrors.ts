// What a registry says when it refuses: the distribution spec's error body
// ({"errors": [{"code": "MANIFEST_UNKNOWN", "message": "...", "detail": ...}]})
// worded as Docker's errcode package words it ("manifest unknown: manifest
// unknown"), and the kind of failure it is for the engine.

import { EngineError, type ErrorKind } from '../errors';

export interface RegistryErrorEntry {
  code: string;
  message: string;
}

/** A registry answered with an error status; `entries` are the errors its body listed. */
export class RegistryError extends EngineError {
  constructor(
    kind: ErrorKind,
    message: string,
    readonly status: number,
    readonly entries: RegistryErrorEntry[],
    /** The registry's words alone, without the request they answered ("manifest unknown: manifest unknown"). */
    readonly text: string,
  ) {
    super(kind, message);
  }

  /** The first error's code (MANIFEST_UNKNOWN, NAME_UNKNOWN, DENIED, UNAUTHORIZED, ...), or ''. */
  get registryCode(): string {
    return this.entries[0]?.code ?? '';
  }
}

const statusText: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  416: 'Requested Range Not Satisfiable',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export function statusLine(status: number): string {
  return `${status} ${statusText[status] ?? 'Status'}`;
}

/** errcode's text for a code: MANIFEST_UNKNOWN → "manifest unknown". */
function codeWords(code: string): string {
  return code.toLowerCase().replace(/_/g, ' ');
}

export function parseErrorBody(text: string): RegistryErrorEntry[] {
  try {
    const body = JSON.parse(text) as { errors?: Array<{ code?: unknown; message?: unknown }>; details?: unknown };
    if (!Array.isArray(body?.errors)) return [];
    return body.errors
      .filter((e) => typeof e?.code === 'string')
      .map((e) => ({ code: String(e.code), message: typeof e.message === 'string' ? e.message : '' }));
  } catch {
    return [];
  }
}

/** The engine error for an error answer; `context` (e.g. `Head "https://…"`) prefixes texts that do not stand alone. */
export function registryError(status: number, bodyText: string, context: string): RegistryError {
  const entries = parseErrorBody(bodyText);
  const kind: ErrorKind =
    status === 401 || status === 403 ? 'Unauthorized' : status === 404 ? 'NotFound' : status >= 500 || status === 429 ? 'Unavailable' : 'InvalidArgument';
  let text: string;
  if (entries.length === 1) text = `${codeWords(entries[0]!.code)}: ${entries[0]!.message || codeWords(entries[0]!.code)}`;
  else if (entries.length > 1) text = `errors:\n${entries.map((e) => `${codeWords(e.code)}: ${e.message}`).join('\n')}`;
  else text = `unexpected status: ${statusLine(status)}${bodyText.trim() && !bodyText.trimStart().startsWith('<') ? `: ${bodyText.trim().slice(0, 200)}` : ''}`;
  return new RegistryError(kind, context ? `${context}: ${text}` : text, status, entries, text);
}
