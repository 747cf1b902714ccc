// The merged view as a container sees it: a lazy tree (one listing per
// directory opened) in a virtualized list, each path labelled with the
// layer it comes from and the layers it hides or merges with. Paths a layer
// deleted are shown struck through with the whiteout that deleted them.

import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { LayerRef, TreeEntry } from '../../../engine/api';
import { flattenTree, layerName, layerTag, parentDir, writableMark, type Listing, type TreeRow } from '../model/mergedTree';
import { size } from '../model/format';
import { ChangeMark, FileIcon } from './Marks';
import { VirtualList } from './VirtualList';

export interface MergedTreeProps {
  /** Lists one directory of the union. */
  load(path: string): Promise<TreeEntry[]>;
  /** Changes whenever the union may have changed: open directories are listed again. */
  version?: string;
  label: string;
  /** Directories with writable-layer changes below them (container view). */
  changedDirs?: ReadonlySet<string>;
  /** The layer a person picked in the stack: its entries stand out. */
  focusLayer?: LayerRef | null;
  height?: number;
  testId?: string;
  /** A file (or a deleted path) was opened: its details show beside the tree. */
  onOpen?(entry: TreeEntry): void;
  /** The path whose details show, marked in the tree. */
  opened?: string | null;
}

const rowHeight = 34;

const chipClass = (ref: LayerRef) => (ref === 'rw' ? 'chip-rw' : ref === 'init' ? 'chip-init' : 'chip-ro');

