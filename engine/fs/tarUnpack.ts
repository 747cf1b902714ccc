// Unpacks a layer tar into a layer dir the way Docker's overlay2 applier
// does: `.wh.<name>` becomes a whiteout device, `<dir>/.wh..wh..opq` the
// opaque attribute, and every entry keeps its type, mode, owner, times and
// extended attributes. The tar is hostile input: anything that would land
// outside the layer dir is refused with one clear line, and the layer dir
// is left for the caller to delete.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { invalidArgument } from '../errors';
import { lsetxattr, mknod } from '../native';
import { decompressed } from './decompress';
import { LayerRoot, entryComponents, lstatOrNull } from './layerRoot';
import { isOverlayXattr, makeWhiteout, markOpaque, tarOpaqueMarker, tarWhiteoutPrefix } from './overlayFormat';
import { readTar, shown, type TarEntry, type TarHeader } from './tarReader';

export interface UnpackOptions {
  /** False refuses character and block devices (build contexts); images carry them, so true by default. */
  allowDevices?: boolean;
}

export interface UnpackResult {
  /** sha256 of the uncompressed tar, every byte of it: "sha256:<hex>". */
  diffId: string;
  /** Bytes of the regular files the layer dir ends up with, each inode once. */
  size: number;
}

/** Unpacks a (possibly compressed) layer tar into `dest`, an existing empty directory. */
export async function unpackLayer(
  input: NodeJS.ReadableStream | Readable,
  dest: string,
  opts: UnpackOptions = {},
): Promise<UnpackResult> {
  const source = input instanceof Readable ? input : new Readable().wrap(input);
  const hash = createHash('sha256');
  async function* hashed(): AsyncGenerator<Buffer> {
    for await (const chunk of decompressed(source)) {
      hash.update(chunk);
      yield chunk;
    }
  }
  const layer = new LayerApplier(dest, opts.allowDevices ?? true);
  try {
    for await (const entry of readTar(hashed())) await layer.apply(entry);
  } finally {
    source.destroy();
  }
  layer.finish();
  return { diffId: `sha256:${hash.digest('hex')}`, size: layer.size() };
}

const S_IFCHR = 0o020000;
const S_IFBLK = 0o060000;
const S_IFIFO = 0o010000;
const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;

/** Go's limit for times (Docker's boundTime): outside [epoch, year 2262] means the epoch. */
const MAX_TIME = 9223372036;

class LayerApplier {
  private readonly root: LayerRoot;
  /** Directory mtimes, set last: creating entries inside would change them. */
  private readonly dirTimes = new Map<string, number>();
  /** Regular files by relative path, with their inode, for the layer's size. */
  private readonly files = new Map<string, { ino: number; size: number }>();

  constructor(
    dest: string,
    private readonly allowDevices: boolean,
  ) {
    this.root = new LayerRoot(dest);
  }

