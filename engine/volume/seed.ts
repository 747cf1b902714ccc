// Docker's copy-up into a new volume: the first time an empty volume is
// mounted where the image has files, those files are copied into it (owners,
// modes, times, links, devices and extended attributes kept), so `-v
// data:/var/lib/app` starts with what the image put there. It reads the
// container's own layers (writable, init, image) with the overlay's rules,
// before its process runs; symlinks are copied as links, never followed, and
// every entry is read through its layer's held directory.

import fs from 'node:fs';
import path from 'node:path';
import { isOverlayXattr } from '../fs/overlayFormat';
import { HeldMergedDir, unionDir } from '../fs/union';
import { lgetxattr, llistxattr, lsetxattr, mknod } from '../native';
import type { RuntimeContext } from '../runtime/context';
import { containerLayerDirs } from '../runtime/prepare';
import type { ContainerRow } from '../store/containers';

function copyXattrs(from: string, to: string): void {
  for (const name of llistxattr(from)) {
    if (isOverlayXattr(name)) continue;
    const value = lgetxattr(from, name);
    if (value !== null) lsetxattr(to, name, value);
  }
}

function finish(from: string, to: string, st: fs.Stats): void {
  fs.lchownSync(to, st.uid, st.gid);
  if (!st.isSymbolicLink()) fs.chmodSync(to, st.mode & 0o7777);
  copyXattrs(from, to);
  fs.lutimesSync(to, st.atime, st.mtime);
}

/** Copies the merged directory's entries into `target`, reading each through its held layer copy (fs/heldDir.ts). */
function copyDir(held: HeldMergedDir, target: string, links: Map<string, string>): void {
  for (const [name, node] of held.children().children) {
    const layer = held.copy(node.layer);
    const from = layer.at(name);
    const to = path.join(target, name);
    const st = node.stats;
    const inode = `${st.dev}:${st.ino}`;
    if (!st.isDirectory() && st.nlink > 1 && links.has(inode)) {
      fs.linkSync(links.get(inode)!, to);
      continue;
    }
    if (st.isDirectory()) {
      fs.mkdirSync(to, { mode: 0o700 });
      held.withChild(node, (child) => child && copyDir(child, to, links));
    } else if (st.isFile()) {
      const file = layer.openFile(name);
      if (file === null) continue; // changed meanwhile
      try {
        fs.copyFileSync(`/proc/self/fd/${file.fd}`, to, fs.constants.COPYFILE_EXCL);
      } finally {
        fs.closeSync(file.fd);
      }
    } else if (st.isSymbolicLink()) {
      const target = layer.readlink(name);
      if (target === null) continue;
      fs.symlinkSync(target, to);
    } else {
      mknod(to, st.mode, Math.floor(st.rdev / 256) & 0xfff, (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00));
    }
    if (!st.isDirectory() && st.nlink > 1) links.set(inode, to);
    finish(from, to, st);
  }
}

/**
 * Copies what the container's layers (`dirs`, top first) hold at
 * `destination` into `data`, when `data` is empty and the image has a
 * directory there. Returns whether anything was copied.
 */
export function seedVolume(dirs: string[], destination: string, data: string): boolean {
  if (fs.readdirSync(data).length > 0) return false;
  const dir = unionDir(dirs, destination);
  if (!dir) return false;
  const held = HeldMergedDir.open(dirs, dir);
  try {
    copyDir(held, data, new Map());
    // The volume's root takes the directory's owner and mode, as Docker's copy does.
    const st = held.copy(dir.layers[0]!).stat();
    fs.chownSync(data, st.uid, st.gid);
    fs.chmodSync(data, st.mode & 0o7777);
  } finally {
    held.close();
  }
  return true;
}

/**
 * Fills each new, empty volume with what the image has where it is mounted
 * (Docker's copy-up), once: the record then says it is done.
 */
export function seedVolumes(ctx: RuntimeContext, row: ContainerRow): void {
  const mounts = row.spec.MountPoints ?? [];
  if (!mounts.some((m) => m.CopyData)) return;
  const dirs = containerLayerDirs(ctx, row);
  for (const m of mounts) if (m.CopyData) seedVolume(dirs, m.Destination, m.Source);
  ctx.containers.updateSpec(row.id, { ...row.spec, MountPoints: mounts.map((m) => ({ ...m, CopyData: false })) });
}
