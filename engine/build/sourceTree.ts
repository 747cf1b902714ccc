// What COPY and ADD read from: the build context (a directory, filtered by
// .dockerignore) or the root filesystem of an earlier stage or an image
// (its layer dirs read through the union, never mounted). Paths are walked
// from the tree's root; symlinks met on the way are followed inside the
// tree ('..' stops at its root, an absolute target starts again from it),
// as Docker's FollowSymlinkInScope does, so nothing outside is ever read.
// Whether following a symlink would have left the tree is reported, so a
// COPY source that leads out can copy the link itself instead.

import fs from 'node:fs';
import path from 'node:path';
import { invalidArgument } from '../errors';
import { readNamesSync } from '../fs/dirNames';
import { lstatOrNull } from '../fs/layerRoot';
import { mergedChildren, unionChild, unionRoot, type MergedDir } from '../fs/union';
import type { PatternMatcher } from './dockerignore';

export interface SourceNode {
  /** From the tree's root, '/'-separated; '' is the root. */
  rel: string;
  name: string;
  stats: fs.Stats;
  hostPath: string;
  /** Image trees: how the directory merges across layers. */
  merged?: MergedDir;
  /** Context trees: excluded by .dockerignore, yet walked for an exception below it. */
  excluded?: boolean;
}

export interface Lookup {
  node: SourceNode | null;
  /** A symlink on the way pointed outside the tree (absolute, or above its root). */
  escaped: boolean;
}

/** Linux's limit of symlinks in one lookup (ELOOP). */
const maxSymlinks = 40;

export abstract class SourceTree {
  /** Whose tar headers the content hash imitates: the docker CLI's context tar, or the daemon's own. */
  abstract readonly headers: 'context' | 'daemon';
  abstract root(): SourceNode;
  abstract child(dir: SourceNode, name: string): SourceNode | null;
  /** The visible entries of a directory, in byte order (Go's Walk order). */
  abstract children(dir: SourceNode): SourceNode[];
  /** The owner hashes and copies record. */
  abstract owner(node: SourceNode): { uid: number; gid: number };

  /** `rel` walked from the root: a final symlink is followed only when asked. */
  lookup(rel: string, followFinal: boolean): Lookup {
    let pending = splitPath(rel);
    const chain: SourceNode[] = [this.root()]; // the directories walked, root first
    let escaped = false;
    let links = 0;
    while (pending.length > 0) {
      const name = pending.shift()!;
      if (name === '..') {
        if (chain.length > 1) chain.pop();
        continue;
      }
      const current = chain[chain.length - 1];
      if (!current.stats.isDirectory()) return { node: null, escaped };
      const child = this.child(current, name);
      if (child === null) return { node: null, escaped };
      if (child.stats.isSymbolicLink() && (pending.length > 0 || followFinal)) {
        if (++links > maxSymlinks) throw invalidArgument(`${child.rel}: too many levels of symbolic links`);
        const target = fs.readlinkSync(child.hostPath);
        const parts = splitPath(target);
        if (target.startsWith('/')) {
          escaped = true;
          chain.length = 1;
        } else if (climbsOut(chain.length - 1, parts)) escaped = true;
        pending = [...parts, ...pending];
        continue;
      }
      chain.push(child);
    }
    return { node: chain[chain.length - 1], escaped };
  }

  /**
   * Docker's FollowSymlinkInScope: the path `rel` names inside the tree,
   * every symlink on the way (the last one too) followed within it; the part
   * that does not exist yet is kept as written. Components, root first.
   */
  resolvePath(rel: string): string[] {
    let pending = splitPath(rel);
    const chain: SourceNode[] = [this.root()];
    let links = 0;
    while (pending.length > 0) {
      const name = pending.shift()!;
      if (name === '..') {
        if (chain.length > 1) chain.pop();
        continue;
      }
      const current = chain[chain.length - 1];
      const child = current.stats.isDirectory() ? this.child(current, name) : null;
      if (child === null) return lexical([...chain.slice(1).map((n) => n.name), name, ...pending]);
      if (child.stats.isSymbolicLink()) {
        if (++links > maxSymlinks) throw invalidArgument(`${child.rel}: too many levels of symbolic links`);
        const target = fs.readlinkSync(child.hostPath);
        if (target.startsWith('/')) chain.length = 1;
        pending = [...splitPath(target), ...pending];
        continue;
      }
      chain.push(child);
    }
    return chain.slice(1).map((n) => n.name);
  }

