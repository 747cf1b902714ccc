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
import { LayerRoot, entryComponents, type LayerDir, type LayerNode } from './layerRoot';
import { isOverlayXattr, makeWhiteout, markOpaque, tarOpaqueMarker, tarWhiteoutPrefix } from './overlayFormat';
import { readTar, shown, type TarEntry, type TarHeader, type TarObserver } from './tarReader';

export interface UnpackOptions {
  /** False refuses character and block devices (build contexts); images carry them, so true by default. */
  allowDevices?: boolean;
  /** Sees the tar's framing as it is read (the tar-split record). */
  observer?: TarObserver;
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
  // LayerRoot knows what is in the dir only because it starts empty.
  if (fs.readdirSync(dest).length > 0) throw new Error(`unpackLayer: ${dest} is not empty`);
  const layer = new LayerApplier(dest, opts.allowDevices ?? true);
  try {
    for await (const entry of readTar(hashed(), opts.observer)) await layer.apply(entry);
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

/**
 * Applies entries in order, with the system calls GNU tar makes and no
 * more: what is already in the layer dir is known from LayerRoot, and a
 * regular file's owner, mode and times are set through its descriptor.
 */
class LayerApplier {
  private readonly root: LayerRoot;

  constructor(
    dest: string,
    private readonly allowDevices: boolean,
  ) {
    this.root = new LayerRoot(dest);
  }

  async apply({ header: h, body, takeWhole }: TarEntry): Promise<void> {
    const parts = entryComponents(h.name);
    // The layer root itself: Docker applies nothing from it.
    if (parts.length === 0) return;
    // AUFS metadata (.wh..wh.plnk, ...) at the top: Docker skips it.
    if (parts[0]!.startsWith('.wh..wh.') && (parts.length > 1 || parts[0] !== tarOpaqueMarker)) return;
    for (let i = 0; i < parts.length - 1; i++) {
      if (parts[i]!.startsWith(tarWhiteoutPrefix)) throw refuse(h, 'a whiteout name cannot be a directory');
    }
    const base = parts[parts.length - 1]!;
    const target = this.root.hostPath(parts, h.name);
    const parent = this.root.parentOf(parts, h.name);

    if (base === tarOpaqueMarker) {
      markOpaque(target.slice(0, target.length - base.length - 1));
      return;
    }
    if (base.startsWith(tarWhiteoutPrefix)) {
      this.whiteout(parent, target, base, h);
      return;
    }

    // A later entry replaces an earlier one, except that directories merge.
    const existing = parent.children.get(base);
    if (existing && (existing.kind !== 'dir' || h.type !== 'dir')) remove(parent, base, target, existing);

    switch (h.type) {
      case 'file': {
        const fd = fs.openSync(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
        try {
          const whole = takeWhole();
          if (whole) writeAll(fd, whole);
          else for await (const chunk of body) writeAll(fd, chunk);
          // Owner, attributes, then mode (chown clears setuid bits and capabilities), then times.
          fs.fchownSync(fd, h.uid, h.gid);
          setXattrs(target, h);
          fs.fchmodSync(fd, h.mode);
          const time = boundTime(h.mtime);
          fs.futimesSync(fd, time, time);
        } finally {
          fs.closeSync(fd);
        }
        parent.children.set(base, { kind: 'file', content: { size: h.size } });
        break;
      }
      case 'dir': {
        let dir = existing?.kind === 'dir' ? existing : undefined;
        if (!dir) {
          fs.mkdirSync(target, 0o700);
          dir = { kind: 'dir', children: new Map() };
          parent.children.set(base, dir);
        }
        // Owner, mode and times once every entry inside is in place (as GNU tar's delayed set-stat):
        // creating entries changes the time, a read-only mode would stop them, and a directory
        // replaced meanwhile costs nothing.
        dir.entry = h;
        break;
      }
      case 'symlink':
        // Stored as written, whatever it points at: the engine never follows it.
        if (h.linkname === '') throw refuse(h, 'symlink with an empty target');
        fs.symlinkSync(h.linkname, target);
        setMetadata(target, h, false);
        parent.children.set(base, { kind: 'symlink' });
        break;
      case 'link':
        parent.children.set(base, this.hardLink(target, h));
        break;
      case 'char':
      case 'block':
        if (!this.allowDevices) throw refuse(h, 'device nodes are not allowed here');
        mknod(target, (h.type === 'char' ? S_IFCHR : S_IFBLK) | h.mode, h.devmajor, h.devminor);
        setMetadata(target, h, true);
        parent.children.set(base, { kind: 'other' });
        break;
      case 'fifo':
        mknod(target, S_IFIFO | h.mode, 0, 0);
        setMetadata(target, h, true);
        parent.children.set(base, { kind: 'other' });
        break;
    }
  }

  /** Directories' metadata, once every entry is in place. */
  finish(): void {
    for (const { host, entry } of this.root.enteredDirs()) setMetadata(host, entry, true);
  }

  /** Bytes of the regular files, each content once however many hard links it has. */
  size(): number {
    let total = 0;
    for (const { size } of this.root.contents()) total += size;
    return total;
  }

  private whiteout(parent: LayerDir, target: string, base: string, h: TarHeader): void {
    const name = base.slice(tarWhiteoutPrefix.length);
    if (name === '' || name === '.' || name === '..') throw refuse(h, 'whiteout without a name');
    const deleted = `${target.slice(0, target.length - base.length)}${name}`;
    const existing = parent.children.get(name);
    if (existing) remove(parent, name, deleted, existing);
    makeWhiteout(deleted);
    fs.lchownSync(deleted, h.uid, h.gid);
    const time = boundTime(h.mtime);
    fs.lutimesSync(deleted, time, time);
    parent.children.set(name, { kind: 'other' });
  }

  /**
   * A hard link must name an entry already in this layer, reached without
   * going through a symlink. The inode keeps the metadata of its first
   * entry, as tar does: a chown here would also clear file capabilities.
   */
  private hardLink(target: string, h: TarHeader): LayerNode {
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
    const node = this.root.find(linkParts, refuseLink);
    if (node === undefined) throw refuseLink('target does not exist');
    if (node.kind === 'dir') throw refuseLink('target is a directory');
    fs.linkSync(source, target);
    return node;
  }
}

/** Removes what an entry replaces or a whiteout deletes, and forgets it (a directory with everything below). */
function remove(parent: LayerDir, name: string, target: string, existing: LayerNode): void {
  if (existing.kind === 'dir') removeDir(target, existing);
  else fs.unlinkSync(target);
  parent.children.delete(name);
}

/** A directory the unpacker made, emptied from what it knows is in it (no stat, no listing), then removed. */
function removeDir(host: string, dir: LayerDir): void {
  for (const [name, child] of dir.children) {
    if (child.kind === 'dir') removeDir(`${host}/${name}`, child);
    else fs.unlinkSync(`${host}/${name}`);
  }
  fs.rmdirSync(host);
}

function setXattrs(target: string, h: TarHeader): void {
  for (const [name, value] of h.xattrs) {
    // overlay's own attributes are the engine's to set, never a tar's.
    if (!isOverlayXattr(name)) lsetxattr(target, name, value);
  }
}

/** Ownership, extended attributes, then mode (chown clears setuid bits and capabilities), then times. */
function setMetadata(target: string, h: TarHeader, chmod: boolean): void {
  fs.lchownSync(target, h.uid, h.gid);
  setXattrs(target, h);
  if (chmod) fs.chmodSync(target, h.mode);
  const time = boundTime(h.mtime);
  fs.lutimesSync(target, time, time);
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
