// `image.file` and `container.file`: one path of a merged view in detail, as
// a person sees it on clicking a file: the layer it comes from and where
// that layer keeps it on the host, the lower layers' copies it hides (each
// with its host path), and the first bytes of its content. A path the
// writable layer alone has is the classic experiment's "in no image layer".

import fs from 'node:fs';
import path from 'node:path';
import type { FileCopy, FileDetails, LayerRef } from '../api';
import { invalidArgument, notFound } from '../errors';
import { lstatOrNull } from '../fs/layerRoot';
import { unionDirPath, unionReadFile } from '../fs/union';
import { mergedListing, normalize, type NamedStack } from './tree';

/** How much of a file the details show: a screenful of text, enough to tell what a binary is. */
export const previewBytes = 16 * 1024;

export function fileDetails(stack: NamedStack, filePath: string): FileDetails {
  const p = normalize(filePath);
  if (p === '/') throw invalidArgument('invalid argument path: / is every layer’s root directory; pick a path inside it');
  const parent = path.posix.dirname(p);
  const name = path.posix.basename(p);
  const entry = mergedListing(stack, parent).find((e) => e.name === name);
  if (!entry) throw notFound(`${p}: no such file or directory in any layer`);
  const rel = [...unionDirPath(stack.dirs, parent), name];
  const indexOf = (ref: LayerRef) => stack.dirs.findIndex((_, i) => stack.refOf(i) === ref);
  const inLayer = (ref: LayerRef) => path.join(stack.dirs[indexOf(ref)]!, ...rel);

  // A path an opaque directory deletes has no whiteout of its own: the opaque directory is what does it.
  let hostPath = inLayer(entry.layer);
  let stats = lstatOrNull(hostPath);
  if (stats === null && entry.deleted) {
    hostPath = path.dirname(hostPath);
    stats = lstatOrNull(hostPath);
  }
  if (stats === null) throw notFound(`${p}: it changed while it was being read`);

  const hides: FileCopy[] = [];
  for (const ref of entry.hides) {
    const copy = inLayer(ref);
    const st = lstatOrNull(copy);
    if (st) hides.push({ layer: ref, hostPath: copy, type: typeOf(st), size: st.isFile() ? st.size : 0 });
  }
  return {
    path: p,
    name,
    type: entry.type,
    size: entry.size,
    deleted: entry.deleted,
    layer: entry.layer,
    hostPath,
    mode: stats.mode,
    uid: stats.uid,
    gid: stats.gid,
    modified: stats.mtime.toISOString(),
    hides,
    mergedWith: entry.mergedWith,
    ...(entry.linkTarget !== undefined ? { linkTarget: entry.linkTarget } : {}),
    ...(entry.type === 'file' && !entry.deleted ? preview(stack.dirs, p) : {}),
  };
}

function preview(dirs: string[], p: string): Pick<FileDetails, 'preview'> {
  try {
    const head = unionReadFile(dirs, p, previewBytes + 1);
    return head ? { preview: { data: head.subarray(0, previewBytes), truncated: head.length > previewBytes } } : {};
  } catch {
    // Replaced by something else since it was listed (a running container writes): no preview.
    return {};
  }
}

function typeOf(stats: fs.Stats): FileCopy['type'] {
  return stats.isFile() ? 'file' : stats.isDirectory() ? 'dir' : stats.isSymbolicLink() ? 'symlink' : 'other';
}
