// Writes layer tars the way Docker's overlay2 driver does for commit and
// save, and flat tars the way `docker export` does. Output is deterministic:
// names in byte order, whole-second mtimes, no user or group names, so the
// same directory always gives the same DiffID.

import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { conflict } from '../errors';
import { lgetxattr, llistxattr } from '../native';
import { readNames } from './dirNames';
import { isOpaqueDir, isOverlayXattr, isWhiteout, tarOpaqueMarker, tarWhiteoutPrefix } from './overlayFormat';
import { endOfArchive, encodeHeader, paddingFor, type TarWriteHeader } from './tarWriter';
import { mergedChildren, unionRoot, type MergedDir } from './union';

/**
 * A layer tar of a layer dir or a container's upper dir. In each directory,
 * whiteouts come first as `.wh.<name>` entries, then the other entries; an
 * opaque directory's `.wh..wh..opq` follows the directory's own entry.
 */
export function packLayer(dir: string): Readable {
  return Readable.from(layerTar(dir), { objectMode: false });
}

/**
 * The merged view of a stack of layer dirs (top first) as one flat tar, as
 * `docker export` writes a container: each path from the topmost layer
 * providing it, deleted and hidden entries left out, no whiteouts.
 */
export function packTree(dirs: string[]): Readable {
  return Readable.from(treeTar(dirs), { objectMode: false });
}

async function* layerTar(root: string): AsyncGenerator<Buffer> {
  const writer = new EntryWriter(root);
  yield* layerDir(writer, root, '');
  yield endOfArchive;
}

async function* layerDir(writer: EntryWriter, dir: string, prefix: string): AsyncGenerator<Buffer> {
  const children: Array<{ name: string; file: string; stats: fs.Stats }> = [];
  for (const name of await readNames(dir)) {
    const file = path.join(dir, name);
    const stats = await fs.promises.lstat(file);
    if (!isWhiteout(stats)) {
      children.push({ name, file, stats });
      continue;
    }
    // Docker writes a whiteout as an empty 0600 file that keeps the device's owner and time.
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
  for (const { name, file, stats } of children) {
    yield* writer.entry(`${prefix}${name}`, file, stats);
    if (!stats.isDirectory()) continue;
    if (isOpaqueDir(file)) {
      // As Docker writes it: the directory's permission bits and owner, no time.
      yield encodeHeader({
        name: `${prefix}${name}/${tarOpaqueMarker}`,
        type: 'file',
        mode: stats.mode & 0o777,
        uid: stats.uid,
        gid: stats.gid,
        size: 0,
        mtime: 0,
      });
    }
    yield* layerDir(writer, file, `${prefix}${name}/`);
  }
}

async function* treeTar(dirs: string[]): AsyncGenerator<Buffer> {
  if (dirs.length > 0) yield* treeDir(new EntryWriter(dirs[0]!), dirs, unionRoot(dirs), '');
  yield endOfArchive;
}

async function* treeDir(writer: EntryWriter, dirs: string[], dir: MergedDir, prefix: string): AsyncGenerator<Buffer> {
  for (const [name, node] of mergedChildren(dirs, dir).children) {
    yield* writer.entry(`${prefix}${name}`, node.hostPath, node.stats);
    if (node.dir) yield* treeDir(writer, dirs, node.dir, `${prefix}${name}/`);
  }
}

/** Writes one entry with its data; the second name of an inode becomes a hard link to the first. */
class EntryWriter {
  private readonly inodes = new Map<string, string>();

  constructor(private readonly root: string) {}

  async *entry(name: string, file: string, stats: fs.Stats): AsyncGenerator<Buffer> {
    // Sockets have no tar form: Docker skips them too.
    if (stats.isSocket()) return;
    const header: TarWriteHeader = {
      name: stats.isDirectory() ? `${name}/` : name,
      type: 'file',
      mode: stats.mode,
      uid: stats.uid,
      gid: stats.gid,
      size: 0,
      mtime: seconds(stats),
      xattrs: portableXattrs(file),
    };
    if (!stats.isDirectory() && stats.nlink > 1) {
      const key = `${stats.dev}:${stats.ino}`;
      const first = this.inodes.get(key);
      if (first !== undefined) {
        yield encodeHeader({ ...header, type: 'link', linkname: first });
        return;
      }
      this.inodes.set(key, name);
    }
    if (stats.isFile()) {
      yield encodeHeader({ ...header, size: stats.size });
      yield* this.content(file, name, stats.size);
      yield paddingFor(stats.size);
    } else if (stats.isDirectory()) {
      yield encodeHeader({ ...header, type: 'dir' });
    } else if (stats.isSymbolicLink()) {
      yield encodeHeader({ ...header, type: 'symlink', linkname: await fs.promises.readlink(file) });
    } else if (stats.isCharacterDevice() || stats.isBlockDevice()) {
      const type = stats.isCharacterDevice() ? 'char' : 'block';
      yield encodeHeader({ ...header, type, devmajor: major(stats.rdev), devminor: minor(stats.rdev) });
    } else if (stats.isFIFO()) {
      yield encodeHeader({ ...header, type: 'fifo' });
    }
  }

  /**
   * Exactly `size` bytes of the file: a file that changes meanwhile would
   * corrupt the tar. Synchronous reads, one chunk each time the consumer
   * asks: several times faster than a promise per read on small files.
   */
  private *content(file: string, name: string, size: number): Generator<Buffer> {
    const changed = () => conflict(`cannot pack ${this.root}: ${name} changed while it was being read`);
    const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    try {
      for (let done = 0; done < size; ) {
        const buf = Buffer.allocUnsafe(Math.min(size - done, 1 << 18));
        const read = fs.readSync(fd, buf, 0, buf.length, done);
        if (read === 0) throw changed();
        done += read;
        yield buf.subarray(0, read);
      }
      if (fs.readSync(fd, Buffer.alloc(1), 0, 1, size) > 0) throw changed();
    } finally {
      fs.closeSync(fd);
    }
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

/** Linux's dev_t encoding (see sys/sysmacros.h), on numbers below 2^53. */
function major(dev: number): number {
  return ((Math.floor(dev / 2 ** 8) & 0xfff) | (Math.floor(dev / 2 ** 32) & ~0xfff)) >>> 0;
}

function minor(dev: number): number {
  return ((dev & 0xff) | (Math.floor(dev / 2 ** 12) & ~0xff)) >>> 0;
}
