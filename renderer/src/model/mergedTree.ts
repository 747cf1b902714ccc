// The merged (union) tree as rows for a virtualized list: directories are
// listed lazily, one request per directory a person opens, and the open
// ones are flattened depth first into the rows on screen.

import type { ChangeEntry, LayerRef, TreeEntry } from '../../../engine/api';

export type Listing =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; entries: TreeEntry[] };

export type TreeRow =
  | { kind: 'entry'; key: string; entry: TreeEntry; depth: number; expanded: boolean }
  | { kind: 'status'; key: string; depth: number; text: string };

export interface FlattenOptions {
  /** Show paths a layer deleted (whiteouts); a container does not see them. */
  showDeleted?: boolean;
}

/** Rows of `root`'s listing and of every open directory below it, depth first. */
export function flattenTree(root: string, listings: ReadonlyMap<string, Listing>, expanded: ReadonlySet<string>, options: FlattenOptions = {}): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (dir: string, depth: number) => {
    const listing = listings.get(dir);
    if (!listing || listing.status === 'loading') {
      rows.push({ kind: 'status', key: `${dir}\0status`, depth, text: 'Loading…' });
      return;
    }
    if (listing.status === 'error') {
      rows.push({ kind: 'status', key: `${dir}\0status`, depth, text: listing.message });
      return;
    }
    const entries = options.showDeleted ? listing.entries : listing.entries.filter((e) => !e.deleted);
    if (entries.length === 0 && depth > 0) rows.push({ kind: 'status', key: `${dir}\0status`, depth, text: 'empty directory' });
    for (const entry of entries) {
      const open = entry.type === 'dir' && !entry.deleted && expanded.has(entry.path);
      rows.push({ kind: 'entry', key: entry.path, entry, depth, expanded: open });
      if (open) walk(entry.path, depth + 1);
    }
  };
  walk(root, 0);
  return rows;
}

/** What the writable layer did to a path, as `strata diff` marks it; undefined when it did nothing. */
export function writableMark(entry: TreeEntry): 'A' | 'C' | 'D' | undefined {
  if (entry.layer !== 'rw') return undefined;
  if (entry.deleted) return 'D';
  return entry.hides.length > 0 || entry.mergedWith.length > 0 ? 'C' : 'A';
}

/** Directories that hold a change somewhere below them, so a closed folder can say so. */
export function dirsWithChanges(changes: readonly ChangeEntry[]): Set<string> {
  const dirs = new Set<string>();
  for (const c of changes) {
    let p = c.path;
    for (let slash = p.lastIndexOf('/'); slash > 0; slash = p.lastIndexOf('/')) {
      p = p.slice(0, slash);
      if (dirs.has(p)) break;
      dirs.add(p);
    }
    dirs.add('/');
  }
  return dirs;
}

/** A layer's name in labels: "layer 3", "init layer", "writable layer". */
export function layerName(ref: LayerRef): string {
  return ref === 'rw' ? 'writable layer' : ref === 'init' ? 'init layer (mount points)' : `layer ${ref}`;
}

/** Short form for dense rows: "L3", "INIT", "RW". */
export function layerTag(ref: LayerRef): string {
  return ref === 'rw' ? 'RW' : ref === 'init' ? 'INIT' : `L${ref}`;
}

/** The parent directory of an absolute path ("/" for top-level entries). */
export function parentDir(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}
