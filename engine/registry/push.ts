// `docker push`, as Docker's distribution code does it: for each layer of
// the image, bottom first and up to N at once, skip it when the repository
// has a blob known to hold it (HEAD), link it from another repository of
// the same registry when one is known to hold it (a cross-repository
// mount), leave a foreign layer to its URLs, and otherwise compress and
// upload it; then the config, and the manifest last (Docker's v2 schema 2,
// as Docker serializes it, so the same layers give the same digest).

import type { PushMessage, PushOptions } from '../api';
import { invalidArgument, notFound } from '../errors';
import { familiarName, parseReference, type ImageReference } from '../oci/reference';
import { layerTarSource } from '../image/tarSplit';
import { sha256Digest } from '../oci/digest';
import { nowNanos, type EventLog } from '../store/events';
import type { LayerSource, LayerSources } from '../store/layerSources';
import type { Store } from '../store/store';
import type { Repository } from './client';
import { dockerHubDomain } from './hosts';
import { isForeignLayer, manifestTypes } from './manifest';
import { shortDigest, type TransferProgress } from './progress';
import { sourceRegistry, type Registries } from './registries';
import { uploadBytes, uploadLayer } from './upload';

export interface PushContext {
  store: Store;
  sources: LayerSources;
  registries: Registries;
  events: EventLog;
}

type Progress = TransferProgress<PushMessage>;

interface PushedLayer {
  mediaType: string;
  size: number;
  digest: string;
  urls?: string[];
}

export async function push(ctx: PushContext, opts: PushOptions, progress: Progress, signal: AbortSignal): Promise<void> {
  const ref = parseReference(opts.reference);
  if (ref.digest !== undefined) throw invalidArgument('cannot push a digest reference');
  if (opts.allTags && ref.tag !== undefined) throw invalidArgument("tag can't be used with --all-tags/-a");
  const name = familiarName(ref);
  const tags = opts.allTags ? localTags(ctx, name) : [ref.tag ?? 'latest'];
  if (tags.length === 0 || (!opts.allTags && !resolve(ctx, `${name}:${tags[0]}`))) throw notFound(`An image does not exist locally with the tag: ${name}`);
  const full = ref.domain === dockerHubDomain ? `docker.io/${ref.path}` : `${ref.domain}/${ref.path}`;
  progress.status(`The push refers to repository [${full}]`);
  const repo = ctx.registries.repository(ref);
  for (const tag of tags) await pushTag(ctx, repo, ref, tag, progress, signal);
}

function resolve(ctx: PushContext, tagged: string): string | undefined {
  try {
    return ctx.store.images.resolveId(tagged);
  } catch {
    return undefined;
  }
}

/** The repository's tags here, in Docker's order. */
function localTags(ctx: PushContext, name: string): string[] {
  const out: string[] = [];
  for (const image of ctx.store.images.listImages({ all: true })) {
    for (const t of image.repoTags) {
      const colon = t.lastIndexOf(':');
      if (t.slice(0, colon) === name) out.push(t.slice(colon + 1));
    }
  }
  return out.sort();
}

