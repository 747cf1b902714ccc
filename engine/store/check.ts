// `strata system check`, the store's half: what strata.db says against what
// is on disk. Every layer row has its directory and link and every layer
// directory its row; every image its config blob, whose rootfs names its top
// layer; every blob an image; and nothing a writer that died left behind (a
// layer no image uses whose writer is gone, temporary files and directories).
// With verifyContent, every blob is hashed against its name.
//
// It runs inside one write transaction: a writer's publish (a layer, an
// image, a container's files) is a write transaction too, so the check never
// takes work in progress for debris. What outlives a transaction (a layer
// waiting for its image) carries its writer's identity (liveness.ts).

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './db';
import { chainIds, digestHex, isDigest } from '../oci/digest';
import { isAbandoned, writerAlive } from './liveness';
import type { Store } from './store';

/** One thing found wrong: what, and what --repair does about it (undefined: nothing can be done here). */
export interface Finding {
  problem: string;
  repair?: string;
  repaired?: boolean;
}

/** Collects findings, applying each repair at once when repairing (a failed repair is reported, not thrown). */
export class Findings {
  readonly list: Finding[] = [];
  constructor(readonly repairing: boolean) {}

  /** A problem whose fix must run where it was found (inside the check's transaction). */
  add(problem: string, repair?: string, fix?: () => void): void {
    const finding = this.record(problem, repair);
    if (this.repairing && fix) this.settle(finding, () => fix());
  }

  /** A problem whose fix waits for processes (kills, exits, cgroups emptying). */
  async addAsync(problem: string, repair: string, fix: () => Promise<void>): Promise<void> {
    const finding = this.record(problem, repair);
    if (!this.repairing) return;
    try {
      await fix();
      finding.repaired = true;
    } catch (err) {
      finding.repair = `${repair} failed: ${(err as Error).message}`;
    }
  }

  /** A problem the engine repairs whenever it sees one (even unasked), already repaired. */
  repaired(problem: string, repair: string): void {
    this.list.push({ problem, repair, repaired: true });
  }

  private record(problem: string, repair?: string): Finding {
    const finding: Finding = { problem, ...(repair ? { repair } : {}) };
    this.list.push(finding);
    return finding;
  }

  private settle(finding: Finding, fix: () => void): void {
    try {
      fix();
      finding.repaired = true;
    } catch (err) {
      finding.repair = `${finding.repair} failed: ${(err as Error).message}`;
    }
  }
}

interface LayerRow {
  chain_id: string;
  short: string;
  writer: string;
}

const short = (digest: string) => digest.slice(0, 'sha256:'.length + 12);

