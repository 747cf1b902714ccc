// docker cp's rules, as its CLI applies them (cli/command/container/cp.go
// and moby's archive/copy.go), apart from any file system: which argument is
// the container's, and where an archive of the source goes given what is at
// the destination — into it when it is a directory, renamed to it when it is
// (or will be) a file, refused when a directory would replace a file or a
// file would have to become a directory that does not exist.

import path from 'node:path';

export interface CpArg {
  container?: string;
  path: string;
}

/** "CONTAINER:PATH" or a local path; an absolute or ./-relative path is always local. */
export function splitCpArg(arg: string): CpArg {
  if (arg.startsWith('/')) return { path: arg };
  const colon = arg.indexOf(':');
  if (colon < 0 || arg.startsWith('.')) return { path: arg };
  return { container: arg.slice(0, colon), path: arg.slice(colon + 1) };
}

export interface CopyInfo {
  path: string;
  exists: boolean;
  isDir: boolean;
  /** The name the source's entries take instead of its own base name (-L followed a symlink). */
  rebaseName?: string;
}

const specifiesCurrentDir = (p: string) => path.posix.basename(p) === '.';
const hasTrailingSeparator = (p: string) => p.endsWith('/');

/** "/a/b/" and "/a/b/." say the destination must be a directory. */
export const assertsDirectory = (p: string) => hasTrailingSeparator(p) || specifiesCurrentDir(p);

/** Directory and base, cleaning the path but keeping a trailing "." (archive.SplitPathDirEntry). */
export function splitPathDirEntry(p: string): [string, string] {
  let cleaned = path.posix.normalize(p);
  if (cleaned.length > 1 && cleaned.endsWith('/')) cleaned = cleaned.slice(0, -1);
  if (specifiesCurrentDir(p)) cleaned = `${cleaned === '/' ? '' : cleaned}/.`;
  return [path.posix.dirname(cleaned), path.posix.basename(cleaned) || '/'];
}

export type Placement =
  | { dstDir: string; rename?: [from: string, to: string] }
  | { error: 'cannot copy directory' | 'no such directory' };

/** Where the source's archive is extracted, and how its entries are renamed (archive.PrepareArchiveCopy). */
export function prepareArchiveCopy(src: CopyInfo, dst: CopyInfo): Placement {
  const [dstDir, dstBase] = splitPathDirEntry(dst.path);
  // Entries already carry the rebase name, when there is one (-L followed a symlink).
  const srcBase = src.rebaseName || splitPathDirEntry(src.path)[1];
  if (dst.exists && dst.isDir) return { dstDir: dst.path };
  if (dst.exists && src.isDir) return { error: 'cannot copy directory' };
  if (dst.exists || src.isDir) return { dstDir, rename: [srcBase, dstBase] };
  if (assertsDirectory(dst.path)) return { error: 'no such directory' };
  return { dstDir, rename: [srcBase, dstBase] };
}

/** An archive entry's name after RebaseArchiveEntries: `from` (as the first part) becomes `to`. */
export function rebaseName(name: string, from: string, to: string): string {
  if (from === '/' || from === '') return to + (name.startsWith('/') ? name : `/${name}`);
  if (name === from) return to;
  if (name.startsWith(`${from}/`)) return to + name.slice(from.length);
  return name;
}
