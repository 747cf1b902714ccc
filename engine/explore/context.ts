// What the app's read-only views need: the content store (images, layers)
// and the runtime's view of containers. Nothing here writes.

import type { RuntimeContext } from '../runtime/context';
import type { LayerRecord } from '../store/layers';
import type { Image } from '../store/images';
import type { Store } from '../store/store';

export interface ExploreContext {
  store: Store;
  runtime: RuntimeContext;
}

/** An image's layers, bottom first (the order of rootfs.diff_ids), with their dirs. */
export interface ImageLayers {
  image: Image;
  layers: LayerRecord[];
  dirs: string[];
}

export function imageLayers(store: Store, ref: string): ImageLayers {
  const image = store.images.resolveImage(ref);
  const layers = image.topLayer ? store.layers.layerChain(image.topLayer) : [];
  return { image, layers, dirs: layers.map((l) => store.layers.diffDir(l.chainId)) };
}
