// `docker load`: images from an archive. Reads what Docker writes (legacy
// `<id>/layer.tar` archives and the 25+ OCI layout with manifest.json), what
// skopeo writes (`<digest>.tar` layers, symlinked legacy dirs) and plain OCI
// image layouts (index.json only), with layers plain or compressed (gzip,
// bzip2, xz, zstd). manifest.json governs when present, as in Docker's
// classic store; otherwise index.json does.
//
// Everything is verified: each blob against the digest it is named by, each
// config against the image id it is named by, each layer's uncompressed
// content against the config's diff id. A failure leaves the store as it
// was: the layers this load made are removed, and images and tags are only
// written, in one transaction, once every layer is in place.
//
// Layers stream straight into the layer store when the archive names them
// before their bytes arrive (Strata's own archives put the metadata first);
// otherwise the archive is staged first (small files in memory, big ones on
// disk in a layers/tmp-<pid>-* dir, which the layer store's sweep removes if
// this process dies) and the layers unpacked from there.

import { createHash } from 'node:crypto';
import path from 'node:path';
import type { LoadedImage } from '../api';
import { invalidArgument } from '../errors';
import { decompressed } from '../fs/decompress';
import { shown } from '../fs/tarReader';
import { chainIds, isDigest, sha256Digest } from '../oci/digest';
import { maxLayerDepth } from '../store/layers';
import { tempName } from '../store/liveness';
import type { Store } from '../store/store';
import {
  blobPath,
  imageNameAnnotation,
  indexFile,
  manifestFile,
  mediaTypes,
  refNameAnnotation,
  type Descriptor,
  type ManifestItem,
  type OciIndex,
  type OciManifest,
} from './archiveFormat';
import { ArchiveContents, type ArchiveFile } from './archiveReader';
import { hostArchitecture, parseImageConfig, type OciImageConfig } from '../oci/config';
import { parseReference, tagName } from '../oci/reference';
import { registerLayerTar } from './tarSplit';

/** Image indexes inside image indexes: deeper than any tool writes. */
const maxIndexDepth = 8;

interface ImagePlan {
  configBytes: Buffer;
  config: OciImageConfig;
  id: string;
  chainIds: string[];
  /** Archive paths of the layer tars, base first. */
  layerPaths: string[];
  tags: string[];
  parent?: string;
}

export async function loadImages(store: Store, input: AsyncIterable<Buffer | string>): Promise<LoadedImage[]> {
  const loader = new Loader(store);
  try {
    return await loader.load(input);
  } catch (err) {
    loader.rollback();
    throw err;
  } finally {
    await loader.contents.dispose();
  }
}

class Loader {
  readonly contents: ArchiveContents;
  /** Chains this load made, to remove on failure. */
  private readonly created: string[] = [];
  /** Chains known to be in the store with the right content. */
  private readonly ready = new Set<string>();
  /** For streaming layers only: manifest.json as read, the configs it still waits for, its layers by resolved path. */
  private streaming: {
    manifest: ArchiveFile;
    waiting: Set<string>;
    layers: Map<string, Array<{ plan: ImagePlan; index: number }>> | null;
    tried: boolean;
  } | null = null;
  /** Configs by image id, parsed once whatever number of items and indexes name them. */
  private readonly configs = new Map<string, { config: OciImageConfig; chainIds: string[] }>();
  /** OCI indexes and manifests by digest, parsed once. */
  private readonly documents = new Map<string, unknown>();
  /** The last entry offered to streamLayer, when it was declined (and so kept). */
  private declined: string | null = null;

  constructor(private readonly store: Store) {
    this.contents = new ArchiveContents(path.join(store.layers.dir, tempName('tmp-')));
  }

  async load(input: AsyncIterable<Buffer | string>): Promise<LoadedImage[]> {
    await this.contents.read(input, (name, size, body) => this.streamLayer(name, body));
    const plans = this.contents.has(manifestFile) ? this.dockerPlans() : this.contents.has(indexFile) ? this.ociPlans() : null;
    if (!plans) throw invalidArgument('invalid archive: it has neither manifest.json nor index.json');
    for (const plan of plans) await this.unpackLayers(plan);
    return this.createImages(plans);
  }

