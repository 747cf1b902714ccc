// `docker import`: a root filesystem tarball becomes a one-layer image. All
// arguments are checked before the tar is read, and a tar that cannot be
// unpacked leaves no layer, blob or image behind.

import type { Readable } from 'node:stream';
import { EngineError, invalidArgument } from '../errors';
import type { RegisteredLayer } from '../store/layers';
import type { Store } from '../store/store';
import { applyChanges } from './changes';
import { formatTimestamp, hostArchitecture, serializeConfig, type OciImageConfig } from '../oci/config';
import { tagName } from '../oci/reference';
import { parsePlatform } from '../registry/platform';
import { registerLayerTar } from './tarSplit';

export interface ImportOptions {
  input: Readable;
  /** Tag for the new image ("name[:tag]"). */
  reference?: string;
  /** Dockerfile instructions applied to the config (`--change`). */
  changes?: string[];
  /**
   * History comment (`--message`). Docker's default names the source, and is
   * "Imported from -" for a local file too, since its CLI streams the file.
   */
  message?: string;
  /** os[/arch[/variant]] the image says it is for (`--platform`); this machine's by default. */
  platform?: string;
}

export async function importImage(store: Store, opts: ImportOptions): Promise<{ id: string; reference?: string }> {
  const reference = opts.reference !== undefined ? tagName(opts.reference) : undefined;
  const runConfig = applyChanges({}, opts.changes ?? []);
  const comment = opts.message || 'Imported from -';
  const created = formatTimestamp(Date.now());
  const platform = opts.platform ? parsePlatform(opts.platform) : { os: 'linux', architecture: hostArchitecture() };
  if (platform.os !== 'linux') throw invalidArgument(`operating system is not supported: ${platform.os}`);
  return importLayer(store, opts.input, reference, (diffId) => ({
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    created,
    comment,
    config: runConfig,
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [{ created, comment }],
  }));
}

/**
 * The path import and bootstrap share: unpack the tar as a base layer, store
 * the config `makeConfig` builds around its diff id, tag it. `reference` must
 * already be a valid tag name. A failure after the layer was unpacked removes
 * that layer again (unless it already existed).
 */
export async function importLayer(
  store: Store,
  input: Readable,
  reference: string | undefined,
  makeConfig: (diffId: string) => OciImageConfig,
): Promise<{ id: string; reference?: string }> {
  let layer: RegisteredLayer;
  try {
    layer = await registerLayerTar(store, null, input);
  } catch (err) {
    if (err instanceof EngineError) throw err;
    throw invalidArgument(`Error processing tar file: ${(err as Error).message.split('\n')[0]}`);
  }
  try {
    const { id } = store.images.createImage(serializeConfig(makeConfig(layer.diffId)));
    if (reference !== undefined) store.images.tag(reference, id);
    return reference !== undefined ? { id, reference } : { id };
  } catch (err) {
    if (layer.created) store.layers.removeUnusedLayers([layer.chainId]);
    throw err;
  }
}