export function MergedTree({ load, version, label, changedDirs, focusLayer, height, testId, onOpen, opened }: MergedTreeProps) {
  const [listings, setListings] = useState<Map<string, Listing>>(() => new Map());
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());
  const [active, setActive] = useState(0);
  const [showDeleted, setShowDeleted] = useState(true);
  const loadRef = useRef(load);
  loadRef.current = load;

  const list = useCallback((path: string, quiet = false) => {
    if (!quiet) setListings((m) => new Map(m).set(path, { status: 'loading' }));
    loadRef.current(path).then(
      (entries) => setListings((m) => new Map(m).set(path, { status: 'ready', entries })),
      (err: Error) => setListings((m) => new Map(m).set(path, { status: 'error', message: err.message })),
    );
  }, []);

  useEffect(() => list('/'), [list]);

  // Re-list every directory on screen when the union changed (a container wrote), keeping the old rows meanwhile.
  const firstVersion = useRef(version);
  useEffect(() => {
    if (version === firstVersion.current) return;
    firstVersion.current = version;
    list('/', true);
    for (const p of expanded) list(p, true);
    // Only a new version re-lists; opening a directory lists it on its own.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version]);

  const rows = useMemo(() => flattenTree('/', listings, expanded, { showDeleted }), [listings, expanded, showDeleted]);

  // Stable across renders, so rows that stay on screen while scrolling are not drawn again.
  const state = useRef({ expanded, listings });
  state.current = { expanded, listings };
  const onOpenRef = useRef(onOpen);
  onOpenRef.current = onOpen;
  const toggle = useCallback(
    (entry: TreeEntry, open?: boolean) => {
      if (entry.type !== 'dir' || entry.deleted) {
        // Not a folder to unfold: what a click means is "tell me about this path".
        if (open === undefined) onOpenRef.current?.(entry);
        return;
      }
      const isOpen = state.current.expanded.has(entry.path);
      const want = open ?? !isOpen;
      if (want === isOpen) return;
      setExpanded((s) => {
        const next = new Set(s);
        if (want) next.add(entry.path);
        else next.delete(entry.path);
        return next;
      });
      if (want && !state.current.listings.has(entry.path)) list(entry.path);
    },
    [list],
  );

  const onRowKey = (index: number, e: KeyboardEvent) => {
    const row = rows[index];
    if (!row || row.kind !== 'entry') return;
    if (e.key === 'ArrowRight') {
      e.preventDefault();
      if (row.entry.type === 'dir' && !row.expanded) toggle(row.entry, true);
      else if (row.expanded) setActive(index + 1);
    } else if (e.key === 'ArrowLeft') {
      e.preventDefault();
      if (row.expanded) toggle(row.entry, false);
      else {
        const parent = parentDir(row.entry.path);
        const at = rows.findIndex((r) => r.kind === 'entry' && r.entry.path === parent);
        if (at >= 0) setActive(at);
      }
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      toggle(row.entry);
    }
  };

  return (
    <div className="merged">
      <div className="merged-bar">
        <label className="check">
          <input type="checkbox" checked={showDeleted} onChange={(e) => setShowDeleted(e.target.checked)} />
          Show deleted paths (whiteouts)
        </label>
        {onOpen && <span className="merged-hint">Click a file: its layer, host path and content.</span>}
        <span className="merged-legend" aria-hidden="true">
          <span className="chip chip-ro">L0</span> image layer, from the bottom
          {changedDirs && (
            <>
              {' '}
              · <span className="chip chip-init">INIT</span> mount points · <span className="chip chip-rw">RW</span> writable layer
            </>
          )}
        </span>
      </div>
      <VirtualList
        count={rows.length}
        rowHeight={rowHeight}
        role="tree"
        label={label}
        active={active}
        onActiveChange={setActive}
        onRowKey={onRowKey}
        height={height}
        className="tree"
        testId={testId}
        renderRow={(i, p) => (
          <Row
            key={rows[i].key}
            row={rows[i]}
            index={i}
            id={p.id}
            active={p.active}
            onToggle={toggle}
            onPick={setActive}
            changedDirs={changedDirs}
            focusLayer={focusLayer}
            isOpened={rows[i].kind === 'entry' && (rows[i] as { entry: TreeEntry }).entry.path === opened}
          />
        )}
      />
    </div>
  );
}

const Row = memo(function Row({ row, index, id, active, onToggle, onPick, changedDirs, focusLayer, isOpened }: {
  row: TreeRow;
  index: number;
  id: string;
  active: boolean;
  isOpened?: boolean;
  onToggle(e: TreeEntry): void;
  onPick(index: number): void;
  changedDirs?: ReadonlySet<string>;
  focusLayer?: LayerRef | null;
}) {
  const indent = { paddingLeft: 12 + row.depth * 22 };
  if (row.kind === 'status') {
    return (
      <div id={id} className="trow trow-status" style={{ ...indent, height: rowHeight }} role="treeitem" aria-level={row.depth + 1}>
        {row.text}
      </div>
    );
  }
  const e = row.entry;
  const mark = writableMark(e);
  const isDir = e.type === 'dir' && !e.deleted;
  const focus = focusLayer !== undefined && focusLayer !== null && e.layer === focusLayer;
  return (
    <div
      id={id}
      role="treeitem"
      aria-level={row.depth + 1}
      aria-expanded={isDir ? row.expanded : undefined}
      aria-selected={active}
      className={`trow ${active ? 'is-active' : ''} ${isOpened ? 'is-opened' : ''} ${e.deleted ? 'is-deleted' : ''} ${e.layer === 'rw' ? 'is-rw' : ''} ${focus ? 'is-focus' : ''}`}
      style={{ height: rowHeight }}
      onClick={() => {
        onPick(index);
        onToggle(e);
      }}
      data-path={e.path}
    >
      <span className="trow-name" style={indent}>
        <span className="disclosure" aria-hidden="true">
          {isDir ? (row.expanded ? '▾' : '▸') : ''}
        </span>
        <FileIcon type={e.deleted ? 'whiteout' : e.opaque ? 'opaque' : e.type} open={row.expanded} />
        <span className="fname">{e.name}</span>
        {e.linkTarget !== undefined && <span className="ftarget">→ {e.linkTarget}</span>}
        {isDir && !row.expanded && changedDirs?.has(e.path) && <span className="changed-inside">• changed inside</span>}
      </span>
      <span className="trow-mark">{mark && <ChangeMark kind={mark} />}</span>
      <span className="trow-size">{e.type === 'file' ? size(e.size) : ''}</span>
      <span className="trow-prov">
        {e.deleted ? (
          <>
            <span className={`chip ${chipClass(e.layer)}`} title={`deleted by ${layerName(e.layer)}`}>
              {layerTag(e.layer)}
            </span>
            <span className="prov-note">deleted{e.hides.length ? `: hides ${e.hides.map(layerTag).join(', ')}` : ''}</span>
          </>
        ) : (
          <>
            <span className={`chip ${chipClass(e.layer)}`} title={`from ${layerName(e.layer)}`}>
              {layerTag(e.layer)}
            </span>
            {e.hides.length > 0 && <span className="prov-note">hides {e.hides.map(layerTag).join(', ')}</span>}
            {e.mergedWith.length > 0 && <span className="prov-note prov-merge">+ {e.mergedWith.map(layerTag).join(', ')}</span>}
          </>
        )}
      </span>
    </div>
  );
});
