// Reading through a stack of layer dirs without mounting them, with the
// kernel's overlay rules: the topmost entry of a name wins; a whiteout ends
// the search for its name; directories of the same name merge until one is
// opaque (or a lower entry is not a directory). Symlinks inside the image are
// resolved inside the image root, never on the host. `dirs` are top first
// and layer numbers are indexes into them.
//
// A merged directory is read through its copies held open (HeldMergedDir,
// each copy a HeldDir): a container rewriting its upper dir meanwhile cannot
// swap a directory on the way for a symlink to the host.

import fs from 'node:fs';
import path from 'node:path';
import { invalidArgument } from '../errors';
import { HeldDir, type OpenedFile } from './heldDir';
import { isWhiteout } from './overlayFormat';

/** A directory of the union: the layers whose copies of it merge, top first. */
export interface MergedDir {
  /** Path components from the image root. */
  rel: string[];
  layers: number[];
  /** When an opaque copy ends the merge: its layer, and the lower layers whose copies it hides. */
  opaque?: { layer: number; hides: number[] };
}

/** One name of the union as the topmost layer providing it has it. */
export interface UnionNode {
  name: string;
  layer: number;
  stats: fs.Stats;
  /** Where the entry is on the host, to show. Readers go through the held copies instead. */
  hostPath: string;
  /** Lower layers whose entry of this name is hidden (replaced, not merged). */
  hides: number[];
  /** For a directory: how it merges. */
  dir?: MergedDir;
}

export interface UnionHit {
  layer: number;
  stats: fs.Stats;
  hostPath: string;
}

export interface UnionEntry {
  name: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
  size: number;
  /** st_mode, type bits included. */
  mode: number;
  /** The layer that provides the entry. */
  layer: number;
  /** Lower layers whose entry of this name it hides. */
  hides: number[];
  /** For a directory: the lower layers whose copy merges into it (their content shows through). */
  merges: number[];
  /** A directory whose own (topmost) copy is opaque. */
  opaque: boolean;
  /** For a symlink: its target. */
  linkTarget?: string;
}

/** An entry of a lower layer that an upper one deletes, so a view can show "deleted by layer k". */
export interface UnionDeletedEntry {
  name: string;
  /** What the topmost deleted entry was. */
  type: UnionEntry['type'];
  size: number;
  mode: number;
  /** Layers whose entry of this name is deleted, top first. */
  layers: number[];
  /** The layer whose whiteout, or opaque directory, deletes it. */
  deletedBy: number;
}

export interface UnionListing {
  entries: UnionEntry[];
  deleted: UnionDeletedEntry[];
}

/** Linux gives up after 40 symlinks in one lookup (ELOOP); so does the union. */
const MAX_SYMLINKS = 40;

/** Every layer whose copy of `dir` is read: the merging ones and those an opaque copy hides. */
const copiesOf = (dir: MergedDir) => [...dir.layers, ...(dir.opaque?.hides ?? [])];

/** A merged directory with the copies it reads held open. Close it when done. */
export class HeldMergedDir {
  private constructor(
    readonly dirs: readonly string[],
    readonly dir: MergedDir,
    private readonly copies: Map<number, HeldDir>,
  ) {}

  /** Holds the copies of `dir`, each opened from its layer's root one component at a time. */
  static open(dirs: readonly string[], dir: MergedDir): HeldMergedDir {
    return HeldMergedDir.holding(dirs, dir, (layer) => HeldDir.openBelow(dirs[layer]!, dir.rel));
  }

  static root(dirs: readonly string[]): HeldMergedDir {
    return HeldMergedDir.open(dirs, unionRoot(dirs));
  }

  private static holding(dirs: readonly string[], dir: MergedDir, open: (layer: number) => HeldDir | null): HeldMergedDir {
    const copies = new Map<number, HeldDir>();
    try {
      for (const layer of copiesOf(dir)) {
        const copy = open(layer);
        if (copy) copies.set(layer, copy);
      }
    } catch (err) {
      for (const copy of copies.values()) copy.close();
      throw err;
    }
    return new HeldMergedDir(dirs, dir, copies);
  }

