// The layer store: each layer is unpacked once into <root>/layers/<chain hex>/diff
// and shared by every image whose stack contains it. The ChainID names the
// layer together with everything below it, so one dir serves as an overlay
// lowerdir with the same meaning in every image. layers/l/<short> are short
// symlinks to the diff dirs (Docker's overlay2 trick), so an overlay mount of
// 128 lower layers still fits its options in one page.
//
// Crash safety. A layer row is inserted only after its dir and link exist, and
// a row is deleted before its dir goes; the renames that publish or retire a
// dir happen inside the same IMMEDIATE transaction as the row change, so no
// other process sees the two disagree. What a crash can leave behind:
//   tmp-<pid>-*      an unpack in progress (or trash being deleted)
//   <hex> without row  published, but the insert never committed
//   removing-<hex>   retired; if its row survived (transaction rolled back) it
//                    is put back, else deleted
//   l/<short> without row
// sweep() (run when the store opens) repairs all of these.

import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { TarObserver } from '../fs/tarReader';
import { invalidArgument, notFound } from '../errors';
import type { Db } from './db';
import { chainId as makeChainId, checkDigest, digestHex } from '../oci/digest';
import { isAbandoned, tempName, writerIdentity } from './liveness';

/** Docker's overlay2 limit: more lower dirs than this cannot be mounted reliably. */
export const maxLayerDepth = 128;

const tmpPrefix = 'tmp-';
const removingPrefix = 'removing-';
const hexName = /^[0-9a-f]{64}$/;
const shortAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export interface LayerRecord {
  chainId: string;
  diffId: string;
  parent: string | null;
  short: string; // name of the link layers/l/<short>
  size: number; // bytes of the unpacked files
  created: number; // unix ns
}

/** A layer unpacked into a staging dir of the store, verified, not yet published. */
export interface StagedLayer {
  dir: string;
  diffId: string;
  size: number;
}

export interface RegisteredLayer {
  chainId: string;
  diffId: string;
  size: number;
  /** False when an identical layer (same chain) was already there and was reused. */
  created: boolean;
}

interface LayerRow {
  chain_id: string;
  diff_id: string;
  parent: string | null;
  short: string;
  size: number;
  created: number;
}

const fromRow = (r: LayerRow): LayerRecord => ({
  chainId: r.chain_id,
  diffId: r.diff_id,
  parent: r.parent,
  short: r.short,
  size: r.size,
  created: r.created,
});

const chainSql = `
  WITH RECURSIVE chain(chain_id, diff_id, parent, short, size, created, depth) AS (
    SELECT chain_id, diff_id, parent, short, size, created, 0 FROM layers WHERE chain_id = ?
    UNION ALL
    SELECT l.chain_id, l.diff_id, l.parent, l.short, l.size, l.created, c.depth + 1
    FROM layers l JOIN chain c ON l.chain_id = c.parent
  )
  SELECT chain_id, diff_id, parent, short, size, created FROM chain ORDER BY depth`;

// Layers reachable from no image's top layer, deepest first so children go before parents.
const unusedSql = `
  WITH RECURSIVE used(chain_id) AS (
    SELECT top_layer FROM images WHERE top_layer IS NOT NULL
    UNION
    SELECT l.parent FROM layers l JOIN used u ON l.chain_id = u.chain_id WHERE l.parent IS NOT NULL
  ),
  depth(chain_id, d) AS (
    SELECT chain_id, 0 FROM layers WHERE parent IS NULL
    UNION ALL
    SELECT l.chain_id, depth.d + 1 FROM layers l JOIN depth ON l.parent = depth.chain_id
  )
  SELECT l.chain_id, l.diff_id, l.parent, l.short, l.size, l.created
  FROM layers l JOIN depth USING (chain_id)
  WHERE l.chain_id NOT IN (SELECT chain_id FROM used)
  ORDER BY depth.d DESC`;

export class LayerStore {
  /** <root>/layers: overlay mounts chdir here and use the short links relative to it. */
  readonly dir: string;
  private readonly linkDir: string;
  private readonly getStmt;
  private readonly allStmt;
  private readonly chainStmt;
  private readonly unusedStmt;
  private readonly insertStmt;
  private readonly deleteStmt;
  private readonly childrenStmt;

