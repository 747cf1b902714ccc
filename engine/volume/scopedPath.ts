// A path inside a root directory, resolved one component at a time through
// held directories (fs/heldDir.ts), so nothing can be swapped under the
// walk. Inside a container's root a symlink is resolved as the container
// would resolve it: an absolute target starts again at the container's root,
// '..' stops there (Docker's FollowSymlinkInScope) — never at the host's.
// On the host side of `cp` symlinks are not followed at all.

import fs from 'node:fs';
import { notFound } from '../errors';
import { HeldDir } from '../fs/heldDir';

/** Linux gives up after 40 symlinks in one lookup (ELOOP); so does this. */
const MAX_SYMLINKS = 40;

export interface ScopedPath {
  /** Directories from the root to the entry's parent, all held: release() closes them. */
  dirs: HeldDir[];
  /** The entry's name in the last of `dirs`; '' when the path is the root itself. */
  name: string;
  /** Where it is, as the container sees it ("/etc/shadow"). */
  path: string;
  release(): void;
}

export const components = (p: string) => p.split('/').filter((c) => c !== '' && c !== '.');

function done(dirs: HeldDir[], names: string[], name: string): ScopedPath {
  const path = '/' + [...names, ...(name ? [name] : [])].join('/');
  return { dirs, name, path, release: () => dirs.forEach((d) => d.close()) };
}

/**
 * `p` inside `root` (an absolute host path to the container's root). The
 * last component's symlink is followed only with `followFinal`; a missing
 * last component is fine (it may be created), a missing directory on the way
 * is NotFound, or made with `create`. `follow: false` refuses every symlink
 * on the way instead.
 */
export function resolveScoped(root: string, p: string, opts: { followFinal: boolean; follow?: boolean; create?: boolean }): ScopedPath {
  const follow = opts.follow ?? true;
  const dirs = [HeldDir.open(root)];
  const names: string[] = [];
  let pending = components(p);
  let symlinks = 0;
  try {
    while (pending.length > 0) {
      const part = pending.shift()!;
      if (part === '..') {
        if (names.length > 0) {
          dirs.pop()!.close();
          names.pop();
        }
        continue;
      }
      const here = dirs[dirs.length - 1]!;
      const last = pending.length === 0;
      const st = here.lstat(part);
      if (st?.isSymbolicLink() && follow && (!last || opts.followFinal)) {
        if (++symlinks > MAX_SYMLINKS) throw notFound(`${p}: too many levels of symbolic links`);
        const target = here.readlink(part) ?? '';
        if (target.startsWith('/')) {
          while (dirs.length > 1) dirs.pop()!.close();
          names.length = 0;
        }
        pending = [...components(target), ...pending];
        continue;
      }
      if (last) return done(dirs, names, part);
      // An extraction makes the directories its entries need, as tar does.
      if (opts.create && st === null) fs.mkdirSync(here.at(part), { mode: 0o755 });
      const next = here.dir(part);
      if (next === null) throw notFound(`${p}: ${[...names, part].join('/')} is not a directory there`);
      dirs.push(next);
      names.push(part);
    }
    // The path ended on a directory reached through '..', or on the root itself.
    if (names.length === 0) return done(dirs, [], '');
    dirs.pop()!.close();
    const name = names.pop()!;
    return done(dirs, names, name);
  } catch (err) {
    dirs.forEach((d) => d.close());
    throw err;
  }
}
