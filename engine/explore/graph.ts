// `image.graph`: every image with the ChainIDs of its stack, so the app can
// draw which image is built on which (a shared bottom of the stack) as a
// family tree, and the parent each one names.

import type { ImageGraphNode } from '../api';
import type { ExploreContext } from './context';

export function imageGraph(ctx: ExploreContext): { nodes: ImageGraphNode[] } {
  const { images, layers } = ctx.store;
  const nodes = images.listImages({ all: true }).map((summary) => {
    const top = images.getImage(summary.id).topLayer;
    return {
      id: summary.id,
      repoTags: summary.repoTags,
      parentId: summary.parentId,
      chainIds: top ? layers.layerChain(top).map((l) => l.chainId) : [],
      created: summary.created,
    };
  });
  return { nodes };
}
