// Images and tags. An image is its config blob (id = digest of the config
// bytes) plus a row naming its top layer, the local parent it was committed
// or built on, and its creation time. Tags map a familiar "name:tag" to an id.
// A config blob is written inside the same write transaction as its row, so a
// concurrent delete of the same id cannot leave a row without its config.
//
// Finding an image follows Docker: a full id ("sha256:<hex>" or 64 hex) is
// an id; otherwise the input is a reference looked up as a tag ("busybox" is
// "busybox:latest"); failing that, a unique id prefix (with or without
// "sha256:"), as short as one character. A reference with a digest
// ("busybox@sha256:…") is looked up among the manifests images were pulled
// or pushed as (their RepoDigests).

import type { ImageSummary } from '../api';
import { conflict, invalidArgument, notFound } from '../errors';
import { parseImageConfig, parseTimestamp, type OciImageConfig } from '../oci/config';
import { familiarName, familiarString, parseReference, tagName, withDefaultTag } from '../oci/reference';
import { BlobStore } from './blobs';
import type { Db } from './db';
import { chainIds, checkDigest, isDigest } from '../oci/digest';

export interface ImageRecord {
  id: string;
  topLayer: string | null;
  parent: string; // '' when none
  created: number; // unix ns, from config.created
  added: number; // unix ns, when this store got it
}

/** What listImages shows a chooser of each image (its labels are read only when asked for). */
export interface ImageListEntry extends ImageRecord {
  children: number;
  repoTags: string[];
  repoDigests: string[];
  labels(): Record<string, string>;
}
export type ImageChooser = (entry: ImageListEntry) => { repoTags: string[]; repoDigests: string[] } | undefined;

export interface Image extends ImageRecord {
  config: OciImageConfig;
  repoTags: string[];
}

interface ImageRow {
  id: string;
  top_layer: string | null;
  parent: string;
  created: number;
  added: number;
}

const fromRow = (r: ImageRow): ImageRecord => ({
  id: r.id,
  topLayer: r.top_layer,
  parent: r.parent,
  created: r.created,
  added: r.added,
});

const nowNs = () => BigInt(Date.now()) * 1_000_000n;

export class ImageStore {
  readonly blobs: BlobStore;
  private readonly getStmt;
  private readonly insertStmt;
  private readonly deleteStmt;
  private readonly prefixStmt;
  private readonly childrenStmt;
  private readonly allStmt;
  private readonly layerStmt;
  private readonly stackStmt;
  private readonly containerCountsStmt;
  private readonly countStmt;
  private readonly tagGetStmt;
  private readonly tagSetStmt;
  private readonly tagDeleteStmt;
  private readonly tagsOfStmt;
  private readonly allTagsStmt;
  private readonly untagAllStmt;
  private readonly digestGetStmt;
  private readonly digestSetStmt;
  private readonly digestDeleteStmt;
  private readonly digestsOfStmt;
  private readonly allDigestsStmt;
  private readonly undigestAllStmt;