  constructor(
    private readonly db: Db,
    root: string,
  ) {
    this.dir = path.join(root, 'layers');
    this.linkDir = path.join(this.dir, 'l');
    fs.mkdirSync(this.linkDir, { recursive: true });
    this.getStmt = db.prepare<[string], LayerRow>('SELECT * FROM layers WHERE chain_id = ?');
    this.allStmt = db.prepare<[], { chain_id: string; short: string }>('SELECT chain_id, short FROM layers');
    this.chainStmt = db.prepare<[string], LayerRow>(chainSql);
    this.unusedStmt = db.prepare<[], LayerRow>(unusedSql);
    this.insertStmt = db.prepare<[string, string, string | null, string, number, bigint, string]>(
      'INSERT INTO layers (chain_id, diff_id, parent, short, size, created, writer) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.deleteStmt = db.prepare<[string]>('DELETE FROM layers WHERE chain_id = ?');
    this.childrenStmt = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM layers WHERE parent = ?');
    this.sweep();
  }

  get(chainId: string): LayerRecord | undefined {
    const row = this.getStmt.get(checkDigest(chainId, 'chain id'));
    return row && fromRow(row);
  }

  /** The absolute path of a layer's unpacked files. */
  diffDir(chainId: string): string {
    return path.join(this.dir, digestHex(chainId, 'chain id'), 'diff');
  }

  /**
   * Unpacks a layer tar on top of `parent` (null for a base layer). When the
   * resulting chain already exists the new copy is discarded and the existing
   * layer returned with created: false. `check` sees the DiffID once the tar
   * is read and before anything is published: throwing discards the files.
   * `observer` sees the tar's framing as it is read.
   */
  async registerLayer(parent: string | null, tar: Readable, opts: { check?: (diffId: string) => void; observer?: TarObserver } = {}): Promise<RegisteredLayer> {
    this.checkDepth(parent);
    return this.publishLayer(parent, await this.prepareLayer(tar, opts));
  }

  /**
   * The first half of registerLayer: unpacks a tar into a private staging
   * dir that is not a layer yet (nothing the store lists), so several layers
   * of one image can be unpacked at once before their parents exist. A
   * failure (or `check` throwing) removes the dir. The result is published
   * with publishLayer or dropped with discardStaged.
   */
  async prepareLayer(tar: Readable, opts: { check?: (diffId: string) => void; observer?: TarObserver } = {}): Promise<StagedLayer> {
    const dir = path.join(this.dir, tempName(tmpPrefix));
    fs.mkdirSync(path.join(dir, 'diff'), { recursive: true, mode: 0o755 });
    try {
      // Loaded here, not at the top: most commands open the store without unpacking anything.
      const { unpackLayer } = await import('../fs/tarUnpack');
      const { diffId, size } = await unpackLayer(tar, path.join(dir, 'diff'), { observer: opts.observer });
      opts.check?.(diffId);
      return { dir, diffId, size };
    } catch (err) {
      await fs.promises.rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** Makes a staged layer the layer on top of `parent` (which must exist by now); the staging dir is gone after. */
  async publishLayer(parent: string | null, staged: StagedLayer): Promise<RegisteredLayer> {
    const trash: string[] = [staged.dir];
    try {
      this.checkDepth(parent);
      const { diffId, size } = staged;
      const chainId = makeChainId(parent, diffId);
      const created = this.db
        .transaction(() => {
          if (this.getStmt.get(chainId)) return false;
          this.publish(staged.dir, chainId, diffId, parent, size, trash);
          return true;
        })
        .immediate();
      return { chainId, diffId, size: created ? size : this.get(chainId)!.size, created };
    } finally {
      for (const dir of trash) await fs.promises.rm(dir, { recursive: true, force: true });
    }
  }

  /** Drops a staged layer that will not be published. */
  async discardStaged(staged: StagedLayer): Promise<void> {
    await fs.promises.rm(staged.dir, { recursive: true, force: true });
  }

  private checkDepth(parent: string | null): void {
    if (parent !== null && this.layerChain(parent).length >= maxLayerDepth) {
      throw invalidArgument(`max depth exceeded: an image can have at most ${maxLayerDepth} layers`);
    }
  }

  /** Moves an unpacked dir into place, links it and inserts its row; runs inside the write transaction. */
  private publish(tmp: string, chainId: string, diffId: string, parent: string | null, size: number, trash: string[]): void {
    const hex = digestHex(chainId);
    const final = path.join(this.dir, hex);
    if (fs.existsSync(final)) {
      // A dir without a row is a crash's leftover: we hold the write lock, nobody else is publishing it.
      const aside = path.join(this.dir, tempName(tmpPrefix));
      fs.renameSync(final, aside);
      trash.push(aside);
    }
    const short = shortName();
    const link = path.join(this.linkDir, short);
    fs.renameSync(tmp, final);
    try {
      fs.symlinkSync(`../${hex}/diff`, link);
      syncDir(this.dir);
      syncDir(this.linkDir);
      this.insertStmt.run(chainId, diffId, parent, short, size, BigInt(Date.now()) * 1_000_000n, writerIdentity());
    } catch (err) {
      fs.rmSync(link, { force: true });
      fs.renameSync(final, tmp);
      throw err;
    }
  }

  /** The layers of a stack, base first (the order of rootfs.diff_ids). */
  layerChain(topChainId: string): LayerRecord[] {
    return this.chainTopFirst(topChainId).reverse();
  }

  /**
   * What an overlay mount of the stack needs, top first (lowerdir order):
   * the short links relative to `dir` ("l/ABC…") and the absolute diff dirs.
   */
  lowerDirs(topChainId: string): { shorts: string[]; dirs: string[] } {
    const chain = this.chainTopFirst(topChainId);
    return {
      shorts: chain.map((l) => `l/${l.short}`),
      dirs: chain.map((l) => this.diffDir(l.chainId)),
    };
  }

  private chainTopFirst(topChainId: string): LayerRecord[] {
    const rows = this.chainStmt.all(checkDigest(topChainId, 'chain id'));
    if (rows.length === 0) throw notFound(`layer ${topChainId} does not exist`);
    return rows.map(fromRow);
  }

  /**
   * Deletes layers no image's stack uses any more (children before parents),
   * with their dirs and links. `only` limits it to those chain ids (to undo
   * one failed import without touching layers another process is building on).
   */
  removeUnusedLayers(only?: readonly string[]): LayerRecord[] {
    const retired: Array<{ layer: LayerRecord; dir: string; moved: boolean }> = [];
    this.db
      .transaction(() => {
        for (const row of this.unusedStmt.all()) {
          const layer = fromRow(row);
          if (only && !only.includes(layer.chainId)) continue;
          // Deeper layers were deleted first; one still here (outside `only`) keeps this parent.
          if (this.childrenStmt.get(layer.chainId)!.n > 0) continue;
          this.deleteStmt.run(layer.chainId);
          const hex = digestHex(layer.chainId);
          const dir = path.join(this.dir, removingPrefix + hex);
          let moved = true;
          try {
            fs.renameSync(path.join(this.dir, hex), dir);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
              // The transaction rolls back: put the dirs retired so far back under their names.
              for (const r of retired) {
                if (r.moved) fs.renameSync(r.dir, path.join(this.dir, digestHex(r.layer.chainId)));
              }
              throw err;
            }
            moved = false;
          }
          retired.push({ layer, dir, moved });
        }
      })
      .immediate();
    for (const { layer, dir } of retired) {
      fs.rmSync(path.join(this.linkDir, layer.short), { force: true });
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return retired.map((r) => r.layer);
  }

  /** Repairs what crashed writers left (see the top of this file). Cheap when there is nothing to do. */
  sweep(): void {
    if (!this.findDebris()) return;
    const trash: string[] = [];
    this.db
      .transaction(() => {
        const debris = this.findDebris();
        if (!debris) return;
        for (const name of debris.orphans) {
          const aside = path.join(this.dir, tempName(tmpPrefix));
          fs.renameSync(path.join(this.dir, name), aside);
          trash.push(aside);
        }
        for (const name of debris.retired) {
          const hex = name.slice(removingPrefix.length);
          const live = path.join(this.dir, hex);
          if (debris.rows.has(hex) && !fs.existsSync(live)) fs.renameSync(path.join(this.dir, name), live);
          else trash.push(path.join(this.dir, name));
        }
        for (const short of debris.links) fs.rmSync(path.join(this.linkDir, short), { force: true });
        trash.push(...debris.abandoned.map((n) => path.join(this.dir, n)));
      })
      .immediate();
    for (const dir of trash) fs.rmSync(dir, { recursive: true, force: true });
  }

  private findDebris() {
    const rows = new Map(this.allStmt.all().map((r) => [digestHex(r.chain_id), r.short]));
    const shorts = new Set(rows.values());
    const orphans: string[] = [];
    const retired: string[] = [];
    const abandoned: string[] = [];
    for (const name of fs.readdirSync(this.dir)) {
      if (hexName.test(name) && !rows.has(name)) orphans.push(name);
      else if (name.startsWith(removingPrefix)) retired.push(name);
      else if (isAbandoned(name, tmpPrefix)) abandoned.push(name);
    }
    const links = fs.readdirSync(this.linkDir).filter((s) => !shorts.has(s));
    if (orphans.length + retired.length + abandoned.length + links.length === 0) return null;
    return { rows, orphans, retired, abandoned, links };
  }
}

function shortName(): string {
  const { randomInt } = process.getBuiltinModule('node:crypto'); // loaded when a layer is made, not at open
  let s = '';
  for (let i = 0; i < 26; i++) s += shortAlphabet[randomInt(shortAlphabet.length)];
  return s;
}

function syncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
