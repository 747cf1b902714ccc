// `image.layerFiles`: what one layer itself holds, compared with the union
// of the layers below it: A for a path the layers below lack, M for one they
// have (replaced or, for a directory, changed inside), D for a whiteout.
// Whiteouts and opaque directories are reported as what they are.

import type { LayerFile } from '../api';
import { invalidArgument } from '../errors';
import { HeldDir } from '../fs/heldDir';
import { isWhiteout } from '../fs/overlayFormat';
import { HeldMergedDir } from '../fs/union';
import { imageLayers, type ExploreContext } from './context';

export function layerFiles(ctx: ExploreContext, ref: string, layer: number): LayerFile[] {
  const { dirs } = imageLayers(ctx.store, ref);
  if (!Number.isInteger(layer) || layer < 0 || layer >= dirs.length) {
    throw invalidArgument(`invalid argument layer: the image has layers 0 to ${dirs.length - 1}, not ${layer}`);
  }
  const below = dirs.slice(0, layer).reverse(); // top first, as the union reads them
  const files: LayerFile[] = [];
  const lower = below.length ? HeldMergedDir.root(below) : null;
  try {
    HeldDir.within(dirs[layer]!, (own) => compare(own, [], lower, files));
  } finally {
    lower?.close();
  }
  return files;
}

/** Lists one directory of the layer against the same directory of the layers below (null: they lack it). */
function compare(dir: HeldDir, rel: string[], lower: HeldMergedDir | null, out: LayerFile[]): void {
  for (const name of dir.names()) {
    const stats = dir.lstat(name);
    if (stats === null) continue;
    const childRel = [...rel, name];
    const p = `/${childRel.join('/')}`;
    const before = lower ? lower.child(name) : null;
    if (isWhiteout(stats)) {
      out.push({ path: p, kind: 'D', type: 'whiteout', size: 0 });
      continue;
    }
    const kind = before ? 'M' : 'A';
    if (!stats.isDirectory()) {
      const type = stats.isFile() ? 'file' : stats.isSymbolicLink() ? 'symlink' : 'other';
      out.push({ path: p, kind, type, size: stats.isFile() ? stats.size : 0 });
      continue;
    }
    out.push({ path: p, kind, type: dir.isOpaque(name) ? 'opaque' : 'dir', size: 0 });
    dir.withDir(name, (child) => {
      if (lower && before) lower.withChild(before, (below) => compare(child, childRel, below, out));
      else compare(child, childRel, null, out);
    });
  }
}
