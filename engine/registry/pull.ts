// `docker pull`, step by step as Docker's distribution code does it: the
// manifest by tag or digest (the index's entry for the platform wanted),
// the config (its digest is the image id), then the layers the store does
// not have ("Already exists" for those it has, by ChainID): up to N
// downloading at once, each unpacked into a staging dir while it downloads
// and checked against its digest and the config's diff id once the last
// byte is in; then published in order, each on top of the one below. The
// image, its tag and its RepoDigest are written only once every layer is
// in place; a failure removes the staging dirs and the layers this pull
// made, and keeps partial downloads for the next try to resume.

import type { PullLayer, PullMessage, PullOptions } from '../api';
import { invalidArgument } from '../errors';
import { parseImageConfig, type OciImageConfig } from '../oci/config';
import { familiarName, parseReference, type ImageReference } from '../oci/reference';
import { layerTarSource, prepareLayerTar, publishLayerTar, registerLayerTar, type StagedLayerTar } from '../image/tarSplit';
import { chainIds, sha256Digest } from '../oci/digest';
import { nowNanos, type EventLog } from '../store/events';
import type { LayerSources } from '../store/layerSources';
import type { Store } from '../store/store';
import type { Repository } from './client';
import type { Downloads } from './download';
import { isForeignLayer, parseManifest, selectManifest, type LayerDescriptor } from './manifest';
import { formatPlatform, hostPlatform, normalizePlatform, parsePlatform, platformRank, type PlatformSpec } from './platform';
import type { TransferProgress } from './progress';
import { sourceRegistry, type Registries } from './registries';
import { RegistryError } from './registryErrors';

export interface PullContext {
  store: Store;
  sources: LayerSources;
  downloads: Downloads;
  registries: Registries;
  events: EventLog;
}

type Progress = TransferProgress<PullMessage>;

export async function pull(ctx: PullContext, opts: PullOptions, progress: Progress, signal: AbortSignal): Promise<void> {
  const ref = parseReference(opts.reference);
  if (opts.allTags && (ref.tag !== undefined || ref.digest !== undefined)) throw invalidArgument("tag can't be used with --all-tags/-a");
  const platform = opts.platform ? parsePlatform(opts.platform) : undefined;
  ctx.downloads.sweep();
  const endpoints = ctx.registries.pullEndpoints(ref);
  for (let i = 0; i < endpoints.length; i++) {
    const { repository, mirror } = endpoints[i]!;
    try {
      const refs = opts.allTags ? await repository.tags(signal) : [ref.digest ?? ref.tag ?? 'latest'];
      for (const tagOrDigest of refs) await pullImage(ctx, repository, ref, tagOrDigest, platform, progress, signal);
      return;
    } catch (err) {
      // A mirror that fails is passed over, as Docker does; the registry itself is the last word.
      if (!mirror || signal.aborted) throw translate(err, ref, ref.digest ?? ref.tag ?? 'latest');
    }
  }
}