  /** Undoes what a failed load made: its layers (images and tags were never written). */
  rollback(): void {
    if (this.created.length > 0) this.store.layers.removeUnusedLayers(this.created);
  }

  // ------------------------------------------------------------ streaming

  /**
   * Takes a layer as it streams past when the archive already said which
   * layer it is and what lies below it; declines anything else.
   */
  private async streamLayer(name: string, body: AsyncIterable<Buffer>): Promise<false | { digest: string }> {
    // The entry offered before this one, if declined, is now in the archive's contents.
    if (this.declined !== null) this.streaming?.waiting.delete(this.declined);
    this.declined = name;
    const positions = this.positionsOf(name);
    if (positions.length === 0) return false;
    this.declined = null;
    const { plan, index } = positions[0]!;
    const chain = plan.chainIds[index]!;
    const parent = index > 0 ? plan.chainIds[index - 1]! : null;
    // Each use must be the same layer on the same stack, whose lower layers are in place.
    if (!positions.every((p) => p.plan.chainIds[p.index] === chain)) return false;
    if (parent !== null && !this.ready.has(parent) && !this.store.layers.get(parent)) return false;
    return { digest: await this.putLayer(plan, index, body, name) };
  }

  /**
   * Where the archive's manifest.json uses this path as a layer, once the
   * manifest and every config it names have streamed past. Each entry costs
   * a map lookup: the manifest is read once, its plans made once (or found
   * wanting once), its layer paths resolved once.
   */
  private positionsOf(name: string): Array<{ plan: ImagePlan; index: number }> {
    return this.streamingLayers()?.get(name) ?? [];
  }

  private streamingLayers(): Map<string, Array<{ plan: ImagePlan; index: number }>> | null {
    const manifest = this.contents.has(manifestFile) ? this.contents.get(manifestFile) : null;
    if (manifest === null) return null;
    const s = this.streaming;
    if (s?.manifest !== manifest) {
      // First sight of manifest.json (or a later entry replacing it): what must stream past before its plans can be made.
      let waiting: Set<string>;
      try {
        waiting = new Set(this.manifestItems().map((item) => this.contents.resolvePath(item.Config)).filter((c) => !this.contents.has(c)));
      } catch {
        waiting = new Set(); // a bad manifest: no plans, the load's own reading says why
      }
      this.streaming = { manifest, waiting, layers: null, tried: false };
      return this.streamingLayers();
    }
    if (s.tried) return s.layers;
    if (s.waiting.size > 0) return null;
    s.tried = true;
    try {
      const byPath = new Map<string, Array<{ plan: ImagePlan; index: number }>>();
      for (const plan of this.dockerPlans()) {
        plan.layerPaths.forEach((p, index) => {
          const resolved = this.contents.resolvePath(p);
          const uses = byPath.get(resolved);
          if (uses) uses.push({ plan, index });
          else byPath.set(resolved, [{ plan, index }]);
        });
      }
      s.layers = byPath;
    } catch {
      s.layers = null; // decided from the staged copy at the end, where the error is reported
    }
    return s.layers;
  }

  // ------------------------------------------------------------- planning

  /** Images as manifest.json lists them (Docker, skopeo). */
  private dockerPlans(): ImagePlan[] {
    // Items may share a config: each is read and checked once.
    const configs = new Map<ArchiveFile, { bytes: Buffer; id: string }>();
    return this.manifestItems().map((item, i) => {
      const where = `manifest.json item ${i}`;
      const configFile = this.contents.get(item.Config, manifestFile);
      let config = configs.get(configFile);
      if (!config) {
        const bytes = this.contents.bytes(configFile);
        config = { bytes, id: sha256Digest(bytes) };
        configs.set(configFile, config);
      }
      const { bytes: configBytes, id } = config;
      // A config named by its digest ("<hex>.json", blobs/sha256/<hex>) must have it.
      const named = /(?:^|\/)([0-9a-f]{64})(?:\.json)?$/.exec(this.contents.resolvePath(item.Config));
      if (named && `sha256:${named[1]}` !== id) {
        throw invalidArgument(`invalid archive: config ${shown(item.Config)} does not match its digest (its content is ${id})`);
      }
      const tags = (item.RepoTags ?? []).map((t) => {
        if (typeof t !== 'string') throw invalidArgument(`invalid archive: ${where} has a tag that is not a string`);
        return tagName(t);
      });
      const parent = typeof item.Parent === 'string' && isDigest(item.Parent) ? item.Parent : undefined;
      return this.plan(configBytes, id, item.Layers, tags, parent, where);
    });
  }

