// `docker diff`: what a container's upper dir adds, changes and deletes
// compared with its image. Docker (overlay2) compares the mounted container
// with the mounted image; we get the same answer without mounting, since only
// what the upper dir holds can differ:
// - a name the image lacks is A, and so is everything below it;
// - a name both have is C when its type, mode, owner or device number differ,
//   for non-directories also its size or mtime, or its file capabilities;
// - a name the container deleted (whiteout, or missing below an opaque
//   directory) is D, without what was below it;
// - a directory with any change inside is C itself, listed before them.
// Docker's order comes from a Go map, so it varies from call to call; ours is
// the same walk in name order: each directory's entries, then its deletions.

import fs from 'node:fs';
import type { ChangeEntry } from '../api';
import { lgetxattr } from '../native';
import { HeldDir } from './heldDir';
import { isWhiteout } from './overlayFormat';
import { HeldMergedDir } from './union';

export function listChanges(upperDir: string, lowerDirs: string[] /* top first */): ChangeEntry[] {
  const changes: ChangeEntry[] = [];
  const upper = HeldDir.open(upperDir);
  const image = lowerDirs.length > 0 ? HeldMergedDir.root(lowerDirs) : null;
  try {
    // overlay ignores an opaque root, and so does Docker's diff.
    compareDir(upper, [], image, false, changes);
  } finally {
    upper.close();
    image?.close();
  }
  return changes;
}

/**
 * Compares the upper copy of a directory with the image's (null: the image
 * has no such directory), both held: the container may be changing its
 * upper dir meanwhile.
 */
function compareDir(upper: HeldDir, rel: string[], image: HeldMergedDir | null, opaque: boolean, changes: ChangeEntry[]): void {
  const whiteouts: string[] = [];
  const present = new Set<string>();
  for (const name of upper.names()) {
    const stats = upper.lstat(name);
    if (stats === null) continue; // removed since the listing
    if (isWhiteout(stats)) {
      whiteouts.push(name);
      continue;
    }
    present.add(name);
    const childRel = [...rel, name];
    const before = image && image.child(name);
    if (!before) {
      changes.push({ kind: 'A', path: `/${childRel.join('/')}` });
      if (stats.isDirectory()) upper.withDir(name, (dir) => addedBelow(dir, childRel, changes));
      continue;
    }
    const changed = statsDiffer(image.copy(before.layer).at(name), upper.at(name));
    if (changed) changes.push({ kind: 'C', path: `/${childRel.join('/')}` });
    if (stats.isDirectory()) {
      const mark = changes.length;
      upper.withDir(name, (dir) => image.withChild(before, (below) => compareDir(dir, childRel, below, upper.isOpaque(name), changes)));
      if (!changed && changes.length > mark) changes.splice(mark, 0, { kind: 'C', path: `/${childRel.join('/')}` });
    }
  }
  if (image === null) return;

  // Below an opaque directory every name of the image the upper dir does not hold is gone.
  const deleted = opaque
    ? [...image.children().children.keys()].filter((name) => !present.has(name))
    : whiteouts.filter((name) => image.child(name) !== null);
  for (const name of deleted) changes.push({ kind: 'D', path: `/${[...rel, name].join('/')}` });
}

/** Everything inside a directory the image did not have is added. */
function addedBelow(dir: HeldDir, rel: string[], changes: ChangeEntry[]): void {
  for (const name of dir.names()) {
    const stats = dir.lstat(name);
    if (stats === null || isWhiteout(stats)) continue;
    changes.push({ kind: 'A', path: `/${[...rel, name].join('/')}` });
    if (stats.isDirectory()) dir.withDir(name, (child) => addedBelow(child, [...rel, name], changes));
  }
}

/** Docker's statDifferent plus its file capability comparison; both paths are held entries. */
function statsDiffer(imagePath: string, upperPath: string): boolean {
  const a = fs.lstatSync(imagePath, { bigint: true });
  const b = fs.lstatSync(upperPath, { bigint: true });
  if (a.mode !== b.mode || a.uid !== b.uid || a.gid !== b.gid || a.rdev !== b.rdev) return true;
  // Directory sizes and mtimes change with their content: not a change of their own.
  if (!a.isDirectory() && (!sameTime(a.mtimeNs, b.mtimeNs) || a.size !== b.size)) return true;
  const capA = lgetxattr(imagePath, 'security.capability');
  const capB = lgetxattr(upperPath, 'security.capability');
  return capA === null || capB === null ? capA !== capB : !capA.equals(capB);
}

/** Seconds must match; nanoseconds too unless either side has none (a filesystem without them). */
function sameTime(a: bigint, b: bigint): boolean {
  const second = 1_000_000_000n;
  if (a / second !== b / second) return false;
  const na = a % second;
  const nb = b % second;
  return na === nb || na === 0n || nb === 0n;
}
