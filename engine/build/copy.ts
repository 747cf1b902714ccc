// COPY and ADD as Docker's classic builder does them (builder/dockerfile/
// copy.go): each source is a path in the context (or, with --from, in a
// stage's or an image's root), `./` and a leading `/` meaning its root, with
// Go filepath.Match wildcards; a directory copies its content; several
// sources need a destination ending in `/`; a relative destination is under
// WORKDIR; a file goes into a destination that is a directory or ends in
// `/`. Copies keep mode and times and are owned by root, or by --chown
// (names looked up in the image's own /etc/passwd and /etc/group). ADD also
// unpacks a local tar archive (plain, gzip, bzip2, xz), keeping its owners.
// A source that is a symlink is followed inside the tree, unless it leads
// out of it: then the link itself is copied, never the file outside.

import fs from 'node:fs';
import path from 'node:path';
import { EngineError, invalidArgument } from '../errors';
import { readNamesSync } from '../fs/dirNames';
import { lstatOrNull } from '../fs/layerRoot';
import { unpackLayer } from '../fs/tarUnpack';
import { unionReadFile } from '../fs/union';
import { lgetxattr, lsetxattr, llistxattr, mknod } from '../native';
import { parseGroup, parsePasswd } from '../runtime/user';
import { isTarArchive } from './archive';
import { capabilityXattr, deviceNumbers, instructionHash, sourceHash } from './contentHash';
import { rootOwner, type LayerWriter, type Owner } from './layerWriter';
import { hasWildcards, pathMatch } from './pathMatch';
import type { SourceNode, SourceTree } from './sourceTree';

export interface CopySource {
  node: SourceNode;
  /** The path as the instruction (or the wildcard walk) named it: its base name is the copy's name. */
  name: string;
  /** A symlink leading out of the tree: copied as the link. */
  asLink: boolean;
}

export interface CopyPlan {
  kind: 'COPY' | 'ADD';
  tree: SourceTree;
  sources: CopySource[];
  /** `file:`, `dir:` or `multi:`, as the history entry records it. */
  hash: string;
  /** Absolute, with WORKDIR applied; a trailing '/' kept. */
  dest: string;
  /** Bytes of the regular files to copy. */
  bytes: number;
}

const isUrl = (s: string) => /^https?:\/\//i.test(s);

