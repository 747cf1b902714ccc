// `image.stack`: an image as the app draws it, bottom to top. The config's
// history says what made each step; steps with empty_layer (ENV, CMD,
// LABEL...) changed only metadata, the others each made the next layer of
// rootfs.diff_ids. Every layer gets its size, digests, parent, host dir and
// wasted bytes.

import type { ImageStack, StackEntry } from '../api';
import { imageLayers, type ExploreContext } from './context';
import type { WasteCache } from './wasted';

export function imageStack(ctx: ExploreContext, ref: string, waste: WasteCache): ImageStack {
  const { image, layers, dirs } = imageLayers(ctx.store, ref);
  const wasted = image.topLayer ? waste.get(image.topLayer, dirs) : [];
  const entries: StackEntry[] = [];
  let next = 0;
  const layerEntry = (h: { created_by?: string; created?: string; comment?: string }): StackEntry => {
    const i = next++;
    const l = layers[i];
    return {
      kind: 'layer',
      layerIndex: i,
      createdBy: h.created_by ?? '',
      created: h.created ?? '',
      comment: h.comment ?? '',
      size: l.size,
      diffId: l.diffId,
      chainId: l.chainId,
      ...(l.parent ? { parentChainId: l.parent } : {}),
      dir: dirs[i],
      wasted: wasted[i] ?? 0,
    };
  };
  for (const h of image.config.history ?? []) {
    if (h.empty_layer || next >= layers.length) {
      entries.push({ kind: 'metadata', layerIndex: null, createdBy: h.created_by ?? '', created: h.created ?? '', comment: h.comment ?? '', size: 0 });
    } else {
      entries.push(layerEntry(h));
    }
  }
  // Layers the history does not account for (an image made without one) still show, unexplained.
  while (next < layers.length) entries.push(layerEntry({}));

  const size = layers.reduce((n, l) => n + l.size, 0);
  const wastedBytes = wasted.reduce((n, w) => n + w, 0);
  return {
    id: image.id,
    repoTags: image.repoTags,
    created: Math.floor(image.created / 1e9),
    added: Math.floor(image.added / 1e9),
    entries,
    size,
    wastedBytes,
    efficiency: size > 0 ? (size - wastedBytes) / size : 1,
  };
}
