// The two files a build reads from its context before anything else: the
// Dockerfile and .dockerignore. The engine reads them as root, and whoever
// made the context (a directory of the user's, a tar on standard input)
// chose what they are, so each is found inside the context only (symlinks
// followed within it, as Docker's FollowSymlinkInScope; one leading out is
// not followed), opened without following a final link and without
// blocking (a FIFO never hangs the build), taken only when it is a regular
// file of bounded size, and checked to be the file inside the context that
// was looked up (a directory swapped for a link meanwhile cannot lead the
// open to a host file). Nothing read from outside can reach an error message.

import fs from 'node:fs';
import path from 'node:path';
import { invalidArgument } from '../errors';
import { ContextTree } from './sourceTree';

/** Larger than any real Dockerfile or .dockerignore: a bound on what is held in memory. */
export const maxContextFileSize = 16 << 20;

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = fs.constants;

/** Why a context file could not be read: it is absent, or not something to read. */
export type Unreadable = 'missing' | 'outside' | 'not a regular file';

/** The bytes of the file `rel` names inside the context `dir`, or why there are none. */
export function readContextFile(dir: string, rel: string): Buffer | Unreadable {
  const root = fs.realpathSync(dir);
  const { node, escaped } = new ContextTree(root, null, true).lookup(rel, true);
  if (escaped) return 'outside';
  if (node === null) return 'missing';
  return readRegularFile(node.hostPath, (opened) => opened.startsWith(`${root}/`), rel);
}

/**
 * A regular file read without following a final link or blocking, bounded
 * in size; `expected` checks the path the kernel actually opened.
 */
export function readRegularFile(file: string, expected: (opened: string) => boolean, name: string): Buffer | Unreadable {
  let fd: number;
  try {
    fd = fs.openSync(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    // ELOOP: the final component is a symlink (swapped in since the lookup).
    if (code === 'ELOOP' || code === 'ENXIO') return 'not a regular file';
    throw err;
  }
  try {
    const stats = fs.fstatSync(fd);
    if (!stats.isFile()) return 'not a regular file';
    if (!expected(fs.readlinkSync(`/proc/self/fd/${fd}`))) return 'outside';
    if (stats.size > maxContextFileSize) throw tooLarge(name);
    const buf = Buffer.allocUnsafe(Math.min(stats.size + 1, maxContextFileSize + 1));
    let length = 0;
    for (;;) {
      const n = length < buf.length ? fs.readSync(fd, buf, length, buf.length - length, length) : 0;
      if (n === 0) break;
      length += n;
    }
    // Grown past the bound since the fstat.
    if (length > maxContextFileSize) throw tooLarge(name);
    return buf.subarray(0, length);
  } finally {
    fs.closeSync(fd);
  }
}

function tooLarge(name: string): Error {
  return invalidArgument(`${name} is larger than ${maxContextFileSize >> 20} MiB`);
}

/** Whether `file` (absolute) lies inside the directory `dir`, by name. */
export function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '..' && !rel.startsWith('../') && !path.isAbsolute(rel);
}
