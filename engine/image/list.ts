// `images`: which images to list and with which references, as dockerd's
// daemon/images/images.go decides: dangling (true: untagged images no other
// image is built on), label, before and since (by creation time, against
// an image named by reference or id), reference (a glob on the familiar
// name, with or without its tag; only the matching references are shown).

import type { ImageSummary } from '../api';
import { pathMatch } from '../build/pathMatch';
import { FilterArgs, invalidFilter } from '../filters/args';
import type { ImageListEntry, ImageStore } from '../store/images';
import { familiarName, parseReference } from '../oci/reference';

const acceptedFilters = ['dangling', 'label', 'before', 'since', 'reference'];

/** reference.FamiliarMatch: the pattern against "name:tag" (or "name@digest"), then against the name alone. */
function familiarMatch(pattern: string, ref: string): boolean {
  if (pathMatch(pattern, ref)) return true;
  try {
    return pathMatch(pattern, familiarName(parseReference(ref)));
  } catch {
    return false;
  }
}

export function listImages(images: ImageStore, opts: { all?: boolean; filters?: Record<string, string[]> }): ImageSummary[] {
  const filters = new FilterArgs(opts.filters).validate(acceptedFilters);
  let danglingOnly = false;
  if (filters.contains('dangling')) {
    if (filters.exactMatch('dangling', 'true')) danglingOnly = true;
    else if (!filters.exactMatch('dangling', 'false')) throw invalidFilter('dangling', filters.get('dangling'));
  }
  // The last value wins, as dockerd's WalkValues leaves it.
  const createdOf = (ref: string) => images.getImage(images.resolveId(ref)).created;
  const before = filters.get('before').map(createdOf).at(-1);
  const since = filters.get('since').map(createdOf).at(-1);
  const patterns = filters.get('reference');

  const choose = (image: ImageListEntry) => {
    if (danglingOnly && image.children > 0) return undefined; // only the heads of the image graph
    if (before !== undefined && image.created >= before) return undefined;
    if (since !== undefined && image.created <= since) return undefined;
    if (filters.contains('label') && !filters.matchKVList('label', image.labels())) return undefined;
    const keep = (ref: string) => patterns.length === 0 || patterns.some((p) => familiarMatch(p, ref));
    const repoTags = image.repoTags.filter(keep);
    const repoDigests = image.repoDigests.filter(keep);
    if (repoTags.length === 0 && repoDigests.length === 0) {
      if (!opts.all && image.children > 0) return undefined;
      if (filters.contains('dangling') && !danglingOnly) return undefined;
      if (filters.contains('reference')) return undefined;
    } else if (danglingOnly && repoTags.length > 0) return undefined;
    return { repoTags, repoDigests };
  };
  return images.listImages({ all: opts.all, choose });
}
