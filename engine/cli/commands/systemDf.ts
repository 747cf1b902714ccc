// `strata system df`: docker's summary of what the engine root holds (Strata
// keeps no build cache: that row is zero), or --format per row.

import type { DiskUsage } from '../../api';
import { humanSize } from '../../humanize';
import type { CommandModule } from '../command';
import { listFormat, renderList } from '../views/list';

const table = 'table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}';
const titles = { Type: 'TYPE', TotalCount: 'TOTAL', Active: 'ACTIVE', Size: 'SIZE', Reclaimable: 'RECLAIMABLE' };

function reclaimable(bytes: number, total: number): string {
  return total > 0 ? `${humanSize(bytes)} (${Math.floor((bytes * 100) / total)}%)` : humanSize(bytes);
}

/** The four rows, keys in Go's (sorted) order as `--format json` prints them. */
export function diskUsageRows(du: DiskUsage) {
  const activeImages = du.images.filter((i) => i.containers > 0);
  const used = activeImages.reduce((n, i) => n + i.size - i.sharedSize, 0);
  const live = (s: string) => s === 'running' || s === 'paused' || s === 'restarting';
  const containersSize = du.containers.reduce((n, c) => n + c.sizeRw, 0);
  const idle = du.containers.filter((c) => !live(c.state)).reduce((n, c) => n + c.sizeRw, 0);
  const volumesSize = du.volumes.reduce((n, v) => n + v.size, 0);
  const unusedVolumes = du.volumes.filter((v) => v.links === 0).reduce((n, v) => n + v.size, 0);
  const row = (Type: string, total: number, active: number, size: number, free: string) => ({
    Active: String(active),
    Reclaimable: free,
    Size: humanSize(size),
    TotalCount: String(total),
    Type,
  });
  return [
    row('Images', du.images.length, activeImages.length, du.layersSize, reclaimable(du.layersSize - used, du.layersSize)),
    row('Containers', du.containers.length, du.containers.filter((c) => live(c.state)).length, containersSize, reclaimable(idle, containersSize)),
    row('Local Volumes', du.volumes.length, du.volumes.filter((v) => v.links > 0).length, volumesSize, reclaimable(unusedVolumes, volumesSize)),
    row('Build Cache', 0, 0, 0, humanSize(0)),
  ];
}

export const systemDf: CommandModule = {
  flags: [{ name: 'format', type: 'string', help: "Format output using a custom template: 'table', 'json' or a Go-style template" }],
  args: { max: 0 },
  async run(cli, flags) {
    const du = await cli.client.call('system.df', {});
    cli.out(renderList(diskUsageRows(du), listFormat(flags.string('format'), false, table, ''), titles));
    return 0;
  },
};