  /** The copy of this directory in `layer`, through which that layer's entries are read. */
  copy(layer: number): HeldDir {
    const copy = this.copies.get(layer);
    if (!copy) throw invalidArgument(`/${this.dir.rel.join('/')} has no copy in layer ${layer}`);
    return copy;
  }

  /** The visible entry `name`, or null (absent or whited out). */
  child(name: string): UnionNode | null {
    return this.childIn(this.dir, name);
  }

  /**
   * Every visible entry, sorted by name, and the lower entries that
   * whiteouts in it (or its opaque copy) delete.
   */
  children(): { children: Map<string, UnionNode>; deleted: UnionDeletedEntry[] } {
    const dir = this.dir;
    const children = new Map<string, UnionNode>();
    const deleted: UnionDeletedEntry[] = [];
    for (const name of this.namesIn(dir.layers)) {
      const child = this.childIn(dir, name);
      if (child) children.set(name, child);
      else {
        const gone = this.deletedEntry(name);
        if (gone) deleted.push(gone);
      }
    }
    if (dir.opaque) {
      const below: MergedDir = { rel: dir.rel, layers: dir.opaque.hides };
      for (const name of this.namesIn(below.layers)) {
        const child = this.childIn(below, name);
        if (child === null) continue;
        const layers = [child.layer, ...(child.dir?.opaque?.hides ?? []), ...child.hides];
        const shown = children.get(name);
        if (shown) shown.hides.push(...layers);
        else deleted.push({ name, ...describe(child.stats), layers, deletedBy: dir.opaque.layer });
      }
      deleted.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
    }
    return { children, deleted };
  }

  /**
   * The directory `node` (a child of this one), held through this one's
   * copies; null when its topmost copy is no longer a directory.
   */
  openChild(node: UnionNode): HeldMergedDir | null {
    if (!node.dir) throw invalidArgument(`/${[...this.dir.rel, node.name].join('/')} is not a directory`);
    const child = HeldMergedDir.holding(this.dirs, node.dir, (layer) => this.copies.get(layer)?.dir(node.name) ?? null);
    if (child.copies.has(node.layer)) return child;
    child.close();
    return null;
  }

  /** Runs `use` on the child `node` held (null when it is not a directory, or no longer one). */
  withChild<T>(node: UnionNode, use: (dir: HeldMergedDir | null) => T): T {
    const child = node.dir ? this.openChild(node) : null;
    try {
      return use(child);
    } finally {
      child?.close();
    }
  }

  close(): void {
    for (const copy of this.copies.values()) copy.close();
  }

  /** The visible entry `name` of `dir` (this directory, or its copies below an opaque one). */
  private childIn(dir: MergedDir, name: string): UnionNode | null {
    let node: UnionNode | null = null;
    let merging = false; // lower copies of a directory still merge into it
    let shadowing = false; // lower copies that merge no more, below an opaque one
    for (const layer of dir.layers) {
      const copy = this.copies.get(layer);
      const stats = copy?.lstat(name) ?? null;
      if (stats === null) continue;
      const whiteout = isWhiteout(stats);
      if (node === null) {
        if (whiteout) return null;
        node = { name, layer, stats, hostPath: path.join(this.dirs[layer]!, ...dir.rel, name), hides: [] };
        if (stats.isDirectory()) {
          node.dir = { rel: [...dir.rel, name], layers: [layer] };
          merging = !copy!.isOpaque(name);
          if (!merging) node.dir.opaque = { layer, hides: [] };
          shadowing = !merging;
        }
      } else if (merging && stats.isDirectory()) {
        node.dir!.layers.push(layer);
        if (copy!.isOpaque(name)) {
          node.dir!.opaque = { layer, hides: [] };
          merging = false;
          shadowing = true;
        }
      } else if (shadowing && stats.isDirectory()) {
        node.dir!.opaque!.hides.push(layer);
        shadowing = !copy!.isOpaque(name);
      } else {
        // A whiteout or a non-directory ends any merge; what lies below is hidden.
        merging = shadowing = false;
        if (!whiteout) node.hides.push(layer);
      }
    }
    return node;
  }

