// `image.tree` and `container.tree`: one directory of the merged view, as a
// container sees it, with where each entry comes from. Layers are numbered
// from the bottom (0 = base) as everywhere in the app; a container's
// writable layer is 'rw' and its init layer (mount points) 'init'. Entries a layer deleted are listed too, marked
// deleted, so a whiteout shows as the deletion it is.

import path from 'node:path';
import type { LayerRef, TreeEntry } from '../api';
import { invalidArgument } from '../errors';
import { unionList } from '../fs/union';
import { findContainer } from '../runtime/context';
import { containerLayerDirs } from '../runtime/prepare';
import { imageLayers, type ExploreContext } from './context';

/** A stack as the union reads it: its layer dirs top first, and each one's name in the app. */
export interface NamedStack {
  dirs: string[];
  refOf(index: number): LayerRef;
}

export function imageStackDirs(ctx: ExploreContext, ref: string): NamedStack {
  const topFirst = [...imageLayers(ctx.store, ref).dirs].reverse();
  return { dirs: topFirst, refOf: (i) => topFirst.length - 1 - i };
}

export function containerStackDirs(ctx: ExploreContext, ref: string): NamedStack {
  const row = findContainer(ctx.runtime, ref);
  // Top first: the writable layer, the init layer, then the image's layers.
  const dirs = containerLayerDirs(ctx.runtime, row);
  const imageLayers = dirs.length - 2;
  return { dirs, refOf: (i) => (i === 0 ? 'rw' : i === 1 ? 'init' : imageLayers - 1 - (i - 2)) };
}

export function imageTree(ctx: ExploreContext, ref: string, dirPath: string): TreeEntry[] {
  return mergedListing(imageStackDirs(ctx, ref), dirPath);
}

export function containerTree(ctx: ExploreContext, ref: string, dirPath: string): TreeEntry[] {
  return mergedListing(containerStackDirs(ctx, ref), dirPath);
}

/** One directory of the union, each entry with the layer it comes from and those it hides. */
function mergedListing({ dirs, refOf }: NamedStack, dirPath: string): TreeEntry[] {
  const dir = normalize(dirPath);
  if (dirs.length === 0) return [];
  const { entries, deleted } = unionList(dirs, dir);
  const at = (name: string) => (dir === '/' ? `/${name}` : `${dir}/${name}`);
  const shown: TreeEntry[] = entries.map((e) => ({
    name: e.name,
    path: at(e.name),
    type: e.type,
    size: e.type === 'file' ? e.size : 0,
    layer: refOf(e.layer),
    hides: e.hides.map(refOf),
    mergedWith: e.merges.map(refOf),
    deleted: false,
    opaque: e.opaque,
    ...(e.linkTarget !== undefined ? { linkTarget: e.linkTarget } : {}),
  }));
  const gone: TreeEntry[] = deleted.map((d) => ({
    name: d.name,
    path: at(d.name),
    type: d.type,
    size: d.type === 'file' ? d.size : 0,
    layer: refOf(d.deletedBy),
    hides: d.layers.map(refOf),
    mergedWith: [],
    deleted: true,
    opaque: false,
  }));
  return mergeByName(shown, gone);
}

/** Both lists come sorted by name bytes (as `ls` and Docker order them); so does their merge. */
function mergeByName(a: TreeEntry[], b: TreeEntry[]): TreeEntry[] {
  if (b.length === 0) return a;
  const out: TreeEntry[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    out.push(Buffer.compare(Buffer.from(a[i].name), Buffer.from(b[j].name)) <= 0 ? a[i++] : b[j++]);
  }
  return out.concat(a.slice(i), b.slice(j));
}

/** An absolute path inside the image; '..' cannot climb above its root. */
export function normalize(p: string): string {
  if (!p.startsWith('/')) throw invalidArgument(`invalid argument path: expected an absolute path, got ${JSON.stringify(p)}`);
  const clean = path.posix.normalize(p).replace(/\/+$/, '');
  return clean === '' ? '/' : clean;
}
