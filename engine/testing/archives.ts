// What the image archive tests share: building tars entry by entry (hostile
// ones included), reading one back, a tree's snapshot to compare file
// systems, and a snapshot of an engine root to prove a failed load left it
// exactly as it was.

import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { lgetxattr, llistxattr } from '../native';
import { encodeHeader, endOfArchive, paddingFor, type TarWriteHeader } from '../fs/tarWriter';
import { readTar } from '../fs/tarReader';
import type { LocalClient } from '../rpc/local';

export type TarSpec = Partial<TarWriteHeader> & { name: string; body?: Buffer | string };

/** A tar of exactly these entries (files 0644, dirs 0755, owned by root, at a fixed time). */
export function tarOf(entries: TarSpec[], opts: { end?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const { body, ...h } of entries) {
    const data = Buffer.from(body ?? '');
    const type = h.type ?? 'file';
    const mode = h.mode ?? (type === 'dir' ? 0o40755 : type === 'file' ? 0o100644 : 0o777);
    parts.push(encodeHeader({ uid: 0, gid: 0, mtime: 1_600_000_000, ...h, type, mode, size: type === 'file' ? data.length : 0 }));
    if (type === 'file') parts.push(data, paddingFor(data.length));
  }
  if (opts.end !== false) parts.push(endOfArchive);
  return Buffer.concat(parts);
}

/** Every regular file of a tar by name. */
export async function tarFiles(bytes: Buffer): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for await (const { header, body } of readTar(Readable.from([bytes]))) {
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(c);
    if (header.type === 'file') out.set(header.name, Buffer.concat(chunks));
  }
  return out;
}

/** Type, mode, owner, size, content or target, device, xattrs of every entry under `root`. */
export function treeSnapshot(root: string, skip: (rel: string) => boolean = () => false): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(root, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (skip(r)) continue;
      const file = path.join(root, r);
      const st = fs.lstatSync(file);
      const xattrs = llistxattr(file)
        .filter((n) => !n.startsWith('trusted.overlay.'))
        .sort()
        .map((n) => `${n}=${lgetxattr(file, n)!.toString('hex')}`)
        .join(',');
      const what = st.isFile() ? fs.readFileSync(file).toString('base64') : st.isSymbolicLink() ? fs.readlinkSync(file) : '';
      out[r] = [st.mode.toString(8), st.uid, st.gid, st.isDirectory() ? '' : st.size, what, st.rdev, xattrs].join(' ');
      if (st.isDirectory()) walk(r);
    }
  };
  walk('');
  return out;
}

/** Everything a load could have changed: the files under the root (but the database) and the rows. */
export function rootSnapshot(client: LocalClient): { files: string[]; rows: unknown[] } {
  const root = client.engine.paths.root;
  const files: string[] = [];
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(root, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (r.startsWith('strata.db') || r === 'run' || r.startsWith('containers')) continue;
      files.push(r);
      if (fs.lstatSync(path.join(root, r)).isDirectory()) walk(r);
    }
  };
  walk('');
  const db = client.engine.db;
  const rows = ['SELECT * FROM images ORDER BY id', 'SELECT * FROM tags ORDER BY ref', 'SELECT * FROM layers ORDER BY chain_id'].map((q) =>
    db.prepare(q).all(),
  );
  return { files, rows };
}