/** Resolves and hashes the sources; refuses what Docker refuses, before anything is written. */
export function planCopy(kind: 'COPY' | 'ADD', tree: SourceTree, sources: readonly string[], dest: string, workingDir: string): CopyPlan {
  const failed = (why: string) => invalidArgument(`${kind} failed: ${why}`);
  const found: CopySource[] = [];
  const hashes: string[] = [];
  const tally = { bytes: 0 };
  for (const source of sources) {
    if (isUrl(source)) {
      if (kind === 'COPY') throw failed('source can\'t be a URL for COPY');
      throw failed(`cannot download ${source}: Strata builds have no network; download it into the build context and ADD it from there`);
    }
    const orig = source.replace(/^\//, '').replace(/^\.\//, '');
    if (leavesRoot(orig)) throw failed(`forbidden path outside the build context: ${source} ()`);
    const matched = hasWildcards(orig) ? wildcardMatches(tree, orig) : [single(tree, orig, failed)];
    for (const m of matched) {
      found.push(m);
      hashes.push(sourceHash(tree, m.node, tally));
    }
  }
  if (found.length === 0) throw failed('no source files were specified');
  if (found.length > 1 && !dest.endsWith('/')) {
    throw failed(`When using ${kind} with more than one source file, the destination must be a directory and end with a /`);
  }
  return { kind, tree, sources: found, hash: instructionHash(hashes), dest: normalizeDest(workingDir, dest), bytes: tally.bytes };
}

/** Docker's normalizeDest: a relative destination is under WORKDIR; a trailing '/' is kept. */
export function normalizeDest(workingDir: string, dest: string): string {
  if (dest.startsWith('/')) return dest;
  const joined = path.posix.join('/', workingDir, dest);
  return dest.endsWith('/') && !joined.endsWith('/') ? `${joined}/` : joined;
}

function leavesRoot(p: string): boolean {
  let depth = 0;
  for (const part of p.split('/')) {
    if (part === '..') depth--;
    else if (part !== '' && part !== '.') depth++;
    if (depth < 0) return true;
  }
  return false;
}

function single(tree: SourceTree, orig: string, failed: (why: string) => EngineError): CopySource {
  const notFound = () => failed(`file not found in build context or excluded by .dockerignore: stat ${orig}: file does not exist`);
  const { node } = tree.lookup(orig, false);
  if (node === null) throw notFound();
  if (!node.stats.isSymbolicLink()) return { node, name: orig, asLink: false };
  const target = tree.follow(node);
  if (target.escaped) return { node, name: orig, asLink: true };
  if (target.node === null) throw notFound();
  return { node: target.node, name: orig, asLink: false };
}

/** Every path of the tree the pattern matches, in walk order (Docker walks the whole tree). */
function wildcardMatches(tree: SourceTree, pattern: string): CopySource[] {
  const out: CopySource[] = [];
  for (const node of tree.descendants(tree.root())) {
    if (!pathMatch(pattern, node.rel)) continue;
    if (!node.stats.isSymbolicLink()) out.push({ node, name: node.rel, asLink: false });
    else {
      const target = tree.follow(node);
      if (target.escaped || target.node === null) out.push({ node, name: node.rel, asLink: true });
      else out.push({ node: target.node, name: node.rel, asLink: false });
    }
  }
  return out;
}

/**
 * `--chown=user[:group]` as Docker reads it: numbers as they are, names from
 * the image's /etc/passwd and /etc/group; a lone user is also the group.
 */
export function chownOwner(spec: string, imageDirs: readonly string[]): Owner {
  const parts = spec.split(':');
  if (parts.length > 2) throw invalidArgument(`invalid chown string format: ${spec}`);
  const [user, group = user] = parts;
  const read = (p: string) => (imageDirs.length ? unionReadFile([...imageDirs], p)?.toString('utf8') ?? '' : '');
  const numeric = (s: string) => (/^\d+$/.test(s) ? Number(s) : undefined);
  const uid = numeric(user) ?? parsePasswd(read('/etc/passwd')).find((u) => u.name === user)?.uid;
  if (uid === undefined) throw invalidArgument(`can't find uid for user ${user}: no such user: ${user}`);
  const gid = numeric(group) ?? parseGroup(read('/etc/group')).find((g) => g.name === group)?.gid;
  if (gid === undefined) throw invalidArgument(`can't find gid for group ${group}: no such group: ${group}`);
  return { uid, gid };
}

/** Writes the planned copy into the step's layer. `owner` is --chown's, else root. */
export async function performCopy(plan: CopyPlan, writer: LayerWriter, owner: Owner, scratchDir: () => string): Promise<void> {
  const copier = new EntryCopier(plan.tree, writer, owner);
  const destIsDir = plan.dest.endsWith('/');
  const dest = writer.resolve(plan.dest);
  for (const source of plan.sources) {
    const s = source.node.stats;
    if (!source.asLink && s.isDirectory()) {
      // The directory's content goes into the destination, made for `owner` if new.
      writer.mkdirAll(dest, owner);
      for (const entry of plan.tree.descendants(source.node)) copier.copy(entry, [...dest, ...relativeParts(source.node, entry)]);
      continue;
    }
    if (plan.kind === 'ADD' && !source.asLink && s.isFile() && (await isTarArchive(source.node.hostPath))) {
      await unpackInto(source.node.hostPath, writer, dest, scratchDir());
      continue;
    }
    const into = destIsDir || writer.stat(dest)?.isDirectory();
    const target = into ? [...dest, path.posix.basename(source.name)] : dest;
    writer.mkdirAll(target.slice(0, -1), owner);
    copier.copy(source.node, target);
  }
}

function relativeParts(dir: SourceNode, entry: SourceNode): string[] {
  return (dir.rel === '' ? entry.rel : entry.rel.slice(dir.rel.length + 1)).split('/');
}

const S_IFCHR = 0o020000;
const S_IFBLK = 0o060000;
const S_IFIFO = 0o010000;

/** Copies entries one by one; a second name of an inode already copied becomes a hard link to the copy. */
class EntryCopier {
  private readonly inodes = new Map<string, string>();

  constructor(
    private readonly tree: SourceTree,
    private readonly writer: LayerWriter,
    private readonly owner: Owner,
  ) {}

  copy(node: SourceNode, target: string[]): void {
    const s = node.stats;
    const host = this.writer.hostPath(target);
    const existing = lstatOrNull(host);
    if (existing && !(existing.isDirectory() && s.isDirectory())) this.writer.clear(target);
    if (s.isDirectory()) {
      if (!existing?.isDirectory()) fs.mkdirSync(host);
    } else if (s.isFile()) {
      const key = `${s.dev}:${s.ino}`;
      const first = s.nlink > 1 ? this.inodes.get(key) : undefined;
      if (first !== undefined) {
        fs.linkSync(first, host);
        return;
      }
      fs.copyFileSync(node.hostPath, host);
      if (s.nlink > 1) this.inodes.set(key, host);
    } else if (s.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(node.hostPath), host);
    else if (s.isCharacterDevice() || s.isBlockDevice() || s.isFIFO()) {
      const type = s.isCharacterDevice() ? S_IFCHR : s.isBlockDevice() ? S_IFBLK : S_IFIFO;
      const { major, minor } = deviceNumbers(s.rdev);
      mknod(host, type | (s.mode & 0o7777), major, minor);
    } else return; // sockets have no copy
    if (!s.isSymbolicLink()) {
      const cap = s.isFile() ? lgetxattr(node.hostPath, capabilityXattr) : null;
      if (cap) lsetxattr(host, capabilityXattr, cap);
      fs.chmodSync(host, s.mode & 0o7777);
    }
    // Docker chowns last (fixPermissions), so the kernel drops setuid/setgid bits and file
    // capabilities of what it copies, as it does here: the copy is what Docker's would be.
    fs.lchownSync(host, this.owner.uid, this.owner.gid);
    if (s.isSymbolicLink()) fs.lutimesSync(host, s.atime, s.mtime);
    else fs.utimesSync(host, s.atime, s.mtime);
  }
}

/**
 * ADD's unpacking: the archive is unpacked (as hostile input) into scratch,
 * then moved into the layer at `dest`. A directory merges with one already
 * there (taking the archive's mode and owner); anything else replaces.
 */
async function unpackInto(archive: string, writer: LayerWriter, dest: string[], scratch: string): Promise<void> {
  try {
    await unpackLayer(fs.createReadStream(archive), scratch, { allowDevices: true });
  } catch (err) {
    throw invalidArgument(`ADD failed: ${path.basename(archive)}: ${(err as Error).message}`);
  }
  writer.mkdirAll(dest, rootOwner);
  mergeDir(scratch, writer, dest);
}

function mergeDir(from: string, writer: LayerWriter, dest: string[]): void {
  for (const name of readNamesSync(from)) {
    const src = path.join(from, name);
    const target = [...dest, name];
    const host = writer.hostPath(target);
    const srcStats = fs.lstatSync(src);
    const existing = lstatOrNull(host);
    if (srcStats.isDirectory() && existing?.isDirectory()) {
      mergeDir(src, writer, target);
      takeMetadata(src, host, srcStats);
      continue;
    }
    if (existing) writer.clear(target);
    fs.renameSync(src, host);
  }
}

function takeMetadata(src: string, dest: string, s: fs.Stats): void {
  fs.lchownSync(dest, s.uid, s.gid);
  for (const name of llistxattr(src)) {
    const value = lgetxattr(src, name);
    if (value !== null) lsetxattr(dest, name, value);
  }
  fs.chmodSync(dest, s.mode & 0o7777);
  fs.utimesSync(dest, s.atime, s.mtime);
}
