// Extracting a tar into a directory, for `cp`: into a container (entries
// resolved inside its root, as Docker's chrooted untar does) or, on the
// host side, into the destination the user named (no symlink on the way
// followed, and a relative symlink that would lead out refused, as Docker's
// CLI refuses it). Every tar is hostile: no entry may leave the destination
// by name, every directory is held while written into (fs/heldDir.ts), files
// are created with O_EXCL|O_NOFOLLOW, and modes and times are set through
// the created inode itself, never through a name a container could swap.

import fs from 'node:fs';
import path from 'node:path';
import { conflict, invalidArgument } from '../errors';
import type { HeldDir } from '../fs/heldDir';
import { readTar, type TarHeader } from '../fs/tarReader';
import { lsetxattr, mknod } from '../native';
import { components, resolveScoped } from './scopedPath';

const O_PATH = 0o10000000;
const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_RDONLY } = fs.constants;

export interface ExtractOptions {
  /** The root paths resolve in: a container's view, or the host destination itself. */
  root: string;
  /** The destination directory, as a path inside `root` ("/" for the root itself). */
  dest: string;
  /** Follow symlinks on an entry's way inside `root` (a container); false refuses them (the host). */
  follow: boolean;
  /** The tar's owners ('archive'), none (the host: files are the user's), or these ids (cp -a as the container's user). */
  owner: 'archive' | 'none' | { uid: number; gid: number };
  /** A directory never replaces a non-directory, nor the other way round (docker cp's rule). */
  noOverwriteDirNonDir: boolean;
  /** Refuse a relative symlink leading out of the destination (the host side, as docker's CLI). */
  refuseEscapingSymlinks: boolean;
}

/** The entry's path below the destination, clean; refused when its name leads out of it. */
function entryParts(name: string): string[] {
  const parts: string[] = [];
  for (const c of components(name)) {
    if (c !== '..') parts.push(c);
    else if (parts.pop() === undefined) throw invalidArgument(`invalid tar: ${JSON.stringify(name)} is outside of the destination`);
  }
  return parts;
}

const typeBits: Record<string, number> = { char: fs.constants.S_IFCHR, block: fs.constants.S_IFBLK, fifo: fs.constants.S_IFIFO };

/** Sets mode, owner and times through the inode just made (a name could be swapped for a symlink meanwhile). */
function finish(dir: HeldDir, name: string, h: TarHeader, opts: ExtractOptions, dirs: Array<() => void>): void {
  const fd = fs.openSync(dir.at(name), O_PATH | O_NOFOLLOW);
  try {
    const self = `/proc/self/fd/${fd}`;
    const st = fs.fstatSync(fd);
    if (opts.owner !== 'none') {
      const { uid, gid } = opts.owner === 'archive' ? h : opts.owner;
      fs.lchownSync(dir.at(name), uid, gid);
    }
    for (const [key, value] of h.xattrs) lsetxattr(dir.at(name), key, value);
    if (st.isSymbolicLink()) {
      fs.lutimesSync(dir.at(name), h.mtime, h.mtime);
      return;
    }
    fs.chmodSync(self, h.mode & 0o7777);
    // A directory's time is set once its entries are written (they change it).
    if (st.isDirectory()) {
      const times = fs.openSync(self, O_RDONLY | fs.constants.O_DIRECTORY);
      dirs.push(() => {
        fs.futimesSync(times, h.mtime, h.mtime);
        fs.closeSync(times);
      });
    } else fs.utimesSync(self, h.mtime, h.mtime);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes room for the entry: what is there goes, unless a directory and a non-directory would swap. */
function clear(dir: HeldDir, name: string, h: TarHeader, shown: string, opts: ExtractOptions): 'keep' | 'made' {
  const st = dir.lstat(name);
  if (st === null) return 'made';
  if (h.type === 'dir' && st.isDirectory()) return 'keep';
  if (opts.noOverwriteDirNonDir && st.isDirectory() !== (h.type === 'dir')) {
    throw conflict(
      st.isDirectory() ? `cannot overwrite directory "${shown}" with non-directory "${h.name}"` : `cannot overwrite non-directory "${shown}" with directory "${h.name}"`,
    );
  }
  fs.rmSync(dir.at(name), { recursive: true, force: true });
  return 'made';
}

async function writeFile(dir: HeldDir, name: string, body: AsyncIterable<Buffer>): Promise<void> {
  const fd = fs.openSync(dir.at(name), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
  try {
    for await (const chunk of body) fs.writeSync(fd, chunk);
  } finally {
    fs.closeSync(fd);
  }
}

/** Extracts `input` (a tar stream); resolves to the entries refused along the way (invalid symlinks). */
export async function extractTar(input: AsyncIterable<Buffer>, opts: ExtractOptions): Promise<string[]> {
  const refused: string[] = [];
  const dirTimes: Array<() => void> = [];
  const destParts = components(opts.dest);
  for await (const { header: h, body } of readTar(input)) {
    const parts = entryParts(h.name);
    if (parts.length === 0) continue; // the destination itself
    const where = resolveScoped(opts.root, '/' + [...destParts, ...parts].join('/'), { followFinal: false, follow: opts.follow, create: true });
    try {
      const dir = where.dirs[where.dirs.length - 1]!;
      const name = where.name;
      const shown = where.path;
      if (h.type === 'symlink' && opts.refuseEscapingSymlinks && !h.linkname.startsWith('/') && escapes(parts.slice(0, -1), h.linkname)) {
        refused.push(`invalid symlink "${path.posix.join(opts.root, opts.dest, ...parts)}" -> "${h.linkname}"`);
        continue;
      }
      const state = clear(dir, name, h, shown, opts);
      if (h.type === 'dir') {
        if (state === 'made') fs.mkdirSync(dir.at(name), { mode: 0o700 });
      } else if (h.type === 'file') await writeFile(dir, name, body);
      else if (h.type === 'symlink') fs.symlinkSync(h.linkname, dir.at(name));
      else if (h.type === 'link') {
        const notHere = invalidArgument(`invalid tar: hard link ${JSON.stringify(h.name)} to ${JSON.stringify(h.linkname)}, which is not a file here`);
        const linkParts = entryParts(h.linkname);
        let source;
        try {
          source = resolveScoped(opts.root, '/' + [...destParts, ...linkParts].join('/'), { followFinal: false, follow: opts.follow });
        } catch {
          throw notHere;
        }
        try {
          const from = source.dirs[source.dirs.length - 1]!;
          const target = from.lstat(source.name);
          if (target === null || target.isDirectory()) throw notHere;
          fs.linkSync(from.at(source.name), dir.at(name));
        } finally {
          source.release();
        }
        continue; // a hard link shares its target's inode: nothing more to set
      } else mknod(dir.at(name), typeBits[h.type]! | (h.mode & 0o7777), h.devmajor, h.devminor);
      finish(dir, name, h, opts, dirTimes);
    } finally {
      where.release();
    }
  }
  for (const setTime of dirTimes.reverse()) setTime();
  return refused;
}

/** Whether a relative symlink in `dirParts` (below the destination) points above the destination. */
function escapes(dirParts: string[], target: string): boolean {
  let depth = dirParts.length;
  for (const c of target.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') depth--;
    else depth++;
    if (depth < 0) return true;
  }
  return false;
}