  constructor(
    private readonly db: Db,
    root: string,
  ) {
    this.blobs = new BlobStore(root);
    this.getStmt = db.prepare<[string], ImageRow>('SELECT * FROM images WHERE id = ?');
    this.insertStmt = db.prepare<[string, string | null, string, bigint, bigint]>(
      'INSERT INTO images (id, top_layer, parent, created, added) VALUES (?, ?, ?, ?, ?)',
    );
    this.deleteStmt = db.prepare<[string]>('DELETE FROM images WHERE id = ?');
    // Ids are lowercase hex, so every id starting with p sorts in [p, p + 'g').
    this.prefixStmt = db.prepare<[string, string], { id: string }>('SELECT id FROM images WHERE id >= ? AND id < ? LIMIT 2');
    this.childrenStmt = db.prepare<[string], { id: string }>('SELECT id FROM images WHERE parent = ? ORDER BY created');
    this.allStmt = db.prepare<[], ImageRow & { children: number }>(
      `SELECT i.*, (SELECT count(*) FROM images c WHERE c.parent = i.id) AS children
       FROM images i ORDER BY i.created DESC, i.id`,
    );
    this.layerStmt = db.prepare<[string], { chain_id: string }>('SELECT chain_id FROM layers WHERE chain_id = ?');
    this.stackStmt = db.prepare<[string], { size: number; depth: number }>(
      `WITH RECURSIVE chain(chain_id, parent, size) AS (
         SELECT chain_id, parent, size FROM layers WHERE chain_id = ?
         UNION ALL
         SELECT l.chain_id, l.parent, l.size FROM layers l JOIN chain c ON l.chain_id = c.parent
       )
       SELECT coalesce(sum(size), 0) AS size, count(*) AS depth FROM chain`,
    );
    this.countStmt = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM images');
    this.containerCountsStmt = db.prepare<[], { image_id: string; n: number }>(
      'SELECT image_id, count(*) AS n FROM containers GROUP BY image_id',
    );
    this.tagGetStmt = db.prepare<[string], { image_id: string }>('SELECT image_id FROM tags WHERE ref = ?');
    this.tagSetStmt = db.prepare<[string, string, bigint]>(
      'INSERT INTO tags (ref, image_id, tagged) VALUES (?, ?, ?) ON CONFLICT(ref) DO UPDATE SET image_id = excluded.image_id, tagged = excluded.tagged',
    );
    this.tagDeleteStmt = db.prepare<[string]>('DELETE FROM tags WHERE ref = ?');
    this.tagsOfStmt = db.prepare<[string], { ref: string }>('SELECT ref FROM tags WHERE image_id = ? ORDER BY ref');
    this.allTagsStmt = db.prepare<[], { ref: string; image_id: string }>('SELECT ref, image_id FROM tags ORDER BY ref');
    this.untagAllStmt = db.prepare<[string]>('DELETE FROM tags WHERE image_id = ?');
    this.digestGetStmt = db.prepare<[string], { image_id: string }>('SELECT image_id FROM repo_digests WHERE ref = ?');
    this.digestSetStmt = db.prepare<[string, string, bigint]>(
      'INSERT INTO repo_digests (ref, image_id, added) VALUES (?, ?, ?) ON CONFLICT(ref) DO UPDATE SET image_id = excluded.image_id',
    );
    this.digestDeleteStmt = db.prepare<[string]>('DELETE FROM repo_digests WHERE ref = ?');
    this.digestsOfStmt = db.prepare<[string], { ref: string }>('SELECT ref FROM repo_digests WHERE image_id = ? ORDER BY added, ref');
    this.allDigestsStmt = db.prepare<[], { ref: string; image_id: string }>('SELECT ref, image_id FROM repo_digests ORDER BY added, ref');
    this.undigestAllStmt = db.prepare<[string]>('DELETE FROM repo_digests WHERE image_id = ?');
  }

  /**
   * Stores an image from its config bytes (kept byte for byte: the id is their
   * digest). Every layer of rootfs.diff_ids must already be in the layer store.
   * Idempotent: an image that exists is left as it is (created: false).
   */
  createImage(configBytes: Uint8Array, opts: { parent?: string } = {}): { id: string; created: boolean } {
    const config = parseImageConfig(configBytes);
    const parent = opts.parent ?? '';
    if (parent) this.row(checkDigest(parent, 'parent image id'));
    const chain = chainIds(config.rootfs.diff_ids);
    const topLayer = chain.length ? chain[chain.length - 1] : null;
    if (topLayer && !this.layerStmt.get(topLayer)) {
      throw invalidArgument(`image config refers to layers that are not in the store (top chain ${topLayer})`);
    }
    const created = config.created ? parseTimestamp(config.created) : 0n;
    return this.db
      .transaction(() => {
        const id = this.blobs.put(configBytes);
        if (this.getStmt.get(id)) return { id, created: false };
        this.insertStmt.run(id, topLayer, parent, created, nowNs());
        return { id, created: true };
      })
      .immediate();
  }

