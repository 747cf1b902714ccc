// How deletions are recorded, on disk and in layer tars, and the one place
// that names overlay's extended attributes. On disk (layer dirs, a container's
// upper dir) a deleted entry is a whiteout: a character device 0/0 with the
// deleted name; a directory that hides everything below it is opaque: it
// carries <prefix>opaque = "y". Rootful overlay keeps these attributes under
// trusted.overlay.*; rootless mode (mount option userxattr) under
// user.overlay.* (rootless.ts picks the prefix). In a layer tar (OCI), `.wh.<name>`
// deletes <name> and `<dir>/.wh..wh..opq` makes <dir> opaque.

import type fs from 'node:fs';
import { lgetxattr, lsetxattr, mknod } from '../native';
import { overlayXattrPrefix } from '../rootless';

/** Set to "y" on a directory that hides the same directory in lower layers (in this mode's namespace). */
export const opaqueXattr = `${overlayXattrPrefix()}opaque`;

const S_IFCHR = 0o020000;

/** In a layer tar, an entry named `.wh.<name>` deletes <name>. */
export const tarWhiteoutPrefix = '.wh.';

/** In a layer tar, `<dir>/.wh..wh..opq` makes <dir> opaque. */
export const tarOpaqueMarker = '.wh..wh..opq';

/**
 * Attributes that steer overlayfs (opaque, redirect, origin, metacopy...),
 * in either namespace. They are the engine's to set: never taken from a
 * tar, never written into one.
 */
export function isOverlayXattr(name: string): boolean {
  return name.startsWith('trusted.overlay.') || name.startsWith('user.overlay.');
}

/** True for a whiteout: a character device with device number 0/0. */
export function isWhiteout(stats: fs.Stats): boolean {
  return stats.isCharacterDevice() && stats.rdev === 0;
}

/** Creates the whiteout for a deleted entry at `file` (which must not exist). */
export function makeWhiteout(file: string): void {
  mknod(file, S_IFCHR, 0, 0);
}

export function isOpaqueDir(dir: string): boolean {
  const value = lgetxattr(dir, opaqueXattr);
  return value !== null && value.length === 1 && value[0] === 0x79; // "y"
}

export function markOpaque(dir: string): void {
  lsetxattr(dir, opaqueXattr, Buffer.from('y'));
}
