// `container prune`: removes every container that does not run, as dockerd's
// ContainersPrune: filters until (created before that time) and label /
// label! (prune's label rules); the space reclaimed is their writable layers.

import { isLive, type ContainerPruneReport } from '../api';
import { FilterArgs } from '../filters/args';
import { pruneUntil } from '../filters/prune';
import { treeSize } from '../image/diskUsage';
import { nowNanos } from '../store/events';
import { removeContainer } from './lifecycle';
import type { RuntimeContext } from './context';

const acceptedFilters = ['label', 'label!', 'until'];

export async function pruneContainers(ctx: RuntimeContext, filterMap?: Record<string, string[]>): Promise<ContainerPruneReport> {
  const filters = new FilterArgs(filterMap).validate(acceptedFilters);
  const until = pruneUntil(filters);
  const report: ContainerPruneReport = { deleted: [], spaceReclaimed: 0 };
  for (const row of ctx.containers.list(true)) {
    if (isLive(row.state)) continue;
    if (until !== undefined && row.created > until) continue;
    if (!filters.matchLabels(row.spec.Config.Labels)) continue;
    const size = treeSize(`${ctx.paths.containerDir(row.id)}/upper`);
    try {
      await removeContainer(ctx, row.id);
    } catch {
      continue; // started or removed meanwhile: dockerd only warns
    }
    report.deleted.push(row.id);
    report.spaceReclaimed += size;
  }
  ctx.events.record({ type: 'container', action: 'prune', id: '', time: nowNanos(), attributes: { reclaimed: String(report.spaceReclaimed) } });
  return report;
}
