// Wasted bytes: files a layer carries that no container can see, because a
// later layer overwrites them, deletes them (a whiteout), hides them below an
// opaque directory, or puts a non-directory where their directory was. They
// still travel with the image (save, push) and take disk space.
//
// Layers are walked top down, keeping what the layers above have put over
// each path: a file is hidden when an upper layer has an entry at its path,
// or blocks one of its parent directories. Its bytes are wasted only when
// every name the layer has for them is hidden: a hard link still seen under
// another name (busybox's applets are hundreds of names for one file) keeps
// them in use. Hard links count once, as the layer's size does.

import fs from 'node:fs';
import { HeldDir } from '../fs/heldDir';

/** Wasted bytes of each layer; `dirs` and the result are bottom first. */
export function wastedPerLayer(dirs: readonly string[]): number[] {
  const covered = new Set<string>(); // paths that an upper layer has an entry at
  const blocked = new Set<string>(); // paths below which upper layers hide everything
  const wasted = new Array<number>(dirs.length).fill(0);
  for (let i = dirs.length - 1; i >= 0; i--) {
    const isHidden = (rel: string) => covered.has(rel) || isBlocked(rel, blocked);
    const hidden = new Map<number, { size: number; names: number; links: number }>(); // by inode
    const entries: Array<{ rel: string; blocks: boolean }> = [];
    walk(dirs[i]!, (rel, entry, dir) => {
      // Only a file that is hidden needs its size: most files cost no stat at all.
      if (entry.isFile() && isHidden(rel)) {
        const stats = fs.lstatSync(dir.at(entry.name));
        const seen = hidden.get(stats.ino);
        if (seen) seen.names++;
        else hidden.set(stats.ino, { size: stats.size, names: 1, links: stats.nlink });
      }
      // Whiteouts and non-directories hide what lies below their path; so does an opaque directory.
      const isDir = entry.isDirectory();
      entries.push({ rel, blocks: !isDir || dir.isOpaque(entry.name) });
      return isDir;
    });
    // Some hidden file has other names: those the layer still shows keep its bytes in use.
    if ([...hidden.values()].some((h) => h.names < h.links)) {
      walk(dirs[i]!, (rel, entry, dir) => {
        if (entry.isFile() && !isHidden(rel)) hidden.delete(fs.lstatSync(dir.at(entry.name)).ino);
        return entry.isDirectory();
      });
    }
    for (const h of hidden.values()) wasted[i] += h.size;
    for (const e of entries) {
      covered.add(e.rel);
      if (e.blocks) blocked.add(e.rel);
    }
  }
  return wasted;
}

function isBlocked(rel: string, blocked: ReadonlySet<string>): boolean {
  if (blocked.size === 0) return false;
  for (let slash = rel.lastIndexOf('/'); slash > 0; slash = rel.lastIndexOf('/', slash - 1)) {
    if (blocked.has(rel.slice(0, slash))) return true;
  }
  return false;
}

/**
 * Calls `visit` for every entry below `root` ("/etc/hosts" style paths)
 * with the directory that holds it; it returns whether to descend. Names
 * are only compared with each other here, so neither their order nor a
 * non-UTF-8 name matters.
 */
function walk(root: string, visit: (rel: string, entry: fs.Dirent, dir: HeldDir) => boolean): void {
  HeldDir.within(root, (dir) => walkHeld(dir, '', visit));
}

function walkHeld(dir: HeldDir, rel: string, visit: (rel: string, entry: fs.Dirent, dir: HeldDir) => boolean): void {
  for (const entry of dir.entries()) {
    const childRel = `${rel}/${entry.name}`;
    if (visit(childRel, entry, dir)) dir.withDir(entry.name, (child) => walkHeld(child, childRel, visit));
  }
}

/**
 * Layers never change once stored (a ChainID names the layer and everything
 * below it), so their waste is computed once per stack and kept.
 */
export class WasteCache {
  private readonly byTop = new Map<string, number[]>();
  constructor(private readonly limit = 64) {}

  get(topChainId: string, dirs: readonly string[]): number[] {
    let hit = this.byTop.get(topChainId);
    if (hit) {
      // Most recently used last, so the oldest goes first when full.
      this.byTop.delete(topChainId);
    } else {
      hit = wastedPerLayer(dirs);
      if (this.byTop.size >= this.limit) this.byTop.delete(this.byTop.keys().next().value!);
    }
    this.byTop.set(topChainId, hit);
    return hit;
  }
}
