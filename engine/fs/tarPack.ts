// Writes layer tars the way Docker's overlay2 driver does for commit and
// save, flat tars the way `docker export` does, and one entry's tar the
// way `docker cp` does. Output is deterministic:
// names in byte order, whole-second mtimes, no user or group names, so the
// same directory always gives the same DiffID.

import fs from 'node:fs';
import { Readable } from 'node:stream';
import { conflict } from '../errors';
import { lgetxattr, llistxattr } from '../native';
import { deviceNumbers } from './deviceNumbers';
import { HeldDir } from './heldDir';
import { isOverlayXattr, isWhiteout, tarOpaqueMarker, tarWhiteoutPrefix } from './overlayFormat';
import { endOfArchive, encodeHeader, paddingFor, type TarWriteHeader } from './tarWriter';
import { HeldMergedDir } from './union';

/**
 * A layer tar of a layer dir or a container's upper dir. In each directory,
 * whiteouts come first as `.wh.<name>` entries, then the other entries; an
 * opaque directory's `.wh..wh..opq` follows the directory's own entry.
 * The dir is read through held directories (heldDir.ts): a running
 * container cannot swap a directory for a symlink under the reader.
 */
export function packLayer(dir: string, tally: LayerTally = { entries: 0 }): Readable {
  return Readable.from(layerTar(dir, tally), { objectMode: false });
}

/** What a layer tar holds, counted as it is written (commit shows it). */
export interface LayerTally {
  /** Entries written: files, directories, links, whiteouts and opaque markers. */
  entries: number;
}

/**
 * The merged view of a stack of layer dirs (top first) as one flat tar, as
 * `docker export` writes a container: each path from the topmost layer
 * providing it, deleted and hidden entries left out, no whiteouts.
 */
export function packTree(dirs: string[]): Readable {
  return Readable.from(treeTar(dirs), { objectMode: false });
}

async function* layerTar(root: string, tally: LayerTally): AsyncGenerator<Buffer> {
  const dir = HeldDir.open(root);
  try {
    yield* layerDir(new EntryWriter(root), dir, '', tally);
  } finally {
    dir.close();
  }
  yield endOfArchive;
}

async function* layerDir(writer: EntryWriter, dir: HeldDir, prefix: string, tally: LayerTally): AsyncGenerator<Buffer> {
  const children: Array<{ name: string; stats: fs.Stats }> = [];
  for (const name of dir.names()) {
    const stats = dir.lstat(name);
    if (stats === null) continue; // removed since the listing
    if (!isWhiteout(stats)) {
      children.push({ name, stats });
      continue;
    }
    // Docker writes a whiteout as an empty 0600 file that keeps the device's owner and time.
    tally.entries++;
    yield encodeHeader({
      name: `${prefix}${tarWhiteoutPrefix}${name}`,
      type: 'file',
      mode: 0o600,
      uid: stats.uid,
      gid: stats.gid,
      size: 0,
      mtime: seconds(stats),
    });
  }
  for (const { name, stats } of children) {
    if (!stats.isDirectory()) {
      if (!stats.isSocket()) tally.entries++;
      yield* writer.entry(`${prefix}${name}`, dir, name, stats);
      continue;
    }
    const child = dir.dir(name);
    if (child === null) continue; // no longer a directory: left out, as Docker leaves out what it cannot stat
    try {
      const own = child.stat();
      tally.entries++;
      yield* writer.dir(`${prefix}${name}`, dir, name, own);
      if (dir.isOpaque(name)) {
        tally.entries++;
        // As Docker writes it: the directory's permission bits and owner, no time.
        yield encodeHeader({
          name: `${prefix}${name}/${tarOpaqueMarker}`,
          type: 'file',
          mode: own.mode & 0o777,
          uid: own.uid,
          gid: own.gid,
          size: 0,
          mtime: 0,
        });
      }
      yield* layerDir(writer, child, `${prefix}${name}/`, tally);
    } finally {
      child.close();
    }
  }
}

async function* treeTar(dirs: string[]): AsyncGenerator<Buffer> {
  if (dirs.length > 0) {
    const root = HeldMergedDir.root(dirs);
    try {
      yield* treeDir(new EntryWriter(dirs[0]!), root, '');
    } finally {
      root.close();
    }
  }
  yield endOfArchive;
}

async function* treeDir(writer: EntryWriter, dir: HeldMergedDir, prefix: string): AsyncGenerator<Buffer> {
  for (const [name, node] of dir.children().children) {
    const holder = dir.copy(node.layer);
    if (!node.dir) {
      yield* writer.entry(`${prefix}${name}`, holder, name, node.stats);
      continue;
    }
    const child = dir.openChild(node);
    if (child === null) continue; // no longer a directory
    try {
      yield* writer.dir(`${prefix}${name}`, holder, name, child.copy(node.layer).stat());
      yield* treeDir(writer, child, `${prefix}${name}/`);
    } finally {
      child.close();
    }
  }
}

/**
 * One entry of a held directory as a tar, for `cp`: a file, a link, or a
 * directory and all it holds, named from `archiveName` ("d", "d/f"...; "/"
 * for a root: "/", "/bin"...). `name` '' is the held directory itself.
 * Nothing is a whiteout here: a mounted view has none.
 */