/** Docker's wording for what registries refuse (distribution/errors.go). */
function translate(err: unknown, ref: ImageReference, tagOrDigest: string): unknown {
  if (!(err instanceof RegistryError)) return err;
  const name = familiarName(ref);
  const shown = tagOrDigest.startsWith('sha256:') ? `${name}@${tagOrDigest}` : `${name}:${tagOrDigest}`;
  const code = err.registryCode;
  const again = (message: string) => new RegistryError(err.code === 'Unauthorized' ? 'NotFound' : err.code, message, err.status, err.entries, err.text);
  if (code === 'DENIED') return again(`pull access denied for ${name}, repository does not exist or may require 'docker login': ${err.text}`);
  if (code === 'MANIFEST_UNKNOWN' || (err.status === 404 && code === '' && /manifests\//.test(err.message))) {
    return again(`manifest for ${shown} not found: ${err.text}`);
  }
  if (code === 'NAME_UNKNOWN') return again(`repository ${name} not found: ${err.text}`);
  return err;
}

interface Plan {
  config: OciImageConfig;
  configBytes: Buffer;
  imageId: string;
  manifestDigest: string;
  layers: LayerDescriptor[];
  chains: string[];
  platform: string;
}

async function pullImage(
  ctx: PullContext,
  repo: Repository,
  ref: ImageReference,
  tagOrDigest: string,
  platform: PlatformSpec | undefined,
  progress: Progress,
  signal: AbortSignal,
): Promise<void> {
  const byDigest = tagOrDigest.startsWith('sha256:');
  const name = familiarName(ref);
  const shown = byDigest ? `${name}@${tagOrDigest}` : `${name}:${tagOrDigest}`;
  progress.status(`Pulling from ${ref.path}`, tagOrDigest);
  let plan: Plan;
  try {
    plan = await resolve(repo, tagOrDigest, shown, platform, progress, signal);
  } catch (err) {
    throw translate(err, ref, tagOrDigest);
  }
  const { images } = ctx.store;
  const previous = lookup(() => images.resolveId(shown));
  if (!images.has(plan.imageId)) await fetchLayers(ctx, repo, ref, plan, progress, signal);
  if (!byDigest) images.tag(shown, plan.imageId);
  images.addRepoDigest(name, plan.manifestDigest, plan.imageId);
  await Promise.all(plan.layers.map((layer) => ctx.downloads.discard(layer.digest)));
  const upToDate = previous === plan.imageId;
  progress.status(`Digest: ${plan.manifestDigest}`);
  progress.status(`Status: ${upToDate ? 'Image is up to date' : 'Downloaded newer image'} for ${shown}`);
  ctx.events.record({ type: 'image', action: 'pull', id: shown, time: nowNanos(), attributes: { name } });
  progress.emit({ type: 'pulled', reference: shown, imageId: plan.imageId, digest: plan.manifestDigest, upToDate });
}

function lookup(find: () => string): string | undefined {
  try {
    return find();
  } catch {
    return undefined;
  }
}

/** The manifest (the platform's, from an index) and the config, each checked against its digest. */
async function resolve(
  repo: Repository,
  tagOrDigest: string,
  shown: string,
  platform: PlatformSpec | undefined,
  progress: Progress,
  signal: AbortSignal,
): Promise<Plan> {
  const top = await repo.getManifest(tagOrDigest, undefined, signal);
  if (tagOrDigest.startsWith('sha256:') && top.digest !== tagOrDigest) throw invalidArgument(`manifest verification failed for digest ${tagOrDigest}`);
  let manifest = parseManifest(top.bytes, top.mediaType, shown);
  let chosen: string | undefined;
  if (manifest.kind === 'index') {
    const entry = selectManifest(manifest.manifests, platform ?? hostPlatform());
    chosen = formatPlatform(normalizePlatform(entry.platform!));
    const child = await repo.getManifest(entry.digest, undefined, signal);
    if (child.digest !== entry.digest) throw invalidArgument(`manifest verification failed for digest ${entry.digest}`);
    manifest = parseManifest(child.bytes, child.mediaType, shown);
    if (manifest.kind !== 'image') throw invalidArgument(`invalid manifest list for ${shown}: entry ${entry.digest} is itself a list`);
  }
  const configBytes = await smallBlob(repo, manifest.config.digest, manifest.config.size, signal);
  const config = parseImageConfig(configBytes);
  const diffIds = config.rootfs.diff_ids;
  if (diffIds.length !== manifest.layers.length) {
    throw invalidArgument(`invalid image ${shown}: its config lists ${diffIds.length} layers, its manifest ${manifest.layers.length}`);
  }
  const actual = { os: config.os, architecture: config.architecture, ...(config.variant ? { variant: config.variant } : {}) };
  if (!chosen && platform && platformRank(platform, actual) < 0) {
    progress.status(
      `WARNING: image with reference ${shown} was found but does not match the specified platform: wanted ${formatPlatform(platform)}, actual: ${formatPlatform(normalizePlatform(actual))}`,
    );
  }
  return {
    config,
    configBytes,
    imageId: manifest.config.digest,
    manifestDigest: top.digest,
    layers: manifest.layers,
    chains: chainIds(diffIds),
    platform: chosen ?? formatPlatform(normalizePlatform(actual)),
  };
}

/** A config: small, read whole and checked. */
async function smallBlob(repo: Repository, digest: string, size: number, signal: AbortSignal): Promise<Buffer> {
  if (size > 16 << 20) throw invalidArgument(`config ${digest} is larger than 16 MiB`);
  const { body } = await repo.getBlob(digest, 0, signal);
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    length += (chunk as Buffer).length;
    if (length > size) {
      body.destroy();
      break;
    }
    chunks.push(chunk as Buffer);
  }
  const bytes = Buffer.concat(chunks);
  if (bytes.length !== size || sha256Digest(bytes) !== digest) throw invalidArgument(`image config verification failed for digest ${digest}`);
  return bytes;
}

