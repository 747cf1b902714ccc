// `docker image prune`: removes dangling images (untagged, and no other
// image's parent); with `all`, every image, tagged or not, that no container
// uses. Each goes through rmi's rules unforced, so an image a container uses,
// or one another image still depends on, is skipped silently, as Docker does.
// The space reclaimed is what the deleted layers held. Filters, as dockerd's
// ImagesPrune: until (created before), label and label!, dangling=false
// (as -a).

import type { ImageDeleteItem, ImagePruneReport } from '../api';
import { EngineError } from '../errors';
import { FilterArgs, invalidFilter } from '../filters/args';
import { pruneUntil } from '../filters/prune';
import { removeImage, type RemoveDeps } from './remove';

const acceptedFilters = ['dangling', 'label', 'label!', 'until'];

export function pruneImages(deps: RemoveDeps, opts: { all?: boolean; filters?: Record<string, string[]> } = {}): ImagePruneReport {
  const { images, layers } = deps.store;
  const filters = new FilterArgs(opts.filters).validate(acceptedFilters);
  let all = !!opts.all;
  if (filters.contains('dangling')) {
    if (filters.exactMatch('dangling', 'false') || filters.exactMatch('dangling', '0')) all = true;
    else if (!filters.exactMatch('dangling', 'true') && !filters.exactMatch('dangling', '1')) throw invalidFilter('dangling', filters.get('dangling'));
  }
  const until = pruneUntil(filters);
  const sizes = new Map<string, number>();
  const candidates = images.listImages({ all: true }).filter((image) => {
    if (!all && (image.repoTags.length > 0 || images.children(image.id).length > 0)) return false;
    if (until !== undefined && images.getImage(image.id).created > until) return false;
    if (!filters.matchLabels(image.labels)) return false;
    // Sizes of its layers now, since a deleted layer cannot be asked afterwards.
    const top = images.getImage(image.id).topLayer;
    for (const layer of top ? layers.layerChain(top) : []) sizes.set(layer.chainId, layer.size);
    return true;
  });
  const deleted: ImageDeleteItem[] = [];
  for (const image of candidates) {
    const refs = image.repoTags.length > 0 ? image.repoTags : [image.id];
    for (const ref of refs) {
      try {
        deleted.push(...removeImage(deps, ref));
      } catch (err) {
        // In use, depended on, or already gone with an earlier image: not this prune's to force.
        if (err instanceof EngineError && (err.code === 'Conflict' || err.code === 'NotFound')) continue;
        throw err;
      }
    }
  }
  let spaceReclaimed = 0;
  for (const item of deleted) if ('deleted' in item) spaceReclaimed += sizes.get(item.deleted) ?? 0;
  return { deleted, spaceReclaimed };
}