  /** manifest.json's items, each checked for its Config and Layers. */
  private manifestItems(): ManifestItem[] {
    const manifest = parseJson<ManifestItem[]>(this.contents.document(manifestFile), manifestFile);
    if (!Array.isArray(manifest)) throw invalidArgument('invalid archive: manifest.json is not a list');
    manifest.forEach((item, i) => {
      if (typeof item?.Config !== 'string' || !Array.isArray(item.Layers) || !item.Layers.every((l) => typeof l === 'string')) {
        throw invalidArgument(`invalid archive: manifest.json item ${i} lacks Config or Layers`);
      }
    });
    return manifest;
  }

  /** Images as an OCI layout's index.json lists them. */
  private ociPlans(): ImagePlan[] {
    const index = parseJson<OciIndex>(this.contents.document(indexFile), indexFile);
    if (!Array.isArray(index?.manifests)) throw invalidArgument('invalid archive: index.json has no manifests');
    const byManifest = new Map<string, ImagePlan>();
    const tags = new Set<string>();
    for (const entry of index.manifests) {
      const descriptor = this.pickManifest(entry);
      let plan = byManifest.get(descriptor.digest);
      if (!plan) {
        const manifest = this.blobJson<OciManifest>(descriptor, indexFile, 'manifest');
        if (!manifest?.config || !Array.isArray(manifest.layers)) throw invalidArgument(`invalid archive: manifest ${descriptor.digest} lacks config or layers`);
        const configBytes = this.blob(checkDescriptor(manifest.config), descriptor.digest);
        const layerPaths = manifest.layers.map((l) => blobPath(checkDescriptor(l).digest));
        manifest.layers.forEach((l) => this.blob(l, descriptor.digest, false));
        plan = this.plan(configBytes, manifest.config.digest, layerPaths, [], undefined, `manifest ${descriptor.digest}`);
        byManifest.set(descriptor.digest, plan);
      }
      const tag = ociTag(entry.annotations ?? {});
      if (tag && !tags.has(`${descriptor.digest} ${tag}`)) {
        tags.add(`${descriptor.digest} ${tag}`);
        plan.tags.push(tag);
      }
    }
    return [...byManifest.values()];
  }

  /** A manifest descriptor of index.json, or the one for this machine inside an image index. */
  private pickManifest(entry: Descriptor): Descriptor {
    const seen = new Set<string>();
    for (let d = checkDescriptor(entry); ; d = checkDescriptor(d)) {
      if (d.mediaType !== mediaTypes.index && d.mediaType !== mediaTypes.dockerManifestList) return d;
      if (seen.has(d.digest)) throw invalidArgument(`invalid archive: index ${d.digest} contains itself`);
      if (seen.size >= maxIndexDepth) throw invalidArgument(`invalid archive: indexes nested more than ${maxIndexDepth} deep`);
      seen.add(d.digest);
      const nested = this.blobJson<OciIndex>(d, indexFile, 'index');
      const candidates = (Array.isArray(nested?.manifests) ? nested.manifests : []).filter((m) => m?.platform?.os === 'linux' || m?.platform === undefined);
      const match = candidates.find((m) => m.platform?.architecture === hostArchitecture()) ?? candidates[0];
      if (!match) throw invalidArgument(`invalid archive: index ${d.digest} has no image for linux/${hostArchitecture()}`);
      d = match;
    }
  }

