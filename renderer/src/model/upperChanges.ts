// The writable layer's changes as they arrive (container.upperChanges), for
// the live drawing: the newest few, each placed against the image layer
// whose copy it hides, and a tally since the drawing opened.

import type { StackEntry, UpperChange } from '../../../engine/api';

export interface LiveWrite {
  key: number;
  action: Exclude<UpperChange['action'], 'unwatched'>;
  path: string;
  kind: UpperChange['kind'];
  time: number;
  /** Chain id of the image layer whose copy is now hidden (copy-up, whiteout, opaque). */
  hides?: string;
}

export interface LiveWrites {
  writes: LiveWrite[];
  tally: Record<LiveWrite['action'], number>;
  /** Paths below which changes are no longer reported, and why. */
  unwatched: { path: string; reason: string }[];
  next: number;
}

export const emptyWrites = (): LiveWrites => ({
  writes: [],
  tally: { added: 0, 'copied-up': 0, modified: 0, whiteout: 0, opaque: 0, removed: 0 },
  unwatched: [],
  next: 0,
});

/** The layer index of a chain id in the stack (the engine names hidden copies by chain id). */
export function layerOfChain(entries: readonly StackEntry[], chainId: string | undefined): number | undefined {
  if (!chainId) return undefined;
  const e = entries.find((x) => x.chainId === chainId || x.chainId?.replace(/^sha256:/, '') === chainId.replace(/^sha256:/, ''));
  return e?.layerIndex ?? undefined;
}

export function addChange(state: LiveWrites, change: UpperChange, keep = 10): LiveWrites {
  if (change.action === 'unwatched') return { ...state, unwatched: [...state.unwatched, { path: change.path, reason: change.reason }] };
  const write: LiveWrite = {
    key: state.next,
    action: change.action,
    path: change.path,
    kind: change.kind,
    time: change.time,
    hides: change.hides,
  };
  return {
    writes: [write, ...state.writes].slice(0, keep),
    tally: { ...state.tally, [change.action]: state.tally[change.action] + 1 },
    unwatched: state.unwatched,
    next: state.next + 1,
  };
}

/** What each change did, in words a learner reads beside the drawing. */
export const actionWords: Record<LiveWrite['action'], string> = {
  added: 'new: only in the writable layer',
  'copied-up': 'copied up: the image’s copy is now hidden',
  modified: 'written again in the writable layer',
  whiteout: 'deleted: a whiteout hides the image’s copy',
  opaque: 'replaced: an opaque directory hides everything below',
  removed: 'removed from the writable layer',
};

export const actionGlyph: Record<LiveWrite['action'], string> = {
  added: 'A',
  'copied-up': 'C↑',
  modified: 'M',
  whiteout: 'W',
  opaque: 'O',
  removed: '−',
};
