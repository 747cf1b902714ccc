// `image.tree` and `container.tree`: one directory of the merged view, as a
// container sees it, with where each entry comes from. Layers are numbered
// from the bottom (0 = base) as everywhere in the app; a container's
// writable layer is 'rw'. Entries a layer deleted are listed too, marked
// deleted, so a whiteout shows as the deletion it is.

import fs from 'node:fs';
import path from 'node:path';
import type { LayerRef, TreeEntry } from '../api';
import { invalidArgument } from '../errors';
import { isOpaqueDir } from '../fs/overlayFormat';
import { unionList, unionLookup } from '../fs/union';
import { findContainer } from '../runtime/context';
import { imageLayers, type ExploreContext } from './context';

export function imageTree(ctx: ExploreContext, ref: string, dirPath: string): TreeEntry[] {
  const { dirs } = imageLayers(ctx.store, ref);
  const topFirst = [...dirs].reverse();
  return mergedListing(topFirst, dirPath, (i) => topFirst.length - 1 - i);
}

export function containerTree(ctx: ExploreContext, ref: string, dirPath: string): TreeEntry[] {
  const row = findContainer(ctx.runtime, ref);
  const lower = ctx.runtime.images.layers(row.imageId).dirs; // top first
  const upper = path.join(ctx.runtime.paths.containerDir(row.id), 'upper');
  return mergedListing([upper, ...lower], dirPath, (i) => (i === 0 ? 'rw' : lower.length - i));
}

/** `dirs` top first; `refOf` names the layer at each index of it. */
function mergedListing(dirs: string[], dirPath: string, refOf: (i: number) => LayerRef): TreeEntry[] {
  const dir = normalize(dirPath);
  if (dirs.length === 0) return [];
  const { entries, deleted } = unionList(dirs, dir);
  const at = (name: string) => (dir === '/' ? `/${name}` : `${dir}/${name}`);
  const out: TreeEntry[] = [];
  for (const e of entries) {
    // `dir` may pass through symlinks of the image: the host path comes from the union's own lookup,
    // which resolves them inside the image, never on the host.
    const hostPath = e.type === 'dir' || e.type === 'symlink' ? unionLookup(dirs, at(e.name))?.hostPath : undefined;
    out.push({
      name: e.name,
      path: at(e.name),
      type: e.type,
      size: e.type === 'file' ? e.size : 0,
      layer: refOf(e.layer),
      hides: e.hides.map(refOf),
      mergedWith: e.merges.map(refOf),
      deleted: false,
      opaque: e.type === 'dir' && hostPath !== undefined && isOpaqueDir(hostPath),
      ...(e.type === 'symlink' && hostPath !== undefined ? { linkTarget: fs.readlinkSync(hostPath) } : {}),
    });
  }
  for (const d of deleted) {
    out.push({
      name: d.name,
      path: at(d.name),
      type: d.type,
      size: d.type === 'file' ? d.size : 0,
      layer: refOf(d.deletedBy),
      hides: d.layers.map(refOf),
      mergedWith: [],
      deleted: true,
      opaque: false,
    });
  }
  return out.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
}

/** An absolute path inside the image; '..' cannot climb above its root. */
function normalize(p: string): string {
  if (!p.startsWith('/')) throw invalidArgument(`invalid argument path: expected an absolute path, got ${JSON.stringify(p)}`);
  const clean = path.posix.normalize(p).replace(/\/+$/, '');
  return clean === '' ? '/' : clean;
}
