// Writes a step's changes into a new layer dir that sits over the parent
// image's layers, without mounting anything: paths are resolved through the
// union of the new dir and the layers below (symlinks followed inside the
// image, as Docker resolves a destination in the container's root), and a
// directory the new layer needs that exists below is first copied up with
// its mode, owner, times and attributes, as overlay copies a directory up.
// The dir is then committed as the step's layer.

import fs from 'node:fs';
import path from 'node:path';
import { invalidArgument } from '../errors';
import { lgetxattr, llistxattr, lsetxattr } from '../native';
import { lstatOrNull } from '../fs/layerRoot';
import { isOverlayXattr } from '../fs/overlayFormat';
import { ImageTree } from './sourceTree';

export interface Owner {
  uid: number;
  gid: number;
}

export const rootOwner: Owner = { uid: 0, gid: 0 };

export class LayerWriter {
  /** The image as the step sees it: the new layer over the parent's. */
  readonly view: ImageTree;

  constructor(
    readonly dir: string,
    lowers: readonly string[], // top first
  ) {
    this.view = new ImageTree([dir, ...lowers]);
  }

  /** The components an absolute path in the image leads to (every symlink followed inside the image). */
  resolve(p: string): string[] {
    return this.view.resolvePath(p);
  }

  /** The entry the image has at these components (the new layer's or a lower one's), or null. */
  stat(parts: readonly string[]): fs.Stats | null {
    return this.view.lookup(parts.join('/'), false).node?.stats ?? null;
  }

  /** Where these components are in the new layer. */
  hostPath(parts: readonly string[]): string {
    return path.join(this.dir, ...parts);
  }

  /**
   * Makes the directory at `parts` exist in the new layer, parents first:
   * ones the image has are copied up, missing ones made 0755 for `owner`
   * (Docker's MkdirAllAndChownNew). Returns whether the last one is new.
   */
  mkdirAll(parts: readonly string[], owner: Owner): boolean {
    let made = false;
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i);
      const host = this.hostPath(prefix);
      const own = lstatOrNull(host);
      if (own?.isDirectory()) {
        made = false;
        continue;
      }
      const below = this.stat(prefix);
      if (own || (below && !below.isDirectory())) {
        throw invalidArgument(`mkdir /${prefix.join('/')}: not a directory`);
      }
      fs.mkdirSync(host);
      if (below) copyUp(this.view.lookup(prefix.join('/'), false).node!.hostPath, host, below);
      else {
        fs.lchownSync(host, owner.uid, owner.gid);
        fs.chmodSync(host, 0o755);
      }
      made = !below;
    }
    return made;
  }

  /** Clears the new layer's own entry at `parts` (not what lower layers have) so something else can go there. */
  clear(parts: readonly string[]): void {
    fs.rmSync(this.hostPath(parts), { recursive: true, force: true });
  }
}

/** A lower layer's directory, copied up into the new layer as overlay does: same mode, owner, attributes, times. */
function copyUp(lower: string, upper: string, stats: fs.Stats): void {
  fs.lchownSync(upper, stats.uid, stats.gid);
  for (const name of llistxattr(lower)) {
    if (isOverlayXattr(name)) continue;
    const value = lgetxattr(lower, name);
    if (value !== null) lsetxattr(upper, name, value);
  }
  fs.chmodSync(upper, stats.mode & 0o7777);
  fs.utimesSync(upper, stats.atime, stats.mtime);
}
