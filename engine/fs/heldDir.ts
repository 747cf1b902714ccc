// Reading a directory tree that something else may be changing meanwhile (a
// running container's writable layer) without ever being led out of it.
//
// Each directory is held open by a descriptor, and its entries are reached
// as /proc/self/fd/<descriptor>/<name>: the kernel resolves exactly one
// component below a directory that cannot move under the reader, whatever
// is renamed around it. A directory is opened from its parent's descriptor
// with O_DIRECTORY|O_NOFOLLOW, so a symlink swapped in for it (renameat2
// RENAME_EXCHANGE) is refused rather than followed; lstat, readlink and the
// l*xattr calls never follow the last component. A file is opened O_PATH
// first and read only once fstat says it is a regular file: a device node or
// FIFO swapped in for it is never opened (opening a device can act on its
// own; a FIFO would block the engine).
//
// Why this and not openat2(RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS) through the
// addon: Node's fs has no *at calls, so openat2 would need fd-based stat,
// readlink, readdir and xattr calls in C as well. Through /proc/self/fd every
// existing fs call and the addon's l*xattr take a path that resolves one
// component below a held directory, and a walk pays one lookup per entry
// instead of re-resolving each path from the root (nor meets PATH_MAX in a
// deep tree).

import fs from 'node:fs';
import path from 'node:path';
import { invalidArgument } from '../errors';
import { decodeNames } from './dirNames';
import { isOpaqueDir } from './overlayFormat';

// Not in fs.constants: open without opening the file itself (linux/fcntl.h, x86 and arm alike).
const O_PATH = 0o10000000;
const { O_RDONLY, O_DIRECTORY, O_NOFOLLOW } = fs.constants;

/** The errors that mean "not there, or not that kind of entry, any more". */
const gone = new Set(['ENOENT', 'ENOTDIR', 'ELOOP']);

const code = (err: unknown) => (err as NodeJS.ErrnoException).code ?? '';

/** A regular file opened for reading, and what it was when opened. */
export interface OpenedFile {
  fd: number;
  stats: fs.Stats;
}

export class HeldDir {
  private constructor(
    private fd: number,
    /** Where the directory was when opened, for messages: the reader never uses it. */
    readonly path: string,
  ) {}

  /** Holds one of the engine's own directories (a layer dir, a container's upper dir). */
  static open(dir: string): HeldDir {
    return new HeldDir(fs.openSync(dir, O_RDONLY | O_DIRECTORY), dir);
  }

  /** Runs `use` on the engine's directory `dir`, held meanwhile. */
  static within<T>(dir: string, use: (dir: HeldDir) => T): T {
    return holding(HeldDir.open(dir), use);
  }

  /** Holds `parts` below `root`, one component at a time; null when one is missing or not a directory. */
  static openBelow(root: string, parts: readonly string[]): HeldDir | null {
    let dir = HeldDir.open(root);
    for (const part of parts) {
      const next = dir.dir(part);
      dir.close();
      if (next === null) return null;
      dir = next;
    }
    return dir;
  }

  /**
   * The entry `name` as a path for calls that do not follow its last
   * component (lstat, readlink, l*xattr). Valid while this is held.
   */
  at(name: string): string {
    if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
      throw invalidArgument(`${JSON.stringify(name)} is not one name in ${this.path}`);
    }
    return `/proc/self/fd/${this.fd}/${name}`;
  }

  /** The directory itself, as it is now. */
  stat(): fs.Stats {
    return fs.fstatSync(this.fd);
  }

  /** Its names in byte order (Docker's walk order). */
  names(): string[] {
    return decodeNames(this.path, fs.readdirSync(this.self(), { encoding: 'buffer' }));
  }

  /** Its entries with the types the directory records, in no particular order. */
  entries(): fs.Dirent[] {
    return fs.readdirSync(this.self(), { withFileTypes: true });
  }

  lstat(name: string): fs.Stats | null {
    try {
      // A missing name is common (most layers lack most names): no exception for it.
      return fs.lstatSync(this.at(name), { throwIfNoEntry: false }) ?? null;
    } catch (err) {
      if (gone.has(code(err))) return null;
      throw this.described(err, name);
    }
  }

  /** The child directory `name`, held; null when it is missing or not a directory (now). */
  dir(name: string): HeldDir | null {
    try {
      return new HeldDir(fs.openSync(this.at(name), O_RDONLY | O_DIRECTORY | O_NOFOLLOW), path.join(this.path, name));
    } catch (err) {
      if (gone.has(code(err))) return null;
      throw this.described(err, name);
    }
  }

  /** Runs `use` on the child directory `name`, held meanwhile; null, without running it, when that is not a directory (now). */
  withDir<T>(name: string, use: (dir: HeldDir) => T): T | null {
    const dir = this.dir(name);
    return dir === null ? null : holding(dir, use);
  }

  /** The target of the symlink `name`; null when it is missing or no longer a symlink. */
  readlink(name: string): string | null {
    try {
      return fs.readlinkSync(this.at(name));
    } catch (err) {
      if (gone.has(code(err)) || code(err) === 'EINVAL') return null;
      throw this.described(err, name);
    }
  }

  /** The regular file `name`, opened for reading; null when it is missing or not a regular file (now). */
  openFile(name: string): OpenedFile | null {
    let handle: number;
    try {
      handle = fs.openSync(this.at(name), O_PATH | O_NOFOLLOW);
    } catch (err) {
      if (gone.has(code(err))) return null;
      throw this.described(err, name);
    }
    try {
      if (!fs.fstatSync(handle).isFile()) return null;
      // Reopening the O_PATH descriptor opens exactly the file it names.
      const fd = fs.openSync(`/proc/self/fd/${handle}`, O_RDONLY);
      return { fd, stats: fs.fstatSync(fd) };
    } finally {
      fs.closeSync(handle);
    }
  }

  /** Whether the directory `name` is opaque (hides the same directory in lower layers). */
  isOpaque(name: string): boolean {
    return isOpaqueDir(this.at(name));
  }

  /**
   * The directory itself as a path that leads to exactly it while it is held
   * (for calls that take a path, such as an inotify watch), whatever its
   * name leads to now.
   */
  selfPath(): string {
    return `${this.self()}/.`;
  }

  close(): void {
    if (this.fd < 0) return;
    fs.closeSync(this.fd);
    this.fd = -1;
  }

  private self(): string {
    return `/proc/self/fd/${this.fd}`;
  }

  /** The same error, naming the entry where a person would look for it rather than by descriptor. */
  private described(err: unknown, name: string): unknown {
    if (err instanceof Error) err.message = err.message.replaceAll(this.at(name), path.join(this.path, name));
    return err;
  }
}

function holding<T>(dir: HeldDir, use: (dir: HeldDir) => T): T {
  try {
    return use(dir);
  } finally {
    dir.close();
  }
}