/** Downloads what is missing (N at once), each unpacked as it arrives, publishes bottom up, then writes the image. */
async function fetchLayers(ctx: PullContext, repo: Repository, ref: ImageReference, plan: Plan, progress: Progress, signal: AbortSignal): Promise<void> {
  const { store } = ctx;
  const diffIds = plan.config.rootfs.diff_ids;
  const exists = plan.chains.map((c) => store.layers.get(c) !== undefined);
  progress.emit({
    type: 'image',
    reference: ref.digest ? `${familiarName(ref)}@${ref.digest}` : `${familiarName(ref)}`,
    repository: ref.path,
    platform: plan.platform,
    manifestDigest: plan.manifestDigest,
    imageId: plan.imageId,
    layers: describeLayers(ctx, plan, exists),
  });
  // Each missing blob (once, however often the image lists it) is unpacked into a staging dir as it downloads.
  const limit = new Limit(ctx.registries.settings.maxConcurrentDownloads);
  const staging = new Map<string, Promise<StagedLayerTar>>();
  const announced = new Set<string>();
  plan.layers.forEach((layer, i) => {
    if (exists[i]) progress.layer(layer.digest, 'Already exists');
    else if (!announced.has(layer.digest)) progress.layer(layer.digest, 'Pulling fs layer');
    announced.add(layer.digest);
  });
  plan.layers.forEach((layer, i) => {
    if (exists[i] || staging.has(layer.digest)) return;
    if (limit.busy) progress.layer(layer.digest, 'Waiting');
    const staged = limit.run(() => stage(ctx, repo, layer, diffIds[i]!, progress, signal));
    staged.catch(() => undefined);
    staging.set(layer.digest, staged);
  });

  // Published bottom up, each once its parent is there.
  const created: string[] = [];
  const published = new Map<string, string>();
  try {
    for (let i = 0; i < plan.layers.length; i++) {
      const layer = plan.layers[i]!;
      ctx.sources.record({
        diffId: diffIds[i]!,
        digest: layer.digest,
        mediaType: layer.mediaType,
        size: layer.size,
        registry: sourceRegistry(ref),
        repository: ref.path,
        urls: layer.urls ?? [],
      });
      if (exists[i]) continue;
      const parent = i > 0 ? plan.chains[i - 1]! : null;
      const below = published.get(layer.digest);
      let registered;
      if (below === undefined) {
        const staged = await staging.get(layer.digest)!;
        if (signal.aborted) throw signal.reason;
        progress.bytes(layer.digest, 'Extracting', layer.size, layer.size);
        registered = await publishLayerTar(store, parent, staged);
        published.set(layer.digest, registered.chainId);
      } else {
        // The same blob again higher up: its tar replayed from the copy below.
        registered = await replayLayer(ctx.store, below, parent);
      }
      if (registered.created) created.push(registered.chainId);
      if (registered.diffId !== diffIds[i]) throw diffIdMismatch(layer, registered.diffId, diffIds[i]!);
      progress.layer(layer.digest, 'Pull complete');
    }
    store.images.createImage(plan.configBytes);
  } catch (err) {
    // Nothing this pull made stays; downloads still running stop with the signal's owner.
    for (const [digest, staged] of staging) {
      if (!published.has(digest)) await staged.then((s) => store.layers.discardStaged(s.staged), () => undefined);
    }
    if (created.length > 0) store.layers.removeUnusedLayers(created);
    throw err;
  }
}

/**
 * Downloads a blob and unpacks it as it arrives into a staging dir; resolves
 * once both its digest and its content's (the config's diff id) are checked.
 * When the unpacker fails first (a corrupt blob is also a bad gzip), the
 * rest is downloaded so a bad digest is reported as what it is.
 */