  /** Where a symlink leads, within the tree. */
  follow(link: SourceNode): Lookup {
    return this.lookup(link.rel, true);
  }

  /** Every entry below `dir` (not `dir` itself), parents before children. */
  *descendants(dir: SourceNode): Generator<SourceNode> {
    for (const child of this.children(dir)) {
      yield child;
      if (child.stats.isDirectory()) yield* this.descendants(child);
    }
  }
}

function splitPath(p: string): string[] {
  return p.split('/').filter((part) => part !== '' && part !== '.');
}

/** Components with '..' applied by name only (nothing there to follow). */
function lexical(parts: string[]): string[] {
  const out: string[] = [];
  for (const part of parts) {
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out;
}

/** Whether a relative target, read in a directory `depth` levels down, climbs above the root. */
function climbsOut(depth: number, parts: string[]): boolean {
  let d = depth;
  for (const part of parts) {
    d += part === '..' ? -1 : 1;
    if (d < 0) return true;
  }
  return false;
}

const childRel = (dir: SourceNode, name: string) => (dir.rel ? `${dir.rel}/${name}` : name);

/**
 * The build context on disk. A directory context counts every file as
 * root's (the docker CLI sends it so); a context that arrived as a tar keeps
 * the tar's owners. `.dockerignore` hides what it excludes.
 */
export class ContextTree extends SourceTree {
  readonly headers = 'context';
  private readonly rootNode: SourceNode;

  constructor(
    readonly dir: string,
    private readonly ignore: PatternMatcher | null,
    private readonly ownersFromDisk: boolean,
  ) {
    super();
    this.rootNode = { rel: '', name: '', stats: fs.lstatSync(dir), hostPath: dir };
  }

  root(): SourceNode {
    return this.rootNode;
  }

  child(dir: SourceNode, name: string): SourceNode | null {
    const hostPath = path.join(dir.hostPath, name);
    const stats = lstatOrNull(hostPath);
    if (stats === null) return null;
    const rel = childRel(dir, name);
    if (!this.ignore) return { rel, name, stats, hostPath };
    const excluded = this.ignore.matches(rel, !!dir.excluded);
    if (excluded && !(stats.isDirectory() && this.ignore.mustWalk(rel))) return null;
    return { rel, name, stats, hostPath, excluded };
  }

  children(dir: SourceNode): SourceNode[] {
    const out: SourceNode[] = [];
    for (const name of readNamesSync(dir.hostPath)) {
      const child = this.child(dir, name);
      if (child) out.push(child);
    }
    return out;
  }

  owner(node: SourceNode): { uid: number; gid: number } {
    return this.ownersFromDisk ? { uid: node.stats.uid, gid: node.stats.gid } : { uid: 0, gid: 0 };
  }
}

/** An image's root filesystem: its layer dirs, top first, read as overlay would show them. */
export class ImageTree extends SourceTree {
  readonly headers = 'daemon';
  private readonly rootNode: SourceNode;

  constructor(private readonly dirs: string[]) {
    super();
    if (dirs.length === 0) throw new Error('an image tree needs at least one layer dir');
    this.rootNode = { rel: '', name: '', stats: fs.lstatSync(dirs[0]), hostPath: dirs[0], merged: unionRoot(dirs) };
  }

  root(): SourceNode {
    return this.rootNode;
  }

  child(dir: SourceNode, name: string): SourceNode | null {
    if (!dir.merged) return null;
    const node = unionChild(this.dirs, dir.merged, name);
    return node && { rel: childRel(dir, name), name, stats: node.stats, hostPath: node.hostPath, merged: node.dir };
  }

  children(dir: SourceNode): SourceNode[] {
    if (!dir.merged) return [];
    return [...mergedChildren(this.dirs, dir.merged).children].map(([name, node]) => ({
      rel: childRel(dir, name),
      name,
      stats: node.stats,
      hostPath: node.hostPath,
      merged: node.dir,
    }));
  }

  owner(node: SourceNode): { uid: number; gid: number } {
    return { uid: node.stats.uid, gid: node.stats.gid };
  }
}
