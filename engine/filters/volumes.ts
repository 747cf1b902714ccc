// `volume ls --filter` and `volume prune --filter`, as dockerd's volume
// service reads them: dangling (no container refers to it), name (a Go
// regular expression), driver, label; prune: label, label!.

import type { VolumeSummary } from '../api';
import type { VolumeRecord } from '../store/volumes';
import { FilterArgs, invalidFilter } from './args';

export function filterVolumes(volumes: VolumeSummary[], filterMap?: Record<string, string[]>): VolumeSummary[] {
  const filters = new FilterArgs(filterMap).validate(['dangling', 'name', 'driver', 'label']);
  let dangling: boolean | undefined;
  if (filters.contains('dangling')) {
    if (filters.exactMatch('dangling', 'true') || filters.exactMatch('dangling', '1')) dangling = true;
    else if (filters.exactMatch('dangling', 'false') || filters.exactMatch('dangling', '0')) dangling = false;
    else throw invalidFilter('dangling', filters.get('dangling'));
  }
  return volumes.filter(
    (v) =>
      filters.exactMatch('driver', v.driver) &&
      (!filters.contains('name') || filters.match('name', v.name)) &&
      filters.matchKVList('label', v.labels) &&
      (dangling === undefined || (v.users.length === 0) === dangling),
  );
}

/** Which volumes a prune may take: those with the labels asked for. */
export function volumePruneFilter(filterMap?: Record<string, string[]>): (v: VolumeRecord) => boolean {
  const filters = new FilterArgs(filterMap).validate(['label', 'label!']);
  return (v) => filters.matchLabels(v.labels);
}
