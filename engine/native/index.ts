// The engine's native side, built by node-gyp into engine/native/build/Release:
// the strata_native addon (mknod and extended attributes, which Node's fs
// lacks) and the strata-shim launcher. The addon loads on first use, so
// commands that never touch a layer do not pay for it.

import fs from 'node:fs';
import path from 'node:path';
import { unavailable } from '../errors';

interface Addon {
  mknod(path: string, mode: number, major: number, minor: number): void;
  lsetxattr(path: string, name: string, value: Buffer): void;
  lgetxattr(path: string, name: string): Buffer | null;
  llistxattr(path: string): string[];
  lremovexattr(path: string, name: string): void;
}

let releaseDir: string | undefined;
let addon: Addon | undefined;

/**
 * engine/native/build/Release of this checkout. __dirname is engine/native
 * when run from the sources and dist/engine/native when compiled: both sit
 * under the package root, the first directory upward with a package.json.
 */
function buildDir(): string {
  if (releaseDir === undefined) {
    let dir = __dirname;
    while (!fs.existsSync(path.join(dir, 'package.json'))) {
      const parent = path.dirname(dir);
      if (parent === dir) throw unavailable(`cannot find the package root above ${__dirname}`);
      dir = parent;
    }
    releaseDir = path.join(dir, 'engine', 'native', 'build', 'Release');
  }
  return releaseDir;
}

function native(): Addon {
  if (addon === undefined) {
    const file = path.join(buildDir(), 'strata_native.node');
    const mod = { exports: {} as Addon };
    try {
      process.dlopen(mod, file);
    } catch (err) {
      throw unavailable(`cannot load the native addon ${file} (build it with npm install): ${(err as Error).message}`);
    }
    addon = mod.exports;
  }
  return addon;
}

/** mknod(2): mode carries the node type (S_IFCHR, S_IFBLK or S_IFIFO) and permissions. */
export function mknod(file: string, mode: number, major: number, minor: number): void {
  native().mknod(file, mode, major, minor);
}

/** Sets an extended attribute on the file itself, never a symlink's target. */
export function lsetxattr(file: string, name: string, value: Buffer): void {
  native().lsetxattr(file, name, value);
}

/** The attribute's value, or null when it is not set. */
export function lgetxattr(file: string, name: string): Buffer | null {
  return native().lgetxattr(file, name);
}

export function llistxattr(file: string): string[] {
  return native().llistxattr(file);
}

export function lremovexattr(file: string, name: string): void {
  native().lremovexattr(file, name);
}

/** The strata-shim executable the runtime spawns. */
export function shimPath(): string {
  // In the packaged app the build dir sits inside app.asar, which exec cannot
  // read; electron-builder unpacks the native parts beside it (asarUnpack).
  const file = path.join(buildDir(), 'strata-shim').replace(`${path.sep}app.asar${path.sep}`, `${path.sep}app.asar.unpacked${path.sep}`);
  if (!fs.existsSync(file)) throw unavailable(`the launcher ${file} is not built (build it with npm install)`);
  return file;
}
