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
import path from 'node:path';
import type { ChangeEntry } from '../api';
import { lgetxattr } from '../native';
import { readNamesSync } from './dirNames';
import { isOpaqueDir, isWhiteout } from './overlayFormat';
import { mergedChildren, unionChild, unionRoot, type MergedDir } from './union';

export function listChanges(upperDir: string, lowerDirs: string[] /* top first */): ChangeEntry[] {
  const changes: ChangeEntry[] = [];
  // overlay ignores an opaque root, and so does Docker's diff.
  compareDir(upperDir, [], lowerDirs.length > 0 ? unionRoot(lowerDirs) : null, false, lowerDirs, changes);
  return changes;
}

/** Compares the upper copy of a directory with the image's (null: the image has no such directory). */
function compareDir(
  upperDir: string,
  rel: string[],
  image: MergedDir | null,
  opaque: boolean,
  lowerDirs: string[],
  changes: ChangeEntry[],
): void {
  const whiteouts: string[] = [];
  const present = new Set<string>();
  for (const name of readNamesSync(upperDir)) {
    const upperPath = path.join(upperDir, name);
    const stats = fs.lstatSync(upperPath);
    if (isWhiteout(stats)) {
      whiteouts.push(name);
      continue;
    }
    present.add(name);
    const childRel = [...rel, name];
    const before = image && unionChild(lowerDirs, image, name);
    if (!before) {
      changes.push({ kind: 'A', path: `/${childRel.join('/')}` });
      if (stats.isDirectory()) addedBelow(upperPath, childRel, changes);
      continue;
    }
    const changed = statsDiffer(before.hostPath, upperPath);
    if (changed) changes.push({ kind: 'C', path: `/${childRel.join('/')}` });
    if (stats.isDirectory()) {
      const mark = changes.length;
      compareDir(upperPath, childRel, before.dir ?? null, isOpaqueDir(upperPath), lowerDirs, changes);
      if (!changed && changes.length > mark) changes.splice(mark, 0, { kind: 'C', path: `/${childRel.join('/')}` });
    }
  }
  if (image === null) return;

  // Below an opaque directory every name of the image the upper dir does not hold is gone.
  const deleted = opaque
    ? [...mergedChildren(lowerDirs, image).children.keys()].filter((name) => !present.has(name))
    : whiteouts.filter((name) => unionChild(lowerDirs, image, name) !== null);
  for (const name of deleted) changes.push({ kind: 'D', path: `/${[...rel, name].join('/')}` });
}

/** Everything inside a directory the image did not have is added. */
function addedBelow(dir: string, rel: string[], changes: ChangeEntry[]): void {
  for (const name of readNamesSync(dir)) {
    const file = path.join(dir, name);
    const stats = fs.lstatSync(file);
    if (isWhiteout(stats)) continue;
    changes.push({ kind: 'A', path: `/${[...rel, name].join('/')}` });
    if (stats.isDirectory()) addedBelow(file, [...rel, name], changes);
  }
}

/** Docker's statDifferent plus its file capability comparison. */
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
