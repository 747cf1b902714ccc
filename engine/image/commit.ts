// Commit: a writable layer becomes the new top layer of an image, as
// `docker commit` and every layer-making step of the builder do. The layer
// dir is packed (engine/fs/tarPack: whiteouts as `.wh.`, opaque dirs as
// `.wh..wh..opq`, owners, modes, times, xattrs, hard links, devices) and the
// tar streams straight into the layer store on top of the parent's layers:
// the files are read once and written once.
//
// A layer dir that holds nothing packs to the empty tar; as Docker does, the
// image then gets a history entry with empty_layer and no new diff id.

import fs from 'node:fs';
import { conflict } from '../errors';
import { packLayer } from '../fs/tarPack';
import { containerEvent, findContainer, kernelEvent, type RuntimeContext } from '../runtime/context';
import { shellWord, type KernelRecord } from '../runtime/kernelSteps';
import { pauseContainer, unpauseContainer } from '../runtime/lifecycle';
import type { ContainerRow } from '../store/containers';
import type { RegisteredLayer } from '../store/layers';
import type { Store } from '../store/store';
import { applyChanges } from './changes';
import { formatTimestamp, hostArchitecture, serializeConfig, type HistoryEntry, type OciImageConfig, type RunConfig } from '../oci/config';
import { tagName } from '../oci/reference';
import { registerLayerTar } from './tarSplit';

/** DiffID of the empty tar (two zero blocks): a layer that changes nothing. */
export const emptyLayerDiffId = 'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef';

export interface CommitImageInput {
  /** The image the new one is made on (its layers, platform and history carry over); null for none. */
  parent: string | null;
  /** The dir whose content becomes the new top layer (a container's upper dir); null when only metadata changed. */
  layerDir: string | null;
  /** The new image's run config (Cmd, Env, Entrypoint, ...), stored as given. */
  config: RunConfig;
  /** The history entry: what made the step, who, and why. */
  createdBy: string;
  author?: string;
  comment?: string;
  /** "name[:tag]" to tag the new image with. */
  reference?: string;
  /** Creation time in unix milliseconds; now by default. */
  created?: number;
  /** The config the step ran with (Docker's container_config): what the build cache compares. */
  containerConfig?: RunConfig;
}

export interface CommitResult {
  id: string;
  /** True when the step added no layer (history entry with empty_layer). */
  emptyLayer: boolean;
  /** The layer tar made of the dir: its entries, its length in bytes, its digests (none for an empty layer). */
  layer?: { entries: number; tarBytes: number; diffId: string; chainId: string };
  /** The tag, normalized ("name:tag"), when one was given. */
  reference?: string;
}

/**
 * Makes an image from a layer dir on top of `parent`. Everything is checked
 * before the layer is packed; a failure after it was stored removes it again.
 */
export async function commitImage(store: Store, input: CommitImageInput): Promise<CommitResult> {
  const reference = input.reference !== undefined ? tagName(input.reference) : undefined;
  const parent = input.parent ? store.images.getImage(input.parent) : null;
  const created = formatTimestamp(input.created ?? Date.now());

  let layer: RegisteredLayer | null = null;
  const tally = { entries: 0, tarBytes: 0 };
  if (input.layerDir !== null && !isEmptyDir(input.layerDir)) {
    layer = await registerLayerTar(store, parent?.topLayer ?? null, counted(packLayer(input.layerDir, tally), tally));
    if (layer.diffId === emptyLayerDiffId) {
      // Only what tar cannot hold (sockets): nothing to add.
      if (layer.created) store.layers.removeUnusedLayers([layer.chainId]);
      layer = null;
    }
  }

  const entry: HistoryEntry = {
    created,
    ...(input.author ? { author: input.author } : {}),
    ...(input.createdBy ? { created_by: input.createdBy } : {}),
    ...(input.comment ? { comment: input.comment } : {}),
    ...(layer ? {} : { empty_layer: true }),
  };
  const config: OciImageConfig = {
    architecture: parent?.config.architecture ?? hostArchitecture(),
    os: parent?.config.os ?? 'linux',
    ...(parent?.config.variant ? { variant: parent.config.variant } : {}),
    created,
    ...(input.author ? { author: input.author } : {}),
    config: input.config,
    ...(input.containerConfig ? { container_config: input.containerConfig } : {}),
    rootfs: { type: 'layers', diff_ids: [...(parent?.config.rootfs.diff_ids ?? []), ...(layer ? [layer.diffId] : [])] },
    history: [...(parent?.config.history ?? []), entry],
  };
  try {
    const { id } = store.images.createImage(serializeConfig(config), parent ? { parent: parent.id } : {});
    if (reference !== undefined) store.images.tag(reference, id);
    return {
      id,
      emptyLayer: layer === null,
      ...(layer ? { layer: { entries: tally.entries, tarBytes: tally.tarBytes, diffId: layer.diffId, chainId: layer.chainId } } : {}),
      ...(reference !== undefined ? { reference } : {}),
    };
  } catch (err) {
    if (layer?.created) store.layers.removeUnusedLayers([layer.chainId]);
    throw err;
  }
}

