// `strata system df`: docker's summary of what the engine root holds (Strata
// keeps no build cache: that row is zero), --format per row, or -v: every
// image and container with its size, in docker's tables.

import { isLive, type DiskUsage } from '../../api';
import { humanSize } from '../../humanize';
import type { CommandModule } from '../command';
import type { Cli } from '../session';
import { containerRow, psTitles } from '../views/containers';
import { imageRows, imagesTitles } from '../views/images';
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
  const containersSize = du.containers.reduce((n, c) => n + c.sizeRw, 0);
  const idle = du.containers.filter((c) => !isLive(c.state)).reduce((n, c) => n + c.sizeRw, 0);
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
    row('Containers', du.containers.length, du.containers.filter((c) => isLive(c.state)).length, containersSize, reclaimable(idle, containersSize)),
    row('Local Volumes', du.volumes.length, du.volumes.filter((v) => v.links > 0).length, volumesSize, reclaimable(unusedVolumes, volumesSize)),
    row('Build Cache', 0, 0, 0, humanSize(0)),
  ];
}

const imageTable = 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.VirtualSize}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}';
const containerTable = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}';

/** `system df -v`: each image (its first tag), container, volume and build cache entry, in docker's four tables. */
async function verbose(cli: Cli, du: DiskUsage): Promise<string> {
  const now = Date.now();
  const images = du.images.map((i) => {
    const [row] = imageRows([{ id: i.id, repoTags: i.repoTags.slice(0, 1), repoDigests: [], parentId: '', created: i.created, size: i.size, layers: 0, containers: i.containers, labels: {} }], true, now);
    return { ...row, SharedSize: humanSize(i.sharedSize), UniqueSize: humanSize(i.size - i.sharedSize), Containers: String(i.containers) };
  });
  // As docker: a container's own layer only, not its image's ("virtual") size.
  const containers = (await cli.client.call('container.list', { all: true, size: true })).map((c) => containerRow({ ...c, sizeRootFs: 0 }, true, now));
  return (
    `Images space usage:\n\n${renderList(images, imageTable, { ...imagesTitles, SharedSize: 'SHARED SIZE', UniqueSize: 'UNIQUE SIZE', Containers: 'CONTAINERS' })}` +
    `\nContainers space usage:\n\n${renderList(containers, containerTable, psTitles)}` +
    '\nLocal Volumes space usage:\n\nVOLUME NAME   LINKS     SIZE\n' +
    `\nBuild cache usage: ${humanSize(0)}\n\nCACHE ID   CACHE TYPE   SIZE      CREATED   LAST USED   USAGE     SHARED\n`
  );
}

export const systemDf: CommandModule = {
  flags: [
    { name: 'format', type: 'string', help: 'Pretty-print images using a Go template' },
    { name: 'verbose', short: 'v', type: 'bool', help: 'Show detailed information on space usage' },
  ],
  args: { max: 0 },
  async run(cli, flags) {
    const du = await cli.client.call('system.df', {});
    if (flags.bool('verbose') && !flags.has('format')) cli.out(await verbose(cli, du));
    else cli.out(renderList(diskUsageRows(du), listFormat(flags.string('format'), false, table, ''), titles));
    return 0;
  },
};
