// Where a tar entry may go inside a layer dir. Every entry path is cleaned
// as Docker cleans it, and every parent directory on the way is checked to be
// a real directory inside the root, never a symlink: a tar that plants a
// symlink and then writes through it would otherwise write on the host.
// Only the unpacker writes into the root while it works, so a checked
// directory stays checked until the unpacker itself replaces it (forget()).

import fs from 'node:fs';
import path from 'node:path';
import { invalidArgument } from '../errors';
import { shown } from './tarReader';

/** Linux limits: a name component, and a whole path with its final NUL. */
const NAME_MAX = 255;
const PATH_MAX = 4096;

/**
 * The components of an entry path, cleaned as Go's filepath.Clean does for
 * Docker: a leading '/' and '.' components dropped, '..' resolved; '..'
 * above the root of an absolute path stays at the root, while a relative
 * path that climbs out is refused. [] is the layer root itself.
 */
export function entryComponents(name: string): string[] {
  const rooted = name.startsWith('/');
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..') parts.push(part);
    else if (parts.length > 0) parts.pop();
    else if (!rooted) throw invalidArgument(`invalid tar entry: path escapes the layer: ${shown(name)}`);
  }
  return parts;
}

export class LayerRoot {
  /** Relative paths checked (or made) to be real directories. */
  private readonly dirs = new Set<string>();

  constructor(readonly dir: string) {}

  /** The host path of an entry, refused when the kernel could not handle it. */
  hostPath(parts: string[], name: string): string {
    for (const part of parts) {
      if (Buffer.byteLength(part) > NAME_MAX) {
        throw invalidArgument(`invalid tar entry: a name in the path is longer than ${NAME_MAX} bytes: ${shown(name)}`);
      }
    }
    const host = path.join(this.dir, ...parts);
    if (Buffer.byteLength(host) >= PATH_MAX) throw invalidArgument(`invalid tar entry: path too long: ${shown(name)}`);
    return host;
  }

  /**
   * Makes every parent of the entry a real directory inside the root:
   * missing ones are created (0755, owned by the engine, as Docker's implied
   * directories); a symlink or a non-directory on the way is refused.
   */
  ensureParents(parts: string[], name: string): void {
    let rel = '';
    for (const part of parts.slice(0, -1)) {
      rel = rel ? `${rel}/${part}` : part;
      if (this.dirs.has(rel)) continue;
      const host = path.join(this.dir, rel);
      const stats = lstatOrNull(host);
      if (stats === null) {
        fs.mkdirSync(host);
        fs.chmodSync(host, 0o755);
      } else if (stats.isSymbolicLink()) {
        throw invalidArgument(`invalid tar entry: ${shown(name)}: writing through a symlink: ${shown(rel)}`);
      } else if (!stats.isDirectory()) {
        throw invalidArgument(`invalid tar entry: ${shown(name)}: ${shown(rel)} is not a directory`);
      }
      this.dirs.add(rel);
    }
  }

  /**
   * An entry that already exists in the root, found without following any
   * symlink: null when it is missing; `refuse` makes the error for a symlink
   * on the way.
   */
  existing(parts: string[], refuse: (why: string) => Error): fs.Stats | null {
    let rel = '';
    for (const part of parts.slice(0, -1)) {
      rel = rel ? `${rel}/${part}` : part;
      if (this.dirs.has(rel)) continue;
      const stats = lstatOrNull(path.join(this.dir, rel));
      if (stats === null || (!stats.isDirectory() && !stats.isSymbolicLink())) return null;
      if (stats.isSymbolicLink()) throw refuse(`target goes through a symlink: ${shown(rel)}`);
      this.dirs.add(rel);
    }
    return lstatOrNull(path.join(this.dir, ...parts));
  }

  /** Records that the entry at `rel` was a directory made by an entry (no need to check it again). */
  knowDir(rel: string): void {
    this.dirs.add(rel);
  }

  /** The entry at `rel` is being removed or replaced: what was known of it and below is void. */
  forget(rel: string): void {
    // A known directory's parents are all known: an unknown one has nothing known below.
    if (!this.dirs.delete(rel)) return;
    const below = `${rel}/`;
    for (const dir of this.dirs) if (dir.startsWith(below)) this.dirs.delete(dir);
  }
}

export function lstatOrNull(file: string): fs.Stats | null {
  try {
    return fs.lstatSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw err;
  }
}
