// `docker history`: an image's history entries newest first, each with the
// size of the layer it made (0 for metadata-only steps). As Docker's image
// service does, the newest entry is the image itself and each older one is
// named by walking the parent links (commit and build record them); where
// the walk ends (a loaded image has no parent here) the entry is <missing>.

import type { ImageHistoryItem } from '../api';
import { parseTimestamp } from '../oci/config';
import type { Store } from '../store/store';

export const missingImageId = '<missing>';

export function imageHistory(store: Store, ref: string): ImageHistoryItem[] {
  const { images, layers } = store;
  const image = images.resolveImage(ref);
  const chain = image.topLayer ? layers.layerChain(image.topLayer) : [];
  const items: ImageHistoryItem[] = [];
  let layerIndex = 0;
  for (const h of image.config.history ?? []) {
    const size = h.empty_layer ? 0 : (chain[layerIndex++]?.size ?? 0);
    items.unshift({
      id: missingImageId,
      created: h.created ? Number(parseTimestamp(h.created) / 1_000_000_000n) : 0,
      createdBy: h.created_by ?? '',
      tags: [],
      size,
      comment: h.comment ?? '',
    });
  }
  let id = image.id;
  for (const item of items) {
    item.id = id;
    item.tags = images.tagsOf(id);
    const parent = images.has(id) ? images.getImage(id).parent : '';
    if (!parent || !images.has(parent)) break;
    id = parent;
  }
  return items;
}
