// Reading through a stack of layer dirs without mounting them, with the
// kernel's overlay rules: the topmost entry of a name wins; a whiteout ends
// the search for its name; directories of the same name merge until one is
// opaque (or a lower entry is not a directory). Symlinks inside the image are
// resolved inside the image root, never on the host. `dirs` are top first
// and layer numbers are indexes into them.

import fs from 'node:fs';
import path from 'node:path';
import { invalidArgument } from '../errors';
import { readNamesSync } from './dirNames';
import { lstatOrNull } from './layerRoot';
import { isOpaqueDir, isWhiteout } from './overlayFormat';

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
  layer: number;
  stats: fs.Stats;
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

/** The entry at `p` (a final symlink is not followed), or null when the image has none. */
export function unionLookup(dirs: string[], p: string): UnionHit | null {
  const node = resolve(dirs, p, false);
  return node && { layer: node.layer, stats: node.stats, hostPath: node.hostPath };
}

/**
 * The content of the regular file at `p`, following symlinks inside the
 * image; null when the image has no such file. The file opened is checked to
 * be the one resolved, so a container rewriting its upper dir meanwhile
 * cannot make the engine read a host file. With `limit`, at most its first
 * `limit` bytes (a preview of a file of any size).
 */
export function unionReadFile(dirs: string[], p: string, limit?: number): Buffer | null {
  const node = resolve(dirs, p, true);
  if (node === null) return null;
  if (!node.stats.isFile()) throw invalidArgument(`${p} in the image is not a regular file`);
  const fd = fs.openSync(node.hostPath, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  try {
    const expected = path.join(fs.realpathSync(dirs[node.layer]!), path.relative(dirs[node.layer]!, node.hostPath));
    if (!fs.fstatSync(fd).isFile() || fs.readlinkSync(`/proc/self/fd/${fd}`) !== expected) {
      throw invalidArgument(`${p} in the image changed while it was being read`);
    }
    if (limit === undefined) return fs.readFileSync(fd);
    const head = Buffer.alloc(limit);
    let got = 0;
    for (let n = -1; got < limit && n !== 0; got += n) n = fs.readSync(fd, head, got, limit - got, null);
    return head.subarray(0, got);
  } finally {
    fs.closeSync(fd);
  }
}

/** The merged listing of the directory at `dirPath` (symlinks followed inside the image). */
export function unionList(dirs: string[], dirPath: string): UnionListing {
  const node = resolve(dirs, dirPath, true);
  if (node === null) throw invalidArgument(`${dirPath}: no such directory in the image`);
  if (!node.dir) throw invalidArgument(`${dirPath}: not a directory in the image`);
  const { children, deleted } = mergedChildren(dirs, node.dir);
  const entries: UnionEntry[] = [];
  for (const [name, child] of children) {
    entries.push({
      name,
      ...describe(child.stats),
      layer: child.layer,
      hides: [...(child.dir?.opaque?.hides ?? []), ...child.hides],
      merges: child.dir ? child.dir.layers.slice(1) : [],
    });
  }
  return { entries, deleted };
}

/** Where the directory at `dirPath` is inside every layer that has it: its components once symlinks are resolved in the image. */
export function unionDirPath(dirs: string[], dirPath: string): string[] {
  const node = resolve(dirs, dirPath, true);
  if (!node?.dir) throw invalidArgument(`${dirPath}: not a directory in the image`);
  return node.dir.rel;
}

/** The union's root: every layer's root merges (overlay ignores an opaque root). */
export function unionRoot(dirs: string[]): MergedDir {
  return { rel: [], layers: dirs.map((_, i) => i) };
}

/** The visible entry `name` inside a merged directory, or null (absent or whited out). */
export function unionChild(dirs: string[], dir: MergedDir, name: string): UnionNode | null {
  let node: UnionNode | null = null;
  let merging = false; // lower copies of a directory still merge into it
  let shadowing = false; // lower copies that merge no more, below an opaque one
  for (const layer of dir.layers) {
    const hostPath = path.join(dirs[layer]!, ...dir.rel, name);
    const stats = lstatOrNull(hostPath);
    if (stats === null) continue;
    const whiteout = isWhiteout(stats);
    if (node === null) {
      if (whiteout) return null;
      node = { layer, stats, hostPath, hides: [] };
      if (stats.isDirectory()) {
        node.dir = { rel: [...dir.rel, name], layers: [layer] };
        merging = !isOpaqueDir(hostPath);
        if (!merging) node.dir.opaque = { layer, hides: [] };
        shadowing = !merging;
      }
    } else if (merging && stats.isDirectory()) {
      node.dir!.layers.push(layer);
      if (isOpaqueDir(hostPath)) {
        node.dir!.opaque = { layer, hides: [] };
        merging = false;
        shadowing = true;
      }
    } else if (shadowing && stats.isDirectory()) {
      node.dir!.opaque!.hides.push(layer);
      shadowing = !isOpaqueDir(hostPath);
    } else {
      // A whiteout or a non-directory ends any merge; what lies below is hidden.
      merging = shadowing = false;
      if (!whiteout) node.hides.push(layer);
    }
  }
  return node;
}

/**
 * Every visible entry of a merged directory, sorted by name, and the lower
 * entries that whiteouts in it (or its opaque copy) delete.
 */
export function mergedChildren(
  dirs: string[],
  dir: MergedDir,
): { children: Map<string, UnionNode>; deleted: UnionDeletedEntry[] } {
  const children = new Map<string, UnionNode>();
  const deleted: UnionDeletedEntry[] = [];
  for (const name of namesIn(dirs, dir)) {
    const child = unionChild(dirs, dir, name);
    if (child) children.set(name, child);
    else {
      const gone = deletedEntry(dirs, dir, name);
      if (gone) deleted.push(gone);
    }
  }
  if (dir.opaque) {
    const below: MergedDir = { rel: dir.rel, layers: dir.opaque.hides };
    for (const name of namesIn(dirs, below)) {
      const child = unionChild(dirs, below, name);
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

/** What whiteouts of `name` in this directory delete, if anything: the entry below the lowest of them. */
function deletedEntry(dirs: string[], dir: MergedDir, name: string): UnionDeletedEntry | null {
  let deletedBy = -1;
  for (const [i, layer] of dir.layers.entries()) {
    const stats = lstatOrNull(path.join(dirs[layer]!, ...dir.rel, name));
    if (stats === null) continue;
    if (isWhiteout(stats)) {
      deletedBy = layer;
      continue;
    }
    const gone = unionChild(dirs, { rel: dir.rel, layers: dir.layers.slice(i) }, name)!;
    const hides = [...(gone.dir?.opaque?.hides ?? []), ...gone.hides];
    return { name, ...describe(gone.stats), layers: [gone.layer, ...hides], deletedBy };
  }
  return null;
}

/**
 * Walks `p` from the image root. Symlinks met on the way are resolved
 * inside the image ('..' stops at its root); the final one only when asked.
 */
function resolve(dirs: string[], p: string, followFinal: boolean): UnionNode | null {
  if (dirs.length === 0) return null;
  const root = unionRoot(dirs);
  let pending = p.split('/').filter((part) => part !== '' && part !== '.');
  let current: UnionNode = rootNode(dirs, root);
  const parents: UnionNode[] = [];
  let symlinks = 0;
  while (pending.length > 0) {
    const name = pending.shift()!;
    if (name === '..') {
      current = parents.pop() ?? current;
      continue;
    }
    if (!current.dir) return null; // a component that is not a directory
    const child = unionChild(dirs, current.dir, name);
    if (child === null) return null;
    if (child.stats.isSymbolicLink() && (pending.length > 0 || followFinal)) {
      if (++symlinks > MAX_SYMLINKS) throw invalidArgument(`${p}: too many levels of symbolic links in the image`);
      const target = fs.readlinkSync(child.hostPath);
      pending = [...target.split('/').filter((part) => part !== '' && part !== '.'), ...pending];
      if (target.startsWith('/')) {
        current = rootNode(dirs, root);
        parents.length = 0;
      }
      continue;
    }
    parents.push(current);
    current = child;
  }
  return current;
}

function rootNode(dirs: string[], root: MergedDir): UnionNode {
  return { layer: 0, stats: fs.lstatSync(dirs[0]!), hostPath: dirs[0]!, hides: [], dir: root };
}

function describe(stats: fs.Stats): { type: UnionEntry['type']; size: number; mode: number } {
  const type = stats.isFile() ? 'file' : stats.isDirectory() ? 'dir' : stats.isSymbolicLink() ? 'symlink' : 'other';
  return { type, size: stats.size, mode: stats.mode };
}

/** The names in any copy of the directory, in byte order. */
function namesIn(dirs: string[], dir: MergedDir): string[] {
  const names = new Set<string>();
  for (const layer of dir.layers) for (const name of readNamesSync(path.join(dirs[layer]!, ...dir.rel))) names.add(name);
  return [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}
