// `image.layerFiles`: what one layer itself holds, compared with the union
// of the layers below it: A for a path the layers below lack, M for one they
// have (replaced or, for a directory, changed inside), D for a whiteout.
// Whiteouts and opaque directories are reported as what they are.

import fs from 'node:fs';
import path from 'node:path';
import type { LayerFile } from '../api';
import { invalidArgument } from '../errors';
import { readNamesSync } from '../fs/dirNames';
import { isOpaqueDir, isWhiteout } from '../fs/overlayFormat';
import { unionChild, unionRoot, type MergedDir } from '../fs/union';
import { imageLayers, type ExploreContext } from './context';

export function layerFiles(ctx: ExploreContext, ref: string, layer: number): LayerFile[] {
  const { dirs } = imageLayers(ctx.store, ref);
  if (!Number.isInteger(layer) || layer < 0 || layer >= dirs.length) {
    throw invalidArgument(`invalid argument layer: the image has layers 0 to ${dirs.length - 1}, not ${layer}`);
  }
  const below = dirs.slice(0, layer).reverse(); // top first, as the union reads them
  const files: LayerFile[] = [];
  compare(dirs[layer], [], below.length ? unionRoot(below) : null, below, files);
  return files;
}

/** Lists one directory of the layer against the same directory of the layers below (null: they lack it). */
function compare(layerDir: string, rel: string[], lower: MergedDir | null, below: string[], out: LayerFile[]): void {
  const hostDir = path.join(layerDir, ...rel);
  for (const name of readNamesSync(hostDir)) {
    const hostPath = path.join(hostDir, name);
    const stats = fs.lstatSync(hostPath);
    const childRel = [...rel, name];
    const p = `/${childRel.join('/')}`;
    const before = lower ? unionChild(below, lower, name) : null;
    if (isWhiteout(stats)) {
      out.push({ path: p, kind: 'D', type: 'whiteout', size: 0 });
      continue;
    }
    const kind = before ? 'M' : 'A';
    if (stats.isDirectory()) {
      const opaque = isOpaqueDir(hostPath);
      out.push({ path: p, kind, type: opaque ? 'opaque' : 'dir', size: 0 });
      compare(layerDir, childRel, before?.dir ?? null, below, out);
    } else {
      const type = stats.isFile() ? 'file' : stats.isSymbolicLink() ? 'symlink' : 'other';
      out.push({ path: p, kind, type, size: stats.isFile() ? stats.size : 0 });
    }
  }
}
