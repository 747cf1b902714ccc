// Where a tar entry may go inside a layer dir. Every entry path is cleaned
// as Docker cleans it, and every parent directory on the way must be a real
// directory inside the root, never a symlink: a tar that plants a symlink
// and then writes through it would otherwise write on the host.
//
// The unpacker starts from an empty directory and is the only writer while
// it works, so what is in the layer dir is exactly what it made: LayerRoot
// keeps that as a tree of names, and answers "what is here?" without asking
// the file system (no stat per entry), and forgets a replaced directory's
// whole subtree in one step (replacing n directories stays linear).

import fs from 'node:fs';
import { invalidArgument } from '../errors';
import { shown, type TarHeader } from './tarReader';

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

/** Regular file content, shared by every hard link to it: a layer's size counts it once. */
export interface FileContent {
  size: number;
}

/** What the unpacker made at a path. */
export type LayerNode =
  | { kind: 'dir'; children: Map<string, LayerNode>; /** its tar entry, whose metadata is applied last */ entry?: TarHeader }
  | { kind: 'file'; content: FileContent }
  | { kind: 'symlink' }
  | { kind: 'other' }; // devices, fifos, whiteouts

export type LayerDir = Extract<LayerNode, { kind: 'dir' }>;

export class LayerRoot {
  readonly tree: LayerDir = { kind: 'dir', children: new Map() };

  constructor(readonly dir: string) {}

  /** The host path of an entry's components, refused when the kernel could not handle it. */
  hostPath(parts: string[], name: string): string {
    let host = this.dir;
    for (const part of parts) {
      // Each UTF-16 unit is at most 3 bytes of UTF-8: count bytes only for long names.
      if (part.length * 3 > NAME_MAX && Buffer.byteLength(part) > NAME_MAX) {
        throw invalidArgument(`invalid tar entry: a name in the path is longer than ${NAME_MAX} bytes: ${shown(name)}`);
      }
      host += `/${part}`;
    }
    if (host.length * 3 >= PATH_MAX && Buffer.byteLength(host) >= PATH_MAX) throw invalidArgument(`invalid tar entry: path too long: ${shown(name)}`);
    return host;
  }

  /**
   * The directory that holds the entry, made real on the way: missing
   * parents are created (0755, owned by the engine, as Docker's implied
   * directories); a symlink or a non-directory on the way is refused.
   */
  parentOf(parts: string[], name: string): LayerDir {
    let dir = this.tree;
    let host = this.dir;
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i]!;
      host += `/${part}`;
      let child = dir.children.get(part);
      if (child === undefined) {
        fs.mkdirSync(host, 0o755);
        if (process.umask() & 0o755) fs.chmodSync(host, 0o755);
        child = { kind: 'dir', children: new Map() };
        dir.children.set(part, child);
      } else if (child.kind !== 'dir') {
        const rel = parts.slice(0, i + 1).join('/');
        if (child.kind === 'symlink') throw invalidArgument(`invalid tar entry: ${shown(name)}: writing through a symlink: ${shown(rel)}`);
        throw invalidArgument(`invalid tar entry: ${shown(name)}: ${shown(rel)} is not a directory`);
      }
      dir = child;
    }
    return dir;
  }

  /**
   * What is at these components, found without following any symlink:
   * undefined when missing; `refuse` makes the error for a symlink on the way.
   */
  find(parts: string[], refuse: (why: string) => Error): LayerNode | undefined {
    let node: LayerNode = this.tree;
    for (let i = 0; i < parts.length; i++) {
      if (node.kind === 'symlink') throw refuse(`target goes through a symlink: ${shown(parts.slice(0, i).join('/'))}`);
      if (node.kind !== 'dir') return undefined;
      const child: LayerNode | undefined = node.children.get(parts[i]!);
      if (child === undefined) return undefined;
      node = child;
    }
    return node;
  }

  /** Every directory a tar entry made, with its host path and that entry (parents before children). */
  *enteredDirs(): Generator<{ host: string; entry: TarHeader }> {
    const stack: Array<{ dir: LayerDir; host: string }> = [{ dir: this.tree, host: this.dir }];
    while (stack.length > 0) {
      const { dir, host } = stack.pop()!;
      for (const [name, child] of dir.children) {
        if (child.kind !== 'dir') continue;
        const childHost = `${host}/${name}`;
        if (child.entry !== undefined) yield { host: childHost, entry: child.entry };
        stack.push({ dir: child, host: childHost });
      }
    }
  }

  /** The distinct regular file contents the layer holds. */
  contents(): Set<FileContent> {
    const out = new Set<FileContent>();
    const stack: LayerDir[] = [this.tree];
    while (stack.length > 0) {
      for (const child of stack.pop()!.children.values()) {
        if (child.kind === 'file') out.add(child.content);
        else if (child.kind === 'dir') stack.push(child);
      }
    }
    return out;
  }
}

export function lstatOrNull(file: string): fs.Stats | null {
  try {
    return fs.lstatSync(file, { throwIfNoEntry: false }) ?? null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') return null;
    throw err;
  }
}