  async apply({ header: h, body }: TarEntry): Promise<void> {
    const parts = entryComponents(h.name);
    // The layer root itself: Docker applies nothing from it.
    if (parts.length === 0) return;
    // AUFS metadata (.wh..wh.plnk, ...) at the top: Docker skips it.
    if (parts[0]!.startsWith('.wh..wh.') && parts.join('/') !== tarOpaqueMarker) return;
    for (const part of parts.slice(0, -1)) {
      if (part.startsWith(tarWhiteoutPrefix)) throw refuse(h, 'a whiteout name cannot be a directory');
    }
    const base = parts[parts.length - 1]!;
    const target = this.root.hostPath(parts, h.name);
    this.root.ensureParents(parts, h.name);

    if (base === tarOpaqueMarker) {
      markOpaque(this.root.hostPath(parts.slice(0, -1), h.name));
      return;
    }
    if (base.startsWith(tarWhiteoutPrefix)) {
      this.whiteout(parts, h);
      return;
    }

    const rel = parts.join('/');
    // A later entry replaces an earlier one, except that directories merge.
    const existing = lstatOrNull(target);
    const merge = existing !== null && existing.isDirectory() && h.type === 'dir';
    if (existing && !merge) this.remove(rel, target, existing);

    switch (h.type) {
      case 'file': {
        const fd = fs.openSync(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
        try {
          for await (const chunk of body) writeAll(fd, chunk);
          this.files.set(rel, { ino: fs.fstatSync(fd).ino, size: h.size });
        } finally {
          fs.closeSync(fd);
        }
        this.setMetadata(target, h, true);
        break;
      }
      case 'dir':
        if (!merge) fs.mkdirSync(target, 0o700);
        this.root.knowDir(rel);
        this.setMetadata(target, h, true, false);
        this.dirTimes.set(rel, h.mtime);
        break;
      case 'symlink':
        // Stored as written, whatever it points at: the engine never follows it.
        if (h.linkname === '') throw refuse(h, 'symlink with an empty target');
        fs.symlinkSync(h.linkname, target);
        this.setMetadata(target, h, false);
        break;
      case 'link':
        this.hardLink(rel, target, h);
        break;
      case 'char':
      case 'block':
        if (!this.allowDevices) throw refuse(h, 'device nodes are not allowed here');
        mknod(target, (h.type === 'char' ? S_IFCHR : S_IFBLK) | h.mode, h.devmajor, h.devminor);
        this.setMetadata(target, h, true);
        break;
      case 'fifo':
        mknod(target, S_IFIFO | h.mode, 0, 0);
        this.setMetadata(target, h, true);
        break;
    }
  }

  /** Directory times, once every entry is in place. */
  finish(): void {
    for (const [rel, mtime] of this.dirTimes) {
      const time = boundTime(mtime);
      fs.lutimesSync(this.root.hostPath(rel.split('/'), rel), time, time);
    }
  }

  size(): number {
    const byInode = new Map<number, number>();
    for (const { ino, size } of this.files.values()) byInode.set(ino, size);
    let total = 0;
    for (const size of byInode.values()) total += size;
    return total;
  }

  private whiteout(parts: string[], h: TarHeader): void {
    const name = parts[parts.length - 1]!.slice(tarWhiteoutPrefix.length);
    if (name === '' || name === '.' || name === '..') throw refuse(h, 'whiteout without a name');
    const deleted = [...parts.slice(0, -1), name];
    const target = this.root.hostPath(deleted, h.name);
    const existing = lstatOrNull(target);
    if (existing) this.remove(deleted.join('/'), target, existing);
    makeWhiteout(target);
    fs.lchownSync(target, h.uid, h.gid);
    const time = boundTime(h.mtime);
    fs.lutimesSync(target, time, time);
  }

  /**
   * A hard link must name an entry already in this layer, reached without
   * going through a symlink. The inode keeps the metadata of its first
   * entry, as tar does: a chown here would also clear file capabilities.
   */
  private hardLink(rel: string, target: string, h: TarHeader): void {
    const refuseLink = (why: string) =>
      invalidArgument(`invalid tar entry: hard link ${shown(h.name)} -> ${shown(h.linkname)}: ${why}`);
    let linkParts: string[];
    try {
      linkParts = entryComponents(h.linkname);
    } catch {
      throw refuseLink('target escapes the layer');
    }
    if (linkParts.length === 0) throw refuseLink('target is a directory');
    const source = this.root.hostPath(linkParts, h.linkname);
    const stats = this.root.existing(linkParts, refuseLink);
    if (stats === null) throw refuseLink('target does not exist');
    if (stats.isDirectory()) throw refuseLink('target is a directory');
    fs.linkSync(source, target);
    const file = this.files.get(linkParts.join('/'));
    if (file) this.files.set(rel, file);
  }

  /** Ownership, extended attributes, then mode (chown clears setuid bits and capabilities), then times. */
  private setMetadata(target: string, h: TarHeader, chmod: boolean, times = true): void {
    fs.lchownSync(target, h.uid, h.gid);
    for (const [name, value] of h.xattrs) {
      // overlay's own attributes are the engine's to set, never a tar's.
      if (!isOverlayXattr(name)) lsetxattr(target, name, value);
    }
    if (chmod) fs.chmodSync(target, h.mode);
    if (times) {
      const time = boundTime(h.mtime);
      fs.lutimesSync(target, time, time);
    }
  }

  private remove(rel: string, target: string, existing: fs.Stats): void {
    fs.rmSync(target, { recursive: true, force: true });
    this.files.delete(rel);
    this.dirTimes.delete(rel);
    if (existing.isDirectory()) {
      this.root.forget(rel);
      const below = `${rel}/`;
      for (const key of this.files.keys()) if (key.startsWith(below)) this.files.delete(key);
      for (const key of this.dirTimes.keys()) if (key.startsWith(below)) this.dirTimes.delete(key);
    }
  }
}

function refuse(h: TarHeader, why: string): Error {
  return invalidArgument(`invalid tar entry: ${shown(h.name)}: ${why}`);
}

function writeAll(fd: number, chunk: Buffer): void {
  for (let off = 0; off < chunk.length; ) off += fs.writeSync(fd, chunk, off);
}

function boundTime(t: number): number {
  return t < 0 || t > MAX_TIME ? 0 : t;
}
