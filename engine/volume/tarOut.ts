// One entry of a directory tree (a file, a link, or a directory and all it
// holds) as a tar, the way `docker cp` archives it: names start with the
// entry's base name (or one given instead), directories end in '/', a file
// met again through another hard link is a link entry, sockets are left out,
// owners, modes, times and extended attributes travel. Every directory is
// held while read (fs/heldDir.ts) and every file is opened only once it is
// known to be a regular file, so a running container cannot swap a host
// path in under the reader.

import fs from 'node:fs';
import { HeldDir } from '../fs/heldDir';
import { isOverlayXattr } from '../fs/overlayFormat';
import { encodeHeader, endOfArchive, paddingFor, type TarWriteHeader } from '../fs/tarWriter';
import { lgetxattr, llistxattr } from '../native';

interface Walk {
  /** Inode -> the archive name it was first written under. */
  links: Map<string, string>;
}

function xattrsOf(file: string): [string, Buffer][] {
  const out: [string, Buffer][] = [];
  for (const name of llistxattr(file)) {
    if (isOverlayXattr(name)) continue;
    const value = lgetxattr(file, name);
    if (value !== null) out.push([name, value]);
  }
  return out;
}

function header(name: string, st: fs.Stats, extra: Partial<TarWriteHeader>, xattrs: [string, Buffer][]): TarWriteHeader {
  return { name, mode: st.mode, uid: st.uid, gid: st.gid, size: 0, mtime: Math.floor(st.mtimeMs / 1000), type: 'file', xattrs, ...extra };
}

async function* entry(parent: HeldDir, name: string, archiveName: string, walk: Walk): AsyncGenerator<Buffer> {
  const st = parent.lstat(name);
  if (st === null || st.isSocket()) return; // gone meanwhile, or a socket: not archived, as Docker's
  const xattrs = xattrsOf(parent.at(name));
  const inode = `${st.dev}:${st.ino}`;
  if (!st.isDirectory() && st.nlink > 1 && walk.links.has(inode)) {
    yield encodeHeader(header(archiveName, st, { type: 'link', linkname: walk.links.get(inode)! }, []));
    return;
  }
  if (!st.isDirectory() && st.nlink > 1) walk.links.set(inode, archiveName);
  if (st.isDirectory()) {
    const dir = parent.dir(name);
    if (dir === null) return;
    try {
      yield* directory(dir, archiveName, xattrs, walk);
    } finally {
      dir.close();
    }
  } else if (st.isSymbolicLink()) {
    const target = parent.readlink(name);
    if (target !== null) yield encodeHeader(header(archiveName, st, { type: 'symlink', linkname: target }, xattrs));
  } else if (st.isFile()) {
    const file = parent.openFile(name);
    if (file === null) return;
    try {
      // What the file is now, opened: its size is what the header promises.
      yield encodeHeader(header(archiveName, file.stats, { type: 'file', size: file.stats.size }, xattrs));
      yield* fileBody(file.fd, file.stats.size);
    } finally {
      fs.closeSync(file.fd);
    }
  } else {
    const type = st.isCharacterDevice() ? 'char' : st.isBlockDevice() ? 'block' : 'fifo';
    const devmajor = Math.floor(st.rdev / 256) & 0xfff;
    const devminor = (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00);
    yield encodeHeader(header(archiveName, st, { type, devmajor, devminor }, xattrs));
  }
}

async function* directory(dir: HeldDir, archiveName: string, xattrs: [string, Buffer][], walk: Walk): AsyncGenerator<Buffer> {
  yield encodeHeader(header(archiveName.endsWith('/') ? archiveName : `${archiveName}/`, dir.stat(), { type: 'dir' }, xattrs));
  const prefix = archiveName.endsWith('/') ? archiveName : `${archiveName}/`;
  for (const child of dir.names()) yield* entry(dir, child, `${prefix}${child}`, walk);
}

/** Exactly `size` bytes: a file that shrank meanwhile is padded with zeros, one that grew is cut. */
async function* fileBody(fd: number, size: number): AsyncGenerator<Buffer> {
  let done = 0;
  while (done < size) {
    const buf = Buffer.alloc(Math.min(1 << 20, size - done));
    const n = await new Promise<number>((resolve, reject) => fs.read(fd, buf, 0, buf.length, done, (err, read) => (err ? reject(err) : resolve(read))));
    if (n === 0) {
      yield Buffer.alloc(size - done);
      done = size;
      break;
    }
    yield n === buf.length ? buf : buf.subarray(0, n);
    done += n;
  }
  yield paddingFor(size);
}

/**
 * The tar of `name` in the held directory `parent` (of `parent` itself when
 * `name` is ''), its entries named from `archiveName` ("/" for a root, as Docker names it).
 */
export async function* packEntry(parent: HeldDir, name: string, archiveName: string): AsyncGenerator<Buffer> {
  const walk: Walk = { links: new Map() };
  if (name === '') yield* directory(parent, archiveName, [], walk);
  else yield* entry(parent, name, archiveName, walk);
  yield endOfArchive;
}
