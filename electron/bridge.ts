// What electron/preload.ts puts on the renderer's `window.strata`, and the
// IPC channels behind it. Types and names only: the sandboxed preload may
// require nothing but 'electron', and the renderer imports this file's types.
//
// The renderer speaks the engine's wire protocol (engine/host/wire.ts, JSON
// text) to the main process, which relays each message, unread, to the
// engine's socket and each answer back: the main process holds the link to
// the engine (its socket and token), the page never does. Saving a file is
// the one thing main does itself: it asks where with the native dialog and
// writes the stream's bytes there, as the desktop user.

import type { ErrorPayload } from '../engine/errors';

export const channels = {
  post: 'strata:post',
  message: 'strata:message',
  status: 'strata:status',
  save: 'strata:save',
} as const;

/** 'open': messages flow. 'lost': the engine went away. */
export type LinkStatus = 'open' | 'lost';

/** Where a saved stream went: a file the user picked (Electron), or the browser's downloads. */
export type SaveOutcome = { kind: 'saved'; path: string } | { kind: 'cancelled' } | { kind: 'download' };

export interface StrataBridge {
  /** One wire message (JSON text) for the engine. */
  post(text: string): void;
  /** The one listener for the engine's wire messages (a later call replaces it). */
  onMessage(listener: (text: string) => void): void;
  /** The one listener for the link's status. */
  onStatus(listener: (status: LinkStatus) => void): void;
  /** Asks for a file with the native save dialog and writes the stream's bytes there. */
  save(name: string, arg: unknown, suggestedName: string): Promise<{ outcome: SaveOutcome } | { error: ErrorPayload }>;
}
