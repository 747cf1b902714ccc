// Wasted bytes: files a layer carries that no container can see, because a
// later layer overwrites them, deletes them (a whiteout), hides them below an
// opaque directory, or puts a non-directory where their directory was. They
// still travel with the image (save, push) and take disk space.
//
// Layers are walked top down, keeping what the layers above have put over
// each path: a file is wasted when an upper layer has an entry at its path,
// or blocks one of its parent directories. Hard links inside a layer count
// once, as the layer's size does.

import fs from 'node:fs';
import path from 'node:path';
import { readNamesSync } from '../fs/dirNames';
import { isOpaqueDir, isWhiteout } from '../fs/overlayFormat';

/** Wasted bytes of each layer; `dirs` and the result are bottom first. */
export function wastedPerLayer(dirs: readonly string[]): number[] {
  const covered = new Set<string>(); // paths that an upper layer has an entry at
  const blocked = new Set<string>(); // paths below which upper layers hide everything
  const wasted = new Array<number>(dirs.length).fill(0);
  for (let i = dirs.length - 1; i >= 0; i--) {
    const seenInodes = new Set<number>();
    const entries: Array<{ rel: string; blocks: boolean }> = [];
    walk(dirs[i], '', (rel, stats, hostPath) => {
      const whiteout = isWhiteout(stats);
      if (stats.isFile() && !seenInodes.has(stats.ino) && (covered.has(rel) || isBlocked(rel, blocked))) {
        seenInodes.add(stats.ino);
        wasted[i] += stats.size;
      }
      // Whiteouts and non-directories hide what lies below their path; so does an opaque directory.
      const blocks = whiteout || !stats.isDirectory() || isOpaqueDir(hostPath);
      entries.push({ rel, blocks });
      return stats.isDirectory() && !whiteout;
    });
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

/** Calls `visit` for every entry below `dir` ("/etc/hosts" style paths); it returns whether to descend. */
function walk(root: string, rel: string, visit: (rel: string, stats: fs.Stats, hostPath: string) => boolean): void {
  const dir = path.join(root, rel);
  for (const name of readNamesSync(dir)) {
    const childRel = `${rel}/${name}`;
    const hostPath = path.join(dir, name);
    const stats = fs.lstatSync(hostPath);
    if (visit(childRel, stats, hostPath)) walk(root, childRel, visit);
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