export async function* entryTar(parent: HeldDir, name: string, archiveName: string): AsyncGenerator<Buffer> {
  const writer = new EntryWriter(parent.path);
  const dirName = archiveName === '/' ? '' : archiveName.replace(/\/$/, '');
  if (name === '') {
    const own = parent.stat();
    yield encodeHeader({ name: `${dirName}/`, type: 'dir', mode: own.mode, uid: own.uid, gid: own.gid, size: 0, mtime: seconds(own) });
    yield* plainDir(writer, parent, `${dirName}/`);
  } else {
    const stats = parent.lstat(name);
    if (stats !== null && !stats.isDirectory()) yield* writer.entry(archiveName, parent, name, stats);
    const dir = stats?.isDirectory() ? parent.dir(name) : null;
    if (dir !== null) {
      try {
        yield* writer.dir(dirName, parent, name, dir.stat());
        yield* plainDir(writer, dir, `${dirName}/`);
      } finally {
        dir.close();
      }
    }
  }
  yield endOfArchive;
}

async function* plainDir(writer: EntryWriter, dir: HeldDir, prefix: string): AsyncGenerator<Buffer> {
  for (const name of dir.names()) {
    const stats = dir.lstat(name);
    if (stats === null) continue; // removed since the listing
    if (!stats.isDirectory()) {
      yield* writer.entry(`${prefix}${name}`, dir, name, stats);
      continue;
    }
    const child = dir.dir(name);
    if (child === null) continue; // no longer a directory
    try {
      yield* writer.dir(`${prefix}${name}`, dir, name, child.stat());
      yield* plainDir(writer, child, `${prefix}${name}/`);
    } finally {
      child.close();
    }
  }
}

/**
 * Writes one entry, described by what was opened rather than by an earlier
 * listing; the second name of an inode becomes a hard link to the first.
 * An entry that is no longer what it was listed as is left out.
 */
class EntryWriter {
  private readonly inodes = new Map<string, string>();

  constructor(private readonly root: string) {}

  /** A directory: `stats` are the held directory's own. */
  *dir(name: string, parent: HeldDir, entry: string, stats: fs.Stats): Generator<Buffer> {
    yield encodeHeader({ ...this.header(`${name}/`, parent, entry, stats), type: 'dir' });
  }

  *entry(name: string, parent: HeldDir, entry: string, stats: fs.Stats): Generator<Buffer> {
    // Sockets have no tar form: Docker skips them too.
    if (stats.isSocket()) return;
    if (stats.isFile()) {
      const file = parent.openFile(entry);
      if (file === null) return;
      try {
        const header = this.header(name, parent, entry, file.stats);
        if (this.linked(header, file.stats)) {
          yield encodeHeader(header);
          return;
        }
        yield encodeHeader({ ...header, size: file.stats.size });
        yield* this.content(file.fd, name, file.stats.size);
        yield paddingFor(file.stats.size);
      } finally {
        fs.closeSync(file.fd);
      }
      return;
    }
    const header = this.header(name, parent, entry, stats);
    if (this.linked(header, stats)) {
      yield encodeHeader(header);
    } else if (stats.isSymbolicLink()) {
      const target = parent.readlink(entry);
      if (target !== null) yield encodeHeader({ ...header, type: 'symlink', linkname: target });
    } else if (stats.isCharacterDevice() || stats.isBlockDevice()) {
      const type = stats.isCharacterDevice() ? 'char' : 'block';
      const { major, minor } = deviceNumbers(stats.rdev);
      yield encodeHeader({ ...header, type, devmajor: major, devminor: minor });
    } else if (stats.isFIFO()) {
      yield encodeHeader({ ...header, type: 'fifo' });
    }
  }

  private header(name: string, parent: HeldDir, entry: string, stats: fs.Stats): TarWriteHeader {
    return {
      name,
      type: 'file',
      mode: stats.mode,
      uid: stats.uid,
      gid: stats.gid,
      size: 0,
      mtime: seconds(stats),
      xattrs: portableXattrs(parent.at(entry)),
    };
  }

  /** Makes `header` a hard link when an earlier entry was the same inode. */
  private linked(header: TarWriteHeader, stats: fs.Stats): boolean {
    if (stats.isDirectory() || stats.nlink <= 1) return false;
    const key = `${stats.dev}:${stats.ino}`;
    const first = this.inodes.get(key);
    if (first === undefined) {
      this.inodes.set(key, header.name);
      return false;
    }
    Object.assign(header, { type: 'link', linkname: first });
    return true;
  }

  /**
   * Exactly `size` bytes of the file: a file that changes meanwhile would
   * corrupt the tar. Synchronous reads, one chunk each time the consumer
   * asks: several times faster than a promise per read on small files.
   */
  private *content(fd: number, name: string, size: number): Generator<Buffer> {
    const changed = () => conflict(`cannot pack ${this.root}: ${name} changed while it was being read`);
    for (let done = 0; done < size; ) {
      const buf = Buffer.allocUnsafe(Math.min(size - done, 1 << 18));
      const read = fs.readSync(fd, buf, 0, buf.length, done);
      if (read === 0) throw changed();
      done += read;
      yield buf.subarray(0, read);
    }
    if (fs.readSync(fd, Buffer.alloc(1), 0, 1, size) > 0) throw changed();
  }
}

/**
 * The attributes a layer carries. Not overlay's own (they describe this
 * host's layer dirs), not security.selinux (a label of this host, which
 * Docker leaves out as well). A file capability is written as version 2,
 * as Docker does: a version 3 one names a root uid of this host's user
 * namespace, meaningless elsewhere.
 */
function portableXattrs(file: string): Array<[string, Buffer]> {
  const xattrs: Array<[string, Buffer]> = [];
  for (const name of llistxattr(file).sort()) {
    if (isOverlayXattr(name) || name === 'security.selinux') continue;
    let value = lgetxattr(file, name);
    if (value === null) continue;
    if (name === 'security.capability' && value.length > 20 && value[3] === 3) {
      value = Buffer.from(value.subarray(0, 20));
      value[3] = 2;
    }
    xattrs.push([name, value]);
  }
  return xattrs;
}

function seconds(stats: fs.Stats): number {
  return Math.floor(stats.mtimeMs / 1000);
}