function isDir(p: string): boolean {
  try {
    return fs.lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}

function entries(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** SQLite's own view of strata.db: its pages and its references. Nothing here can be repaired in place. */
function checkDatabase(db: Db, f: Findings): void {
  for (const row of db.pragma('integrity_check') as { integrity_check: string }[]) {
    if (row.integrity_check !== 'ok') f.add(`strata.db: ${row.integrity_check}`);
  }
  for (const row of db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[]) {
    f.add(`strata.db: a row of ${row.table} (rowid ${row.rowid}) points to a missing ${row.parent} row`);
  }
}

/** Layer chain ids some image's stack reaches. */
function usedLayers(db: Db): Set<string> {
  const rows = db
    .prepare<[], { chain_id: string }>(
      `WITH RECURSIVE used(chain_id) AS (
         SELECT top_layer FROM images WHERE top_layer IS NOT NULL
         UNION SELECT l.parent FROM layers l JOIN used u ON l.chain_id = u.chain_id WHERE l.parent IS NOT NULL
       ) SELECT chain_id FROM used`,
    )
    .all();
  return new Set(rows.map((r) => r.chain_id));
}

function checkLayers(store: Store, f: Findings): void {
  const { db, layers } = store;
  const rows = db.prepare<[], LayerRow>('SELECT chain_id, short, writer FROM layers').all();
  const used = usedLayers(db);
  const garbage: string[] = [];
  for (const row of rows) {
    const hex = digestHex(row.chain_id);
    const link = path.join(layers.dir, 'l', row.short);
    if (!isDir(layers.diffDir(row.chain_id))) {
      if (used.has(row.chain_id)) f.add(`layer ${short(row.chain_id)} has no directory (layers/${hex}/diff): the images on it cannot run; remove them and pull or load them again`);
      else garbage.push(row.chain_id);
      continue;
    }
    let target: string | undefined;
    try {
      target = fs.readlinkSync(link);
    } catch {
      target = undefined;
    }
    if (target !== `../${hex}/diff`) {
      f.add(`layer ${short(row.chain_id)} has no link layers/l/${row.short}`, 'the link is made again', () => {
        fs.rmSync(link, { force: true });
        fs.symlinkSync(`../${hex}/diff`, link);
      });
    }
    if (!used.has(row.chain_id) && !writerAlive(row.writer)) garbage.push(row.chain_id);
  }
  for (const chain of garbage) {
    f.add(`layer ${short(chain)} is used by no image, and nothing that runs is making one on it: a load, pull, commit, build or rmi stopped half way`, 'the layer is removed', () =>
      layers.removeUnusedLayers([chain]),
    );
  }
  const rowHexes = new Set(rows.map((r) => digestHex(r.chain_id)));
  const shorts = new Set(rows.map((r) => r.short));
  const debris: string[] = [];
  for (const name of entries(layers.dir)) {
    if (name === 'l') continue;
    if (/^[0-9a-f]{64}$/.test(name) ? !rowHexes.has(name) : name.startsWith('removing-') || isAbandoned(name, 'tmp-')) debris.push(`layers/${name}`);
    else if (/^[0-9a-f]{64}$/.test(name)) debris.push(...abandonedIn(path.join(layers.dir, name), '.tar-split-').map((n) => `layers/${name}/${n}`));
  }
  for (const name of entries(path.join(layers.dir, 'l'))) if (!shorts.has(name)) debris.push(`layers/l/${name}`);
  for (const d of debris) {
    f.add(`${d} belongs to no layer: a writer that stopped left it`, 'it is removed', () => {
      const p = path.join(store.root, d);
      if (d.includes('/.tar-split-') || d.startsWith('layers/l/')) fs.rmSync(p, { force: true });
      else layers.sweep();
    });
  }
}

/** Temporary files of writers that are gone, under `dir`. */
function abandonedIn(dir: string, prefix: string): string[] {
  return entries(dir).filter((n) => isAbandoned(n, prefix));
}

function checkImages(store: Store, f: Findings, verifyContent: boolean): void {
  const { db, images, blobs } = store;
  const rows = db.prepare<[], { id: string; top_layer: string | null }>('SELECT id, top_layer FROM images').all();
  const inUse = new Set(db.prepare<[], { image_id: string }>('SELECT DISTINCT image_id FROM containers').all().map((r) => r.image_id));
  const broken = (id: string, why: string) =>
    inUse.has(id)
      ? f.add(`image ${short(id)} ${why}; containers use it, so it stays: remove them, then the image, and pull or load it again`)
      : f.add(`image ${short(id)} ${why}`, 'the image and the layers only it used are removed (pull or load it again)', () => {
          const top = rows.find((r) => r.id === id)?.top_layer;
          const chain = top && store.layers.get(top) ? store.layers.layerChain(top).map((l) => l.chainId) : [];
          images.deleteImage(id);
          store.layers.removeUnusedLayers(chain);
        });
  for (const row of rows) {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(blobs.path(row.id));
    } catch {
      broken(row.id, `has no config (blobs/sha256/${digestHex(row.id)})`);
      continue;
    }
    if (verifyContent) {
      const actual = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      if (actual !== row.id) {
        broken(row.id, `has a corrupt config: its bytes hash to ${short(actual)}`);
        continue;
      }
    }
    let diffIds: unknown;
    try {
      diffIds = (JSON.parse(bytes.toString('utf8')) as { rootfs?: { diff_ids?: unknown } }).rootfs?.diff_ids;
    } catch {
      diffIds = undefined;
    }
    const chain = Array.isArray(diffIds) && diffIds.every((d) => typeof d === 'string' && isDigest(d)) ? chainIds(diffIds as string[]) : undefined;
    if (!chain || (chain.at(-1) ?? null) !== row.top_layer) broken(row.id, "has a config whose rootfs does not name its layers");
  }
  const ids = new Set(rows.map((r) => r.id));
  for (const name of entries(blobs.dir)) {
    if (/^[0-9a-f]{64}$/.test(name)) {
      if (!ids.has(`sha256:${name}`)) {
        f.add(`blob ${name.slice(0, 12)} belongs to no image: a load, pull, commit, build or rmi stopped half way`, 'the blob is removed', () => blobs.delete(`sha256:${name}`));
      }
    } else if (isAbandoned(name, '.tmp-')) {
      f.add(`blobs/sha256/${name} is the leftover of a writer that stopped`, 'it is removed', () => blobs.sweep());
    }
  }
}

/** Scratch space of builds, downloads and saves whose process is gone. */
function checkScratch(root: string, f: Findings): void {
  const places: [string, string][] = [
    [path.join(root, 'build'), 'tmp-'],
    [path.join(root, 'downloads'), 'tmp-'],
    ['/dev/shm', 'strata-build-'],
  ];
  for (const [dir, prefix] of places) {
    for (const name of abandonedIn(dir, prefix)) {
      const p = path.join(dir, name);
      f.add(`${p} is the scratch space of a build or pull that stopped`, 'it is removed', () => fs.rmSync(p, { recursive: true, force: true }));
    }
  }
  const downloads = path.join(root, 'downloads');
  for (const name of entries(downloads).filter((n) => n.endsWith('.lock'))) {
    let owner = '';
    try {
      owner = fs.readFileSync(path.join(downloads, name), 'utf8').trim();
    } catch {
      continue;
    }
    if (isAbandoned(`p${owner}`, 'p')) {
      f.add(`downloads/${name} is held by a pull that stopped`, 'the lock is removed (the download resumes next time)', () => fs.rmSync(path.join(downloads, name), { force: true }));
    }
  }
}

/** The store's findings; run it inside a write transaction. */
export function checkStore(store: Store, f: Findings, opts: { verifyContent: boolean }): void {
  checkDatabase(store.db, f);
  checkLayers(store, f);
  checkImages(store, f, opts.verifyContent);
  checkScratch(store.root, f);
}