  /** What whiteouts of `name` in this directory delete, if anything: the entry below the lowest of them. */
  private deletedEntry(name: string): UnionDeletedEntry | null {
    const dir = this.dir;
    let deletedBy = -1;
    for (const [i, layer] of dir.layers.entries()) {
      const stats = this.copies.get(layer)?.lstat(name) ?? null;
      if (stats === null) continue;
      if (isWhiteout(stats)) {
        deletedBy = layer;
        continue;
      }
      const gone = this.childIn({ rel: dir.rel, layers: dir.layers.slice(i) }, name);
      if (gone === null) return null; // changed meanwhile
      const hides = [...(gone.dir?.opaque?.hides ?? []), ...gone.hides];
      return { name, ...describe(gone.stats), layers: [gone.layer, ...hides], deletedBy };
    }
    return null;
  }

  /** The names in these layers' copies, in byte order. */
  private namesIn(layers: number[]): string[] {
    const names = new Set<string>();
    for (const layer of layers) for (const name of this.copies.get(layer)?.names() ?? []) names.add(name);
    return [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }
}

/** The union's root: every layer's root merges (overlay ignores an opaque root). */
export function unionRoot(dirs: readonly string[]): MergedDir {
  return { rel: [], layers: dirs.map((_, i) => i) };
}

/** The visible entry `name` inside a merged directory, or null (absent or whited out). */
export function unionChild(dirs: readonly string[], dir: MergedDir, name: string): UnionNode | null {
  return withHeld(HeldMergedDir.open(dirs, dir), (held) => held.child(name));
}

/** Every visible entry of a merged directory, and the lower entries deleted in it (see HeldMergedDir.children). */
export function mergedChildren(
  dirs: readonly string[],
  dir: MergedDir,
): { children: Map<string, UnionNode>; deleted: UnionDeletedEntry[] } {
  return withHeld(HeldMergedDir.open(dirs, dir), (held) => held.children());
}

/** The entry at `p` (a final symlink is not followed), or null when the image has none. */
export function unionLookup(dirs: readonly string[], p: string): UnionHit | null {
  return resolve(dirs, p, false, (node) => ({ layer: node.layer, stats: node.stats, hostPath: node.hostPath }));
}

/**
 * The regular file at `p`, opened for reading (the caller closes it),
 * following symlinks inside the image; null when the image has no such file.
 */
export function unionOpenFile(dirs: readonly string[], p: string): OpenedFile | null {
  return resolve(dirs, p, true, (node, parent) => {
    const file = node.stats.isFile() && parent ? parent.copy(node.layer).openFile(node.name) : null;
    if (file === null) throw invalidArgument(`${p} in the image is not a regular file`);
    return file;
  });
}

/** The content of the regular file at `p` (see unionOpenFile); null when the image has no such file. */
export function unionReadFile(dirs: readonly string[], p: string): Buffer | null {
  const file = unionOpenFile(dirs, p);
  if (file === null) return null;
  try {
    return fs.readFileSync(file.fd);
  } finally {
    fs.closeSync(file.fd);
  }
}

/** The merged directory at `p` (symlinks followed inside the image), or null when none is there. */
export function unionDir(dirs: readonly string[], p: string): MergedDir | null {
  return resolve(dirs, p, true, (node) => node.dir ?? null);
}

/** The merged listing of the directory at `dirPath` (symlinks followed inside the image). */
export function unionList(dirs: readonly string[], dirPath: string): UnionListing {
  return unionWithinDir(dirs, dirPath, listHeld);
}

/** Runs `use` on the directory at `dirPath` (symlinks followed inside the image), held meanwhile. */
export function unionWithinDir<T>(dirs: readonly string[], dirPath: string, use: (dir: HeldMergedDir) => T): T {
  const found = resolve(dirs, dirPath, true, (node, parent, root) => {
    if (!node.dir) throw invalidArgument(`${dirPath}: not a directory in the image`);
    const held = parent ? parent.openChild(node) : root;
    if (held === null) throw invalidArgument(`${dirPath}: not a directory in the image`);
    try {
      return { value: use(held) };
    } finally {
      if (held !== root) held.close();
    }
  });
  if (found === null) throw invalidArgument(`${dirPath}: no such directory in the image`);
  return found.value;
}

/** The merged listing of a held directory: its visible entries and what it deletes, each with its layers. */
export function listHeld(dir: HeldMergedDir): UnionListing {
  const { children, deleted } = dir.children();
  const entries: UnionEntry[] = [];
  for (const [name, child] of children) {
    const described = describe(child.stats);
    const linkTarget = described.type === 'symlink' ? dir.copy(child.layer).readlink(name) : null;
    entries.push({
      name,
      ...described,
      layer: child.layer,
      hides: [...(child.dir?.opaque?.hides ?? []), ...child.hides],
      merges: child.dir ? child.dir.layers.slice(1) : [],
      opaque: child.dir?.opaque?.layer === child.layer,
      ...(linkTarget !== null ? { linkTarget } : {}),
    });
  }
  return { entries, deleted };
}

function withHeld<T>(held: HeldMergedDir, use: (held: HeldMergedDir) => T): T {
  try {
    return use(held);
  } finally {
    held.close();
  }
}

/**
 * Walks `p` from the image root, every directory on the way held, and
 * hands `use` the entry with its parent directory (null for the root
 * itself) and the root. Symlinks met on the way are resolved inside the
 * image ('..' stops at its root); the final one only when asked.
 */
function resolve<T>(
  dirs: readonly string[],
  p: string,
  followFinal: boolean,
  use: (node: UnionNode, parent: HeldMergedDir | null, root: HeldMergedDir) => T,
): T | null {
  if (dirs.length === 0) return null;
  const root = HeldMergedDir.root(dirs);
  const opened: HeldMergedDir[] = [root];
  try {
    const rootNode: UnionNode = { name: '', layer: 0, stats: root.copy(0).stat(), hostPath: dirs[0]!, hides: [], dir: root.dir };
    // The directories from the root down to the current one, and their nodes.
    let held = [root];
    let nodes = [rootNode];
    let pending = components(p);
    let symlinks = 0;
    while (pending.length > 0) {
      const name = pending.shift()!;
      if (name === '..') {
        if (held.length > 1) {
          held = held.slice(0, -1);
          nodes = nodes.slice(0, -1);
        }
        continue;
      }
      const current = held.at(-1)!;
      const child = current.child(name);
      if (child === null) return null;
      if (child.stats.isSymbolicLink() && (pending.length > 0 || followFinal)) {
        if (++symlinks > MAX_SYMLINKS) throw invalidArgument(`${p}: too many levels of symbolic links in the image`);
        const target = current.copy(child.layer).readlink(name);
        if (target === null) return null; // changed meanwhile
        pending = [...components(target), ...pending];
        if (target.startsWith('/')) {
          held = [root];
          nodes = [rootNode];
        }
        continue;
      }
      if (pending.length === 0) return use(child, current, root);
      if (!child.dir) return null; // a component that is not a directory
      const next = current.openChild(child);
      if (next === null) return null;
      opened.push(next);
      held = [...held, next];
      nodes = [...nodes, child];
    }
    return use(nodes.at(-1)!, held.at(-2) ?? null, root);
  } finally {
    for (const dir of opened) dir.close();
  }
}

function components(p: string): string[] {
  return p.split('/').filter((part) => part !== '' && part !== '.');
}

function describe(stats: fs.Stats): { type: UnionEntry['type']; size: number; mode: number } {
  const type = stats.isFile() ? 'file' : stats.isDirectory() ? 'dir' : stats.isSymbolicLink() ? 'symlink' : 'other';
  return { type, size: stats.size, mode: stats.mode };
}
