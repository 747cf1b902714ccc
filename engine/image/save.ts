// `docker save`: images as the archive Docker 25+ writes, an OCI image
// layout (oci-layout, index.json, blobs/sha256/...) that also carries
// Docker's manifest.json and repositories, the two naming the same blobs:
// each config, an OCI manifest per image, and each layer as the uncompressed
// tar named by its DiffID, stored once however many images share it.
//
// The archive is deterministic: entries in a fixed order, no owners' names,
// times fixed (configs and layers at their image's creation, the rest at the
// epoch), so saving the same images twice gives the same bytes. The order is
// chosen for readers that stream: the metadata first, then the blobs, each
// layer after the layers below it.

import type { Store } from '../store/store';
import { invalidArgument, notFound } from '../errors';
import { encodeHeader, endOfArchive, paddingFor, type TarWriteHeader } from '../fs/tarWriter';
import { sha256Digest } from '../oci/digest';
import { parseTimestamp, type OciImageConfig } from '../oci/config';
import { familiarName, parseReference, tagName } from '../oci/reference';
import {
  blobPath,
  imageNameAnnotation,
  indexFile,
  manifestFile,
  mediaTypes,
  ociLayoutContent,
  ociLayoutFile,
  refNameAnnotation,
  repositoriesFile,
  type Descriptor,
  type ManifestItem,
  type OciIndex,
  type OciManifest,
  type Platform,
} from './archiveFormat';
import { layerTarSource, type LayerTarSource } from './tarSplit';

export interface SavedImage {
  id: string;
  /** The tags this archive names it by ("name:tag"), in the order asked. */
  tags: string[];
}

/** A blob the archive holds, reported once its bytes are written (the `save` kernel step). */
export interface SavedBlob {
  /** The image it was written for (the first that needed it). */
  image: string;
  kind: 'config' | 'manifest' | 'layer';
  digest: string;
  /** Its name in the archive. */
  path: string;
  size: number;
}

export interface SavePlan {
  images: SavedImage[];
  /** The archive's bytes; `onBlob` hears of each blob once written. */
  archive(onBlob?: (blob: SavedBlob) => void): AsyncGenerator<Buffer>;
  /** Releases what the plan holds (repacked layers on disk). */
  dispose(): Promise<void>;
}

interface PlannedImage extends SavedImage {
  config: OciImageConfig;
  configBytes: Buffer;
  layers: LayerTarSource[];
  mtime: number;
}

/** Which images and tags `save` names, as Docker's parseNames: a bare name means every tag of it. */
export function resolveSaveNames(store: Store, names: readonly string[]): SavedImage[] {
  if (names.length === 0) throw invalidArgument('no image names given');
  const out = new Map<string, SavedImage>();
  const add = (id: string, tag?: string) => {
    const image = out.get(id) ?? { id, tags: [] };
    out.set(id, image);
    if (tag !== undefined && !image.tags.includes(tag)) image.tags.push(tag);
  };
  const allTags = store.images.listImages({ all: true }).flatMap((i) => i.repoTags.map((t) => ({ tag: t, id: i.id })));
  for (const name of names) {
    if (/^(sha256:)?[a-f0-9]{64}$/.test(name) || name.startsWith('sha256:')) {
      add(store.images.resolveId(name));
      continue;
    }
    const ref = parseReference(name);
    if (ref.digest !== undefined) throw notFound(`No such image: ${name}`);
    if (ref.tag === undefined) {
      const repo = familiarName(ref);
      const tagged = allTags.filter((t) => t.tag.slice(0, t.tag.lastIndexOf(':')) === repo);
      for (const t of tagged) add(t.id, t.tag);
      if (tagged.length === 0) add(store.images.resolveId(name));
      continue;
    }
    add(store.images.resolveId(name), tagName(name));
  }
  return [...out.values()];
}

export async function planSave(store: Store, names: readonly string[]): Promise<SavePlan> {
  const saved = resolveSaveNames(store, names);
  const sources = new Map<string, LayerTarSource>(); // by diff id
  const dispose = async () => {
    for (const s of sources.values()) await s.dispose();
  };
  const images: PlannedImage[] = [];
  try {
    for (const { id, tags } of saved) {
      const image = store.images.getImage(id);
      const chain = image.topLayer ? store.layers.layerChain(image.topLayer) : [];
      const layers: LayerTarSource[] = [];
      for (const layer of chain) {
        let source = sources.get(layer.diffId);
        if (!source) {
          source = await layerTarSource(store, layer.chainId);
          sources.set(layer.diffId, source);
        }
        layers.push(source);
      }
      const created = image.config.created ? Number(parseTimestamp(image.config.created) / 1_000_000_000n) : 0;
      images.push({ id, tags, config: image.config, configBytes: store.images.configBytes(id), layers, mtime: Math.max(0, created) });
    }
  } catch (err) {
    await dispose();
    throw err;
  }
  const parents = new Map(saved.map(({ id }) => [id, store.images.getImage(id).parent]));
  return { images: saved, archive: (onBlob = () => {}) => archive(images, parents, onBlob), dispose };
}