async function* counted(tar: AsyncIterable<Buffer>, tally: { tarBytes: number }): AsyncGenerator<Buffer> {
  for await (const chunk of tar) {
    tally.tarBytes += chunk.length;
    yield chunk;
  }
}

function isEmptyDir(dir: string): boolean {
  const d = fs.opendirSync(dir);
  try {
    return d.readSync() === null;
  } finally {
    d.closeSync();
  }
}

export interface ContainerCommitOptions {
  /** The container: name, id or unique id prefix. */
  id: string;
  reference?: string;
  /** The history comment (`-m`). */
  message?: string;
  author?: string;
  /** Dockerfile instructions applied to the config (`-c`). */
  changes?: string[];
  /** Freeze a running container while its layer is read (default true, as Docker). */
  pause?: boolean;
}

/**
 * `docker commit`: the container's writable layer (never its init layer,
 * which holds only the launcher's mount points) on top of its image, with
 * the container's config and the changes. A running container is frozen
 * meanwhile, so the layer is read as one moment of its life.
 */
export async function commitContainer(
  ctx: RuntimeContext,
  store: Store,
  opts: ContainerCommitOptions,
): Promise<CommitResult & { container: ContainerRow }> {
  const row = findContainer(ctx, opts.id);
  if (row.state === 'dead') throw conflict(`You cannot commit container ${row.id} which is Dead`);
  if (row.state === 'removing') throw conflict(`You cannot commit container ${row.id} which is being removed`);
  // Checked before the container is paused or anything is written.
  if (opts.reference !== undefined) tagName(opts.reference);
  const config = applyChanges(containerRunConfig(ctx, row), opts.changes ?? []);

  const upperDir = `${ctx.paths.containerDir(row.id)}/upper`;
  const pause = opts.pause !== false && row.state === 'running';
  if (pause) await pauseContainer(ctx, row.id);
  try {
    const result = await commitImage(store, {
      parent: row.imageId,
      layerDir: upperDir,
      config,
      // Docker records the command without the entrypoint.
      createdBy: (row.spec.Config.Cmd ?? []).join(' '),
      author: opts.author,
      comment: opts.message,
      reference: opts.reference,
    });
    kernelEvent(ctx, result.id, commitStep(upperDir, row.id, result));
    containerEvent(ctx, row, 'commit', { comment: opts.message ?? '', imageID: result.id, imageRef: result.reference ?? '' });
    return { ...result, container: row };
  } finally {
    if (pause) await unpauseContainer(ctx, row.id);
  }
}

/**
 * The image config a container commits with: its own config (the image's
 * merged with what create was given), without what the engine adds to every
 * container's environment, and the image's health check, which Docker's
 * container config carries and Strata's leaves in the image.
 */
function containerRunConfig(ctx: RuntimeContext, row: ContainerRow): RunConfig {
  const c = row.spec.Config;
  const image = ctx.images.config(row.imageId).config ?? {};
  const inImage = new Set(image.Env ?? []);
  const added = new Set([`HOSTNAME=${c.Hostname}`, ...(c.Tty ? ['TERM=xterm'] : [])]);
  const env = c.Env.filter((kv) => inImage.has(kv) || !added.has(kv));
  const config: RunConfig = {};
  if (c.User) config.User = c.User;
  if (c.ExposedPorts && Object.keys(c.ExposedPorts).length > 0) config.ExposedPorts = c.ExposedPorts;
  if (env.length > 0) config.Env = env;
  if (c.Entrypoint) config.Entrypoint = c.Entrypoint;
  if (c.Cmd) config.Cmd = c.Cmd;
  if (image.Healthcheck) config.Healthcheck = image.Healthcheck;
  if (c.Volumes && Object.keys(c.Volumes).length > 0) config.Volumes = c.Volumes;
  if (c.WorkingDir) config.WorkingDir = c.WorkingDir;
  if (Object.keys(c.Labels).length > 0) config.Labels = c.Labels;
  if (c.StopSignal) config.StopSignal = c.StopSignal;
  return config;
}

/** The `commit` kernel step: the upper dir tarred, and the digests computed of it. */
function commitStep(upperDir: string, container: string, result: CommitResult): KernelRecord {
  const layer = result.layer;
  return {
    step: 'commit',
    detail: {
      container,
      upperdir: upperDir,
      files: String(layer?.entries ?? 0),
      size: String(layer?.tarBytes ?? 0),
      diff_id: layer?.diffId ?? '',
      chain_id: layer?.chainId ?? '',
      digest: result.id,
      // GNU tar orders and stamps entries its own way: its digest is not the layer's, the steps are.
      command: `tar -c -C ${shellWord(upperDir)} . | sha256sum`,
    },
  };
}