async function pushTag(ctx: PushContext, repo: Repository, ref: ImageReference, tag: string, progress: Progress, signal: AbortSignal): Promise<void> {
  const { store } = ctx;
  const name = familiarName(ref);
  const image = store.images.getImage(store.images.resolveId(`${name}:${tag}`));
  const chain = image.topLayer ? store.layers.layerChain(image.topLayer) : [];
  for (const layer of chain) progress.layer(layer.diffId, 'Preparing');
  const limit = ctx.registries.settings.maxConcurrentUploads;
  const pushed: PushedLayer[] = new Array(chain.length);
  let next = 0;
  if (chain.length > limit) for (const layer of chain.slice(limit)) progress.layer(layer.diffId, 'Waiting');
  const worker = async () => {
    while (next < chain.length) {
      const i = next++;
      pushed[i] = await pushLayer(ctx, repo, ref, chain[i]!.chainId, chain[i]!.diffId, progress, signal);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, chain.length) }, worker));

  const configBytes = store.images.configBytes(image.id);
  const configType = manifestTypes.dockerConfig;
  if ((await repo.headBlob(image.id, undefined, signal)) === null) await uploadBytes(repo, image.id, configBytes, signal);
  const manifest = Buffer.from(
    JSON.stringify(
      {
        schemaVersion: 2,
        mediaType: manifestTypes.dockerManifest,
        config: { mediaType: configType, size: configBytes.length, digest: image.id },
        layers: pushed.map((l) => ({ mediaType: l.mediaType, size: l.size, digest: l.digest, ...(l.urls?.length ? { urls: l.urls } : {}) })),
      },
      null,
      3,
    ),
  );
  const digest = sha256Digest(manifest);
  await repo.putManifest(tag, manifest, manifestTypes.dockerManifest, signal);
  store.images.addRepoDigest(name, digest, image.id);
  progress.status(`${tag}: digest: ${digest} size: ${manifest.length}`);
  ctx.events.record({ type: 'image', action: 'push', id: `${name}:${tag}`, time: nowNanos(), attributes: { name } });
  progress.emit({ type: 'pushed', reference: `${name}:${tag}`, tag, digest, size: manifest.length });
}

/** One layer: already there, mounted, foreign, or uploaded; what the manifest says of it. */
async function pushLayer(
  ctx: PushContext,
  repo: Repository,
  ref: ImageReference,
  chainId: string,
  diffId: string,
  progress: Progress,
  signal: AbortSignal,
): Promise<PushedLayer> {
  const registry = sourceRegistry(ref);
  const known = ctx.sources.of(diffId);
  const descriptor = (s: LayerSource): PushedLayer => ({ mediaType: s.mediaType, size: s.size, digest: s.digest, ...(s.urls.length ? { urls: s.urls } : {}) });
  const foreign = known.find((s) => isForeignLayer({ mediaType: s.mediaType, digest: s.digest, size: s.size }) && s.urls.length > 0);
  if (foreign) {
    progress.layer(diffId, 'Skipped foreign layer');
    return descriptor(foreign);
  }
  // Blobs known to hold this layer: is one in the repository already?
  for (const s of uniqueDigests(known)) {
    if ((await repo.headBlob(s.digest, undefined, signal)) !== null) {
      progress.layer(diffId, 'Layer already exists');
      record(ctx, s, registry, ref.path);
      return descriptor(s);
    }
  }
  // One in another repository of the same registry: mount it.
  for (const s of known.filter((k) => k.registry === registry && k.repository !== ref.path)) {
    const start = await repo.startUpload({ digest: s.digest, from: s.repository }, signal);
    if (start.mounted) {
      progress.layer(diffId, `Mounted from ${s.repository}`);
      record(ctx, s, registry, ref.path);
      return descriptor(s);
    }
  }
  const source = await layerTarSource(ctx.store, chainId);
  try {
    const total = source.size;
    const blob = await uploadLayer(repo, source.chunks(), (n) => progress.bytes(diffId, 'Pushing', n, total, shortDigest(diffId)), signal);
    progress.layer(diffId, 'Pushed');
    const s: LayerSource = { diffId, digest: blob.digest, mediaType: manifestTypes.dockerLayer, size: blob.size, registry, repository: ref.path, urls: [] };
    ctx.sources.record(s);
    return descriptor(s);
  } finally {
    await source.dispose();
  }
}

function uniqueDigests(sources: LayerSource[]): LayerSource[] {
  const seen = new Set<string>();
  return sources.filter((s) => !seen.has(s.digest) && seen.add(s.digest));
}

function record(ctx: PushContext, s: LayerSource, registry: string, repository: string): void {
  ctx.sources.record({ ...s, registry, repository });
}
