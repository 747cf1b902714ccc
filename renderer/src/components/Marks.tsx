// Marks that never rely on colour alone: every change, file type and state
// has its own glyph and word, and colour only repeats what they say.

import type { ContainerState, LayerFile } from '../../../engine/api';

type ChangeKind = 'A' | 'M' | 'C' | 'D';

const changeWords: Record<ChangeKind, { glyph: string; word: string; cls: string }> = {
  A: { glyph: '+', word: 'Added', cls: 'add' },
  M: { glyph: '~', word: 'Modified', cls: 'mod' },
  C: { glyph: '~', word: 'Changed', cls: 'mod' },
  D: { glyph: '−', word: 'Deleted', cls: 'del' },
};

export function ChangeMark({ kind }: { kind: ChangeKind }) {
  const w = changeWords[kind];
  return (
    <span className={`mark mark-${w.cls}`} title={w.word}>
      <span aria-hidden="true" className="mark-glyph">
        {w.glyph}
      </span>
      <span className="mark-letter" aria-hidden="true">
        {kind}
      </span>
      <span className="sr-only">{w.word}</span>
    </span>
  );
}

export type FileKind = LayerFile['type'];

const typeWords: Record<FileKind, string> = {
  file: 'file',
  dir: 'directory',
  symlink: 'symbolic link',
  other: 'special file',
  whiteout: 'whiteout (deletes the path below)',
  opaque: 'opaque directory (hides everything below)',
};

/** A small drawn icon per file type, with its word for screen readers and on hover. */
export function FileIcon({ type, open }: { type: FileKind; open?: boolean }) {
  return (
    <span className={`ficon ficon-${type}`} title={typeWords[type]}>
      <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
        {type === 'dir' &&
          (open ? (
            <path d="M1.5 4.5h5l1.5 1.5h6.5v1.5H4.5L2 13.5h-.5z M4.5 7.5h11l-2.5 6H2z" />
          ) : (
            <path d="M1.5 3.5h5l1.5 1.5h6.5v8.5h-13z" />
          ))}
        {type === 'file' && <path d="M3.5 1.5h6l3 3v10h-9z M9.5 1.5v3h3" />}
        {type === 'symlink' && <path d="M3.5 1.5h6l3 3v10h-9z M5.5 11.5c0-3 2-4 5-4 M8.5 5.5l2 2-2 2" />}
        {type === 'other' && <path d="M8 2l6 6-6 6-6-6z" />}
        {type === 'whiteout' && <path d="M8 2.5a5.5 5.5 0 1 0 .01 0z M4.2 11.8l7.6-7.6" />}
        {type === 'opaque' && <path d="M2.5 2.5h11v11h-11z M2.5 13.5l11-11 M2.5 8l5.5-5.5 M8 13.5l5.5-5.5" />}
      </svg>
      <span className="sr-only">{typeWords[type]}</span>
    </span>
  );
}

const stateGlyph: Record<ContainerState, string> = {
  created: '○',
  running: '▶',
  paused: '❚❚',
  restarting: '↻',
  removing: '…',
  exited: '■',
  dead: '✕',
};

/** Docker's word for the state, with a glyph of its own. */
export function StateBadge({ state, testId }: { state: ContainerState; testId?: string }) {
  return (
    <span className={`state state-${state}`}>
      <span className="state-glyph" aria-hidden="true">
        {stateGlyph[state]}
      </span>
      <span data-testid={testId}>{state}</span>
    </span>
  );
}