async function stage(ctx: PullContext, repo: Repository, layer: LayerDescriptor, diffId: string, progress: Progress, signal: AbortSignal): Promise<StagedLayerTar> {
  const body = ctx.downloads.stream(
    layer,
    (offset, s) => openLayer(ctx, repo, layer, offset, s),
    (bytes) => progress.bytes(layer.digest, 'Downloading', bytes, layer.size),
    signal,
  );
  // The unpacker may stop reading early; the download is not closed by it, and its own failure is the one told.
  let failed: unknown;
  const next = () =>
    body.next().catch((err: unknown) => {
      failed ??= err;
      throw err;
    });
  const kept: AsyncIterable<Buffer> = { [Symbol.asyncIterator]: () => ({ next }) };
  try {
    // The download checks the blob's digest: its stream ends in an error unless the bytes match.
    const staged = await prepareLayerTar(
      ctx.store,
      kept,
      (digests) => {
        if (digests.diffId !== diffId) throw diffIdMismatch(layer, digests.diffId, diffId);
      },
      layer.digest,
    );
    // Whatever the unpacker left unread (bytes after the archive) is read, so the digest is checked before the layer is used.
    try {
      for await (const _ of kept);
    } catch (err) {
      await ctx.store.layers.discardStaged(staged.staged);
      throw err;
    }
    progress.layer(layer.digest, 'Verifying Checksum');
    progress.layer(layer.digest, 'Download complete');
    return staged;
  } catch (err) {
    if (failed === undefined && !signal.aborted) for await (const _ of kept);
    throw failed ?? err;
  } finally {
    await body.return(undefined);
  }
}

async function replayLayer(store: Store, below: string, parent: string | null) {
  const source = await layerTarSource(store, below);
  try {
    return await registerLayerTar(store, parent, source.chunks());
  } finally {
    await source.dispose();
  }
}

function diffIdMismatch(layer: LayerDescriptor, actual: string, expected: string) {
  return invalidArgument(`failed to register layer: the content of layer ${layer.digest} (diff id ${actual}) does not match the image config (${expected})`);
}

/** A layer's bytes: a foreign layer from its URLs first, else (and for every other) from the registry. */
async function openLayer(ctx: PullContext, repo: Repository, layer: LayerDescriptor, offset: number, signal?: AbortSignal) {
  if (isForeignLayer(layer)) {
    for (const url of layer.urls ?? []) {
      try {
        const res = await ctx.registries.transport.send(new URL(url), { method: 'GET', headers: offset > 0 ? { range: `bytes=${offset}-` } : {}, signal });
        if (res.status === 200 || res.status === 206) return { body: res.body, partial: res.status === 206 };
        await res.body.dump();
      } catch (err) {
        if (signal?.aborted) throw err;
      }
    }
  }
  return repo.getBlob(layer.digest, offset, signal);
}

/** The layers as the app draws them: what made each, and which images here share it already. */
function describeLayers(ctx: PullContext, plan: Plan, exists: boolean[]): PullLayer[] {
  const steps = (plan.config.history ?? []).filter((h) => !h.empty_layer).map((h) => h.created_by ?? '');
  const users = new Map<string, string[]>();
  if (exists.some(Boolean)) {
    for (const image of ctx.store.images.listImages({ all: true })) {
      const top = ctx.store.images.getImage(image.id).topLayer;
      if (!top) continue;
      const label = image.repoTags[0] ?? image.id.slice(7, 19);
      for (const l of ctx.store.layers.layerChain(top)) users.set(l.chainId, [...(users.get(l.chainId) ?? []), label]);
    }
  }
  return plan.layers.map((l, i) => ({
    digest: l.digest,
    size: l.size,
    mediaType: l.mediaType,
    diffId: plan.config.rootfs.diff_ids[i]!,
    chainId: plan.chains[i]!,
    createdBy: steps.length === plan.layers.length ? steps[i]! : '',
    exists: exists[i]!,
    sharedWith: exists[i] ? (users.get(plan.chains[i]!) ?? []) : [],
  }));
}

/** At most n tasks at once, the rest in order. */
class Limit {
  private running = 0;
  private readonly queue: Array<() => void> = [];

  constructor(private readonly n: number) {}

  get busy(): boolean {
    return this.running + this.queue.length >= this.n;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.n) await new Promise<void>((r) => this.queue.push(r));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.queue.shift()?.();
    }
  }
}