  has(id: string): boolean {
    return isDigest(id) && this.getStmt.get(id) !== undefined;
  }

  /** The image with this exact id (sha256:<hex>). */
  getImage(id: string): Image {
    return {
      ...fromRow(this.row(id)),
      config: parseImageConfig(this.blobs.get(id)),
      repoTags: this.tagsOf(id),
    };
  }

  /** The config exactly as stored (save, inspect of raw bytes). */
  configBytes(id: string): Buffer {
    this.row(id);
    return this.blobs.get(id);
  }

  /** Finds an image from what a user typed: a tag, a full id, or a unique id prefix. */
  resolveImage(refOrId: string): Image {
    return this.getImage(this.resolveId(refOrId));
  }

  resolveId(refOrId: string): string {
    const full = /^(?:sha256:)?([a-f0-9]{64})$/.exec(refOrId);
    if (full) {
      const id = `sha256:${full[1]}`;
      if (!this.getStmt.get(id)) throw notFound(`No such image: ${id}`);
      return id;
    }
    const ref = parseReference(refOrId);
    const shown = familiarString(withDefaultTag(ref));
    if (ref.digest === undefined) {
      const tagged = this.tagGetStmt.get(shown);
      if (tagged) return tagged.image_id;
    } else {
      const pulled = this.digestGetStmt.get(`${familiarName(ref)}@${ref.digest}`);
      if (pulled) return pulled.image_id;
    }
    const prefix = /^(?:sha256:)?([a-f0-9]+)$/.exec(refOrId);
    if (prefix) {
      const matches = this.prefixStmt.all(`sha256:${prefix[1]}`, `sha256:${prefix[1]}g`);
      if (matches.length > 1) throw invalidArgument(`multiple images found with provided prefix: ${refOrId}`);
      if (matches.length === 1) return matches[0].id;
    }
    throw notFound(`No such image: ${shown}`);
  }

  /** Points `ref` at the image (moving it from another image if needed); returns the normalized tag. */
  tag(ref: string, id: string): { ref: string; previous: string | null } {
    const name = tagName(ref);
    this.row(id);
    return this.db
      .transaction(() => {
        const previous = this.tagGetStmt.get(name)?.image_id ?? null;
        this.tagSetStmt.run(name, id, nowNs());
        return { ref: name, previous: previous === id ? null : previous };
      })
      .immediate();
  }

  /** Removes a tag, or a digest reference ("name@sha256:…"); NotFound when there is no such reference. */
  untag(ref: string): { ref: string; imageId: string } {
    const parsed = parseReference(ref);
    if (parsed.digest !== undefined) {
      const name = `${familiarName(parsed)}@${parsed.digest}`;
      const imageId = this.digestGetStmt.get(name)?.image_id;
      if (!imageId) throw notFound(`No such image: ${name}`);
      this.digestDeleteStmt.run(name);
      return { ref: name, imageId };
    }
    const name = familiarString(withDefaultTag(parsed));
    const imageId = this.tagGetStmt.get(name)?.image_id;
    if (!imageId) throw notFound(`No such image: ${name}`);
    this.tagDeleteStmt.run(name);
    return { ref: name, imageId };
  }

  tagsOf(id: string): string[] {
    return this.tagsOfStmt.all(id).map((r) => r.ref);
  }

  /** Records that the image is the manifest `digest` of repository `name` (familiar form): one of its RepoDigests. */
  addRepoDigest(name: string, digest: string, id: string): string {
    const ref = `${name}@${checkDigest(digest, 'manifest digest')}`;
    this.row(id);
    this.digestSetStmt.run(ref, id, nowNs());
    return ref;
  }

  /** "name@sha256:…" references of the image, oldest first. */
  repoDigestsOf(id: string): string[] {
    return this.digestsOfStmt.all(id).map((r) => r.ref);
  }

  /** Images whose local parent is `id` (oldest first). */
  children(id: string): string[] {
    return this.childrenStmt.all(id).map((r) => r.id);
  }

