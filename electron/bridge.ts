// What electron/preload.ts puts on the renderer's `window.strata`, and the
// IPC channels behind it. Types and names only: the sandboxed preload may
// require nothing but 'electron', and the renderer imports this file's types.
//
// Requests are one invoke on 'strata:call' that resolves to the result or the
// error's payload (an Error thrown across IPC would lose its code). Streams
// share one set of channels keyed by an id the renderer picks; main sends
// each stream's messages and its end on 'strata:stream', shaped as the
// websocket's (engine/host/wire.ts), so the renderer's one client serves both.

import type { ErrorPayload } from '../engine/errors';
import type { StreamMessage } from '../engine/host/wire';

export const channels = {
  call: 'strata:call',
  open: 'strata:open',
  send: 'strata:send',
  close: 'strata:close',
  stream: 'strata:stream',
  save: 'strata:save',
} as const;

export type CallOutcome = { result: unknown } | { error: ErrorPayload };

/** Where a saved stream went: a file the user picked (Electron), or the browser's downloads. */
export type SaveOutcome = { kind: 'saved'; path: string } | { kind: 'cancelled' } | { kind: 'download' };

export interface StrataBridge {
  call(name: string, arg: unknown): Promise<CallOutcome>;
  open(id: number, name: string, arg: unknown): void;
  send(id: number, input: unknown): void;
  close(id: number): void;
  /** The one listener for every stream's messages (a later call replaces it). */
  onStream(listener: (message: StreamMessage) => void): void;
  /** Asks for a file with the native save dialog and writes the stream's bytes there. */
  save(name: string, arg: unknown, suggestedName: string): Promise<{ outcome: SaveOutcome } | { error: ErrorPayload }>;
}