  /** A JSON blob, parsed once however many descriptors name it. */
  private blobJson<T>(d: Descriptor, namedBy: string, what: string): T {
    if (this.documents.has(d.digest)) this.blob(d, namedBy, false); // this descriptor's size checked too
    else this.documents.set(d.digest, parseJson<T>(this.blob(d, namedBy), `${what} ${d.digest}`));
    return this.documents.get(d.digest) as T;
  }

  /**
   * A blob a descriptor names: present, of the size it says, with that
   * digest (the entry at that path may be a link to another entry, whose
   * own name vouches for nothing).
   */
  private blob(d: Descriptor, namedBy: string, read = true): Buffer {
    const file = this.contents.get(blobPath(checkDescriptor(d).digest), namedBy);
    if (file.digest !== d.digest) throw invalidArgument(`invalid archive: blob ${d.digest} does not match its digest (its content is ${file.digest})`);
    if (file.size !== d.size) throw invalidArgument(`invalid archive: blob ${d.digest} has ${file.size} bytes, ${namedBy} says ${d.size}`);
    return read ? this.contents.bytes(file) : Buffer.alloc(0);
  }

  private plan(configBytes: Buffer, id: string, layerPaths: string[], tags: string[], parent: string | undefined, where: string): ImagePlan {
    if (layerPaths.length > maxLayerDepth) {
      throw invalidArgument(`invalid archive: ${where}: max depth exceeded: it names ${layerPaths.length} layers, an image can have at most ${maxLayerDepth}`);
    }
    let parsed = this.configs.get(id);
    if (!parsed) {
      if (sha256Digest(configBytes) !== id) throw invalidArgument(`invalid archive: config ${id} does not match its digest`);
      const config = parseImageConfig(configBytes);
      parsed = { config, chainIds: chainIds(config.rootfs.diff_ids) };
      this.configs.set(id, parsed);
    }
    const { config } = parsed;
    const diffIds = config.rootfs.diff_ids;
    if (layerPaths.length !== diffIds.length) {
      throw invalidArgument(`invalid archive: ${where}: layers length mismatch: the config has ${diffIds.length}, the manifest names ${layerPaths.length}`);
    }
    return { configBytes, config, id, chainIds: parsed.chainIds, layerPaths, tags, parent };
  }

  // -------------------------------------------------------------- layers

  /** Puts every layer of an image in the store that is not there yet, bottom up. */
  private async unpackLayers(plan: ImagePlan): Promise<void> {
    for (let i = 0; i < plan.layerPaths.length; i++) {
      if (this.ready.has(plan.chainIds[i]!)) continue;
      const file = this.contents.get(plan.layerPaths[i]!, manifestFile);
      await this.putLayer(plan, i, this.contents.open(file), file.name, file);
    }
  }

  /**
   * One layer: unpacked on top of the layer below, or, when the store has
   * that chain already, only checked (its uncompressed content must be the
   * diff id; for a kept uncompressed blob its digest already says so).
   * Returns the sha256 of the bytes it read.
   */
  private async putLayer(plan: ImagePlan, index: number, body: AsyncIterable<Buffer>, name: string, file?: ArchiveFile): Promise<string> {
    const chain = plan.chainIds[index]!;
    const expected = plan.config.rootfs.diff_ids[index]!;
    const mismatch = (got: string) =>
      invalidArgument(`invalid archive: layer ${shown(name)} does not match the diff id in image ${plan.id}: expected ${expected}, got ${got}`);
    if (this.store.layers.get(chain)) {
      this.ready.add(chain);
      if (file?.digest === expected) return file.digest;
      const { input, uncompressed } = await layerDigests(body);
      if (uncompressed !== expected) throw mismatch(uncompressed);
      return input;
    }
    const parent = index > 0 ? plan.chainIds[index - 1]! : null;
    const layer = await registerLayerTar(this.store, parent, body, ({ diffId }) => {
      if (diffId !== expected) throw mismatch(diffId);
    });
    if (layer.created) this.created.push(layer.chainId);
    this.ready.add(chain);
    return layer.inputDigest;
  }

  // -------------------------------------------------------------- images

