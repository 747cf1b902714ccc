// Quiet states of a panel: loading, empty, and an engine error in its own words.

import type { ReactNode } from 'react';
import type { EngineError } from '../../../engine/errors';

export function Loading({ what }: { what: string }) {
  return (
    <p className="note note-loading" role="status">
      <span className="spinner" aria-hidden="true" /> Reading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="note note-empty">{children}</div>;
}

export function ErrorNote({ error, what }: { error: EngineError | Error; what?: string }) {
  return (
    <p className="note note-error" role="alert">
      <span aria-hidden="true">⚠ </span>
      {what ? `Could not read ${what}: ` : ''}
      {error.message}
    </p>
  );
}