async function* archive(images: PlannedImage[], parents: Map<string, string>, onBlob: (blob: SavedBlob) => void): AsyncGenerator<Buffer> {
  const manifestItems: ManifestItem[] = [];
  const repositories: Record<string, Record<string, string>> = {};
  const index: OciIndex = { schemaVersion: 2, mediaType: mediaTypes.index, manifests: [] };
  const manifestBlobs: Buffer[] = [];
  for (const image of images) {
    const platform: Platform = {
      architecture: image.config.architecture,
      os: image.config.os,
      ...(image.config.variant ? { variant: image.config.variant } : {}),
    };
    const manifest: OciManifest = {
      schemaVersion: 2,
      mediaType: mediaTypes.manifest,
      config: { mediaType: mediaTypes.config, digest: image.id, size: image.configBytes.length, platform },
      layers: image.layers.map((l) => ({ mediaType: mediaTypes.layer, digest: l.diffId, size: l.size })),
    };
    const manifestBytes = Buffer.from(JSON.stringify(manifest));
    manifestBlobs.push(manifestBytes);
    const descriptor: Descriptor = { mediaType: mediaTypes.manifest, digest: sha256Digest(manifestBytes), size: manifestBytes.length };
    for (const tag of image.tags) {
      const ref = parseReference(tag);
      const name = familiarName(ref);
      const top = image.layers.at(-1);
      if (top) (repositories[name] ??= {})[ref.tag!] = top.diffId.slice('sha256:'.length);
      index.manifests.push({
        ...descriptor,
        annotations: { [imageNameAnnotation]: `${ref.domain}/${ref.path}:${ref.tag}`, [refNameAnnotation]: ref.tag! },
        platform,
      });
    }
    // An untagged image is still in the layout, so OCI readers find it.
    if (image.tags.length === 0) index.manifests.push({ ...descriptor, platform });
    const parent = parents.get(image.id);
    manifestItems.push({
      Config: blobPath(image.id),
      RepoTags: image.tags.length > 0 ? image.tags : null,
      Layers: image.layers.map((l) => blobPath(l.diffId)),
      ...(parent && parents.has(parent) ? { Parent: parent } : {}),
    });
  }

  yield* file(ociLayoutFile, Buffer.from(ociLayoutContent), 0);
  yield* file(indexFile, Buffer.from(JSON.stringify(index)), 0);
  yield* file(manifestFile, Buffer.from(JSON.stringify(manifestItems) + '\n'), 0);
  if (Object.keys(repositories).length > 0) yield* file(repositoriesFile, Buffer.from(JSON.stringify(repositories) + '\n'), 0);
  yield entry({ name: 'blobs/', type: 'dir', mode: 0o40755, size: 0, mtime: 0 });
  yield entry({ name: 'blobs/sha256/', type: 'dir', mode: 0o40755, size: 0, mtime: 0 });

  const written = new Set<string>();
  for (const [i, image] of images.entries()) {
    if (!written.has(image.id)) {
      yield* file(blobPath(image.id), image.configBytes, image.mtime);
      onBlob({ image: image.id, kind: 'config', digest: image.id, path: blobPath(image.id), size: image.configBytes.length });
    }
    written.add(image.id);
    const manifestBytes = manifestBlobs[i]!;
    const digest = sha256Digest(manifestBytes);
    if (!written.has(digest)) {
      yield* file(blobPath(digest), manifestBytes, 0);
      onBlob({ image: image.id, kind: 'manifest', digest, path: blobPath(digest), size: manifestBytes.length });
    }
    written.add(digest);
  }
  for (const image of images) {
    for (const layer of image.layers) {
      if (written.has(layer.diffId)) continue;
      written.add(layer.diffId);
      yield entry({ name: blobPath(layer.diffId), type: 'file', mode: 0o100644, size: layer.size, mtime: image.mtime });
      // chunks() checks the bytes against the DiffID as they go: the digest is computed, not copied.
      yield* layer.chunks();
      yield paddingFor(layer.size);
      onBlob({ image: image.id, kind: 'layer', digest: layer.diffId, path: blobPath(layer.diffId), size: layer.size });
    }
  }
  yield endOfArchive;
}

function entry(h: Omit<TarWriteHeader, 'uid' | 'gid'>): Buffer {
  return encodeHeader({ ...h, uid: 0, gid: 0 });
}

function* file(name: string, data: Buffer, mtime: number): Generator<Buffer> {
  yield entry({ name, type: 'file', mode: 0o100644, size: data.length, mtime });
  yield data;
  yield paddingFor(data.length);
}