  /** Writes every image and tag in one transaction, parents before children. */
  private createImages(plans: ImagePlan[]): LoadedImage[] {
    const { images } = this.store;
    const existed = new Set(plans.filter((p) => images.has(p.id)).map((p) => p.id));
    const results = new Map<string, LoadedImage>();
    try {
      this.store.db.transaction(() => {
        const pending = [...plans];
        while (pending.length > 0) {
          const i = pending.findIndex((p) => !p.parent || !pending.some((q) => q.id === p.parent && q !== p));
          const plan = pending.splice(i === -1 ? 0 : i, 1)[0]!;
          images.createImage(plan.configBytes, this.validParent(plan));
          const result = results.get(plan.id) ?? { id: plan.id, repoTags: [], replaced: [] };
          results.set(plan.id, result);
          for (const tag of plan.tags) {
            const { ref, previous } = images.tag(tag, plan.id);
            if (previous) result.replaced.push({ tag: ref, previousId: previous });
            if (!result.repoTags.includes(ref)) result.repoTags.push(ref);
          }
        }
      }).immediate();
    } catch (err) {
      // The rows rolled back; their config blobs were written outside the transaction.
      for (const plan of plans) if (!existed.has(plan.id) && !images.has(plan.id)) this.store.blobs.delete(plan.id);
      throw err;
    }
    return [...results.values()];
  }

  /** The archive's parent link, kept when that image is here and is a prefix of this one (as Docker checks). */
  private validParent(plan: ImagePlan): { parent?: string } {
    if (!plan.parent || !this.store.images.has(plan.parent)) return {};
    const parent = this.store.images.getImage(plan.parent).config;
    const mine = plan.config.rootfs.diff_ids;
    const theirs = parent.rootfs.diff_ids;
    const history = plan.config.history ?? [];
    const parentHistory = parent.history ?? [];
    const prefix =
      theirs.length <= mine.length &&
      theirs.every((d, i) => d === mine[i]) &&
      parentHistory.length < history.length &&
      parentHistory.every((h, i) => JSON.stringify(h) === JSON.stringify(history[i]));
    if (!prefix) throw invalidArgument(`invalid archive: image ${plan.parent} is not a valid parent for ${plan.id}`);
    return { parent: plan.parent };
  }
}

function parseJson<T>(bytes: Buffer, what: string): T {
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch (err) {
    throw invalidArgument(`invalid archive: ${what} is not valid JSON: ${(err as Error).message}`);
  }
}

function checkDescriptor(d: Descriptor): Descriptor {
  if (typeof d?.digest !== 'string' || !isDigest(d.digest) || !Number.isSafeInteger(d.size) || d.size < 0) {
    throw invalidArgument(`invalid archive: bad descriptor ${shown(JSON.stringify(d ?? null).slice(0, 200))} (only sha256 digests are supported)`);
  }
  return d;
}

/**
 * The tag an index entry stands for: containerd's full name, else OCI's
 * ref.name when it is a whole reference ("busybox:1.36"); a bare tag
 * ("latest", as Docker writes beside the full name) names no repository.
 */
function ociTag(annotations: Record<string, string>): string | undefined {
  const full = annotations[imageNameAnnotation];
  if (full) return tagName(full);
  const ref = annotations[refNameAnnotation];
  if (ref && /[:/]/.test(ref)) {
    try {
      const parsed = parseReference(ref);
      if (parsed.tag !== undefined) return tagName(ref);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** sha256 of a layer's bytes as they come and once uncompressed. */
async function layerDigests(body: AsyncIterable<Buffer>): Promise<{ input: string; uncompressed: string }> {
  const input = createHash('sha256');
  const uncompressed = createHash('sha256');
  async function* tapped(): AsyncGenerator<Buffer> {
    for await (const chunk of body) {
      input.update(chunk);
      yield chunk;
    }
  }
  for await (const chunk of decompressed(tapped())) uncompressed.update(chunk);
  return { input: `sha256:${input.digest('hex')}`, uncompressed: `sha256:${uncompressed.digest('hex')}` };
}