  /** Bytes of all the image's layers, unpacked. */
  imageSize(id: string): number {
    return this.stack(this.row(id).top_layer).size;
  }

  /** Every image, intermediate and dangling ones included (what `images -a` lists). */
  count(): number {
    return this.countStmt.get()!.n;
  }

  /**
   * `docker images`: tagged images and untagged ones that are no other image's
   * parent (dangling); with `all`, the intermediate images too. Newest first.
   * `choose`, when given, decides instead: it sees each image and returns the
   * references to list it with, or undefined to leave it out (image/list.ts).
   */
  listImages(opts: { all?: boolean; choose?: ImageChooser } = {}): ImageSummary[] {
    const tags = new Map<string, string[]>();
    for (const t of this.allTagsStmt.all()) tags.set(t.image_id, [...(tags.get(t.image_id) ?? []), t.ref]);
    const digests = new Map<string, string[]>();
    for (const d of this.allDigestsStmt.all()) digests.set(d.image_id, [...(digests.get(d.image_id) ?? []), d.ref]);
    const containers = new Map(this.containerCountsStmt.all().map((c) => [c.image_id, c.n]));
    const out: ImageSummary[] = [];
    for (const row of this.allStmt.all()) {
      let refs: { repoTags: string[]; repoDigests: string[] } | undefined = { repoTags: tags.get(row.id) ?? [], repoDigests: digests.get(row.id) ?? [] };
      let labels: Record<string, string> | undefined;
      const labelsOf = () => (labels ??= this.labelsOf(row.id));
      if (opts.choose) refs = opts.choose({ ...fromRow(row), children: row.children, ...refs, labels: labelsOf });
      else if (refs.repoTags.length === 0 && refs.repoDigests.length === 0 && row.children > 0 && !opts.all) refs = undefined;
      if (!refs) continue;
      const stack = this.stack(row.top_layer);
      out.push({
        id: row.id,
        ...refs,
        parentId: row.parent,
        created: Math.floor(row.created / 1e9),
        added: Math.floor(row.added / 1e9),
        size: stack.size,
        layers: stack.depth,
        containers: containers.get(row.id) ?? 0,
        labels: labelsOf(),
      });
    }
    return out;
  }

  /** A stored config's labels: it was checked when stored (createImage), so a listing only parses it. */
  private labelsOf(id: string): Record<string, string> {
    return (JSON.parse(this.blobs.get(id).toString('utf8')) as OciImageConfig).config?.Labels ?? {};
  }

  /**
   * Deletes an image's row, tags and config. Policy (children, containers,
   * -f) is the caller's; layers stay until LayerStore.removeUnusedLayers().
   */
  deleteImage(id: string): { untagged: string[] } {
    this.row(id);
    const result = this.db
      .transaction(() => {
        const untagged = [...this.tagsOf(id), ...this.repoDigestsOf(id)];
        this.untagAllStmt.run(id);
        this.undigestAllStmt.run(id);
        try {
          this.deleteStmt.run(id);
        } catch (err) {
          if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
            throw conflict(`image ${id} is being used by a container`);
          }
          throw err;
        }
        return { untagged };
      })
      .immediate();
    // Once the row is gone for good, so a crash before its commit cannot leave a row without its config
    // (one after it leaves a blob without a row, which `system check --repair` removes); and only while
    // no one made the same image again meanwhile.
    this.db.transaction(() => this.getStmt.get(id) || this.blobs.delete(id)).immediate();
    return result;
  }

  /** Total unpacked size and number of layers of the stack under a top layer. */
  private stack(topLayer: string | null): { size: number; depth: number } {
    return topLayer ? this.stackStmt.get(topLayer)! : { size: 0, depth: 0 };
  }

  private row(id: string): ImageRow {
    const row = isDigest(id) ? this.getStmt.get(id) : undefined;
    if (!row) throw notFound(`No such image: ${id}`);
    return row;
  }
}
