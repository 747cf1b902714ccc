// `image.file` and `container.file`: one path of a merged view in detail, as
// a person sees it on clicking a file: the layer it comes from and where
// that layer keeps it on the host, the lower layers' copies it hides (each
// with its host path), and the first bytes of its content. A path the
// writable layer alone has is the classic experiment's "in no image layer".
//
// Everything is read through the path's directory held open in every layer
// (engine/fs/union.ts): a running container swapping a directory on the way
// for a symlink to the host cannot make the engine describe or read a host
// file. The host paths shown are where the copies are, for a person to open;
// the engine never opens them by name.

import fs from 'node:fs';
import path from 'node:path';
import type { FileCopy, FileDetails } from '../api';
import { invalidArgument, notFound } from '../errors';
import type { HeldDir } from '../fs/heldDir';
import { listHeld, unionWithinDir, type HeldMergedDir } from '../fs/union';
import { normalize, type NamedStack } from './tree';

/** How much of a file the details show: a screenful of text, enough to tell what a binary is. */
export const previewBytes = 16 * 1024;

export function fileDetails(stack: NamedStack, filePath: string): FileDetails {
  const p = normalize(filePath);
  if (p === '/') throw invalidArgument('invalid argument path: / is every layer’s root directory; pick a path inside it');
  return unionWithinDir(stack.dirs, path.posix.dirname(p), (dir) => detailsIn(stack, dir, p));
}

function detailsIn(stack: NamedStack, dir: HeldMergedDir, p: string): FileDetails {
  const name = path.posix.basename(p);
  // The same listing the tree shows, so the details always agree with it.
  const { entries, deleted } = listHeld(dir);
  const shown = entries.find((e) => e.name === name);
  const gone = shown ? undefined : deleted.find((d) => d.name === name);
  const entry = shown ?? gone;
  if (entry === undefined) throw notFound(`${p}: no such file or directory in any layer`);
  const layer = shown ? shown.layer : gone!.deletedBy;
  const hostPathIn = (index: number, ...below: string[]) => path.join(stack.dirs[index]!, ...dir.dir.rel, ...below);

  const copy = dir.copy(layer);
  let stats = copy.lstat(name);
  let hostPath = hostPathIn(layer, name);
  // A path an opaque directory deletes has no whiteout of its own: the opaque directory is what does it.
  if (stats === null && gone) {
    stats = copy.stat();
    hostPath = hostPathIn(layer);
  }
  if (stats === null) throw notFound(`${p}: it changed while it was being read`);

  const hides: FileCopy[] = [];
  for (const index of shown ? shown.hides : gone!.layers) {
    const st = dir.copy(index).lstat(name);
    if (st) hides.push({ layer: stack.refOf(index), hostPath: hostPathIn(index, name), type: typeOf(st), size: st.isFile() ? st.size : 0 });
  }
  return {
    path: p,
    name,
    type: entry.type,
    size: entry.type === 'file' ? entry.size : 0,
    deleted: !shown,
    layer: stack.refOf(layer),
    hostPath,
    mode: stats.mode,
    uid: stats.uid,
    gid: stats.gid,
    modified: stats.mtime.toISOString(),
    hides,
    mergedWith: shown ? shown.merges.map(stack.refOf) : [],
    ...(shown?.linkTarget !== undefined ? { linkTarget: shown.linkTarget } : {}),
    ...(shown?.type === 'file' ? preview(copy, name) : {}),
  };
}

/** The first bytes of the regular file `name`; none when it is no longer one (a running container writes). */
function preview(dir: HeldDir, name: string): Pick<FileDetails, 'preview'> {
  const file = dir.openFile(name);
  if (file === null) return {};
  try {
    const head = Buffer.alloc(previewBytes + 1);
    let got = 0;
    for (let n = -1; got < head.length && n !== 0; got += n) n = fs.readSync(file.fd, head, got, head.length - got, null);
    return { preview: { data: head.subarray(0, Math.min(got, previewBytes)), truncated: got > previewBytes } };
  } finally {
    fs.closeSync(file.fd);
  }
}

function typeOf(stats: fs.Stats): FileCopy['type'] {
  return stats.isFile() ? 'file' : stats.isDirectory() ? 'dir' : stats.isSymbolicLink() ? 'symlink' : 'other';
}
