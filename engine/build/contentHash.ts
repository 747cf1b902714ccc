// The hash COPY and ADD record (`COPY file:<hex> in /dest `) and the cache
// compares: Docker's per-file tarsum (version 1): sha256 over the tar header
// fields name, mode, uid, gid, size, typeflag, linkname, uname, gname,
// devmajor, devminor (no mtime: touching a file does not bust the cache),
// the file capability attribute, then the content. A directory's hash
// covers every entry below it, sorted; several sources make a `multi:`
// hash of theirs. With the same files these are the values Docker prints.
//
// The context's headers are those the docker CLI sends (permission bits, no
// user names); an image's (COPY --from) are those Docker's daemon makes from
// the files: the file type in the mode, and the names this host gives the
// owner's uid and gid.
//
// One difference, on purpose: Docker hashes a symlink as the file it points
// to (or, when that is missing, as its own path), so retargeting a dangling
// link keeps the cache. Here a symlink is hashed as the link it is.

import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import { lgetxattr } from '../native';
import { parseGroup, parsePasswd } from '../runtime/user';
import type { SourceNode, SourceTree } from './sourceTree';

/** The extended attribute Docker's context tar and copies carry. */
export const capabilityXattr = 'security.capability';

/** The hash of one entry: the tar header it would get, and its content. */
export function entryHash(tree: SourceTree, node: SourceNode): string {
  const s = node.stats;
  const { uid, gid } = tree.owner(node);
  const type = s.isFile() ? '0' : s.isDirectory() ? '5' : s.isSymbolicLink() ? '2' : s.isCharacterDevice() ? '3' : s.isBlockDevice() ? '4' : '6';
  const device = s.isCharacterDevice() || s.isBlockDevice();
  const daemon = tree.headers === 'daemon';
  const fields: Array<[string, string]> = [
    ['name', s.isDirectory() ? `${node.rel}/` : node.rel],
    // The daemon's headers keep the file type bits (S_IFREG...) beside the permissions.
    ['mode', String(s.mode & (daemon ? 0o177777 : 0o7777))],
    ['uid', String(uid)],
    ['gid', String(gid)],
    ['size', String(s.isFile() ? s.size : 0)],
    ['typeflag', type],
    ['linkname', s.isSymbolicLink() ? fs.readlinkSync(node.hostPath) : ''],
    ['uname', daemon ? hostNames().users.get(uid) ?? '' : ''],
    ['gname', daemon ? hostNames().groups.get(gid) ?? '' : ''],
    ['devmajor', String(device ? deviceNumbers(s.rdev).major : 0)],
    ['devminor', String(device ? deviceNumbers(s.rdev).minor : 0)],
  ];
  const hash = createHash('sha256');
  for (const [key, value] of fields) hash.update(key + value);
  if (!s.isSymbolicLink()) {
    const cap = lgetxattr(node.hostPath, capabilityXattr);
    if (cap) hash.update(Buffer.concat([Buffer.from(capabilityXattr), cap]));
  }
  if (s.isFile() && s.size > 0) hashContent(hash, node.hostPath);
  return hash.digest('hex');
}

/**
 * `file:<hex>` for a file or link, `dir:<hex>` for a directory (every entry
 * below it, and itself unless the root). `tally` adds up the file bytes seen.
 */
export function sourceHash(tree: SourceTree, node: SourceNode, tally?: { bytes: number }): string {
  const count = (n: SourceNode) => {
    if (tally && n.stats.isFile()) tally.bytes += n.stats.size;
  };
  count(node);
  if (!node.stats.isDirectory()) return `file:${entryHash(tree, node)}`;
  const sums = node.rel === '' ? [] : [entryHash(tree, node)];
  for (const entry of tree.descendants(node)) {
    count(entry);
    sums.push(entryHash(tree, entry));
  }
  return `dir:${hashList(sums.sort())}`;
}

/** What one COPY records: its only source's hash, or `multi:` over all of them in order. */
export function instructionHash(hashes: readonly string[]): string {
  return hashes.length === 1 ? hashes[0] : `multi:${hashList(hashes)}`;
}

function hashList(items: readonly string[]): string {
  return createHash('sha256').update(items.join(',')).digest('hex');
}

let names: { users: Map<number, string>; groups: Map<number, string> } | undefined;

/** This host's user and group names by id, as Go's tar.FileInfoHeader looks them up for Docker's daemon. */
function hostNames(): { users: Map<number, string>; groups: Map<number, string> } {
  if (!names) {
    const read = (f: string) => {
      try {
        return fs.readFileSync(f, 'utf8');
      } catch {
        return '';
      }
    };
    // The first entry of an id wins, as getpwuid finds it.
    const users = new Map<number, string>();
    for (const u of parsePasswd(read('/etc/passwd')).reverse()) users.set(u.uid, u.name);
    const groups = new Map<number, string>();
    for (const g of parseGroup(read('/etc/group')).reverse()) groups.set(g.gid, g.name);
    names = { users, groups };
  }
  return names;
}

/** Reads are synchronous, so one buffer serves every file. */
const readBuffer = Buffer.allocUnsafe(1 << 18);

function hashContent(hash: Hash, file: string): void {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  try {
    const buf = readBuffer;
    for (let n = fs.readSync(fd, buf); n > 0; n = fs.readSync(fd, buf)) hash.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
}

/** Linux's dev_t encoding (sys/sysmacros.h). */
export function deviceNumbers(dev: number): { major: number; minor: number } {
  return {
    major: ((Math.floor(dev / 2 ** 8) & 0xfff) | (Math.floor(dev / 2 ** 32) & ~0xfff)) >>> 0,
    minor: ((dev & 0xff) | (Math.floor(dev / 2 ** 12) & ~0xff)) >>> 0,
  };
}
