// `strata ps`: each container as docker's formatter sees it, so the table,
// `{{.Field}}` and `--format json` print what `docker ps` prints.

import type { ContainerSummary } from '../../api';
import { humanDuration, humanSizeWithPrecision } from '../../humanize';
import { goQuote } from '../gojson';
import { goTimeString } from '../gotime';
import { ellipsis, truncateId } from './list';

export const psTable = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';

export const psTitles: Record<string, string> = {
  ID: 'CONTAINER ID',
  Image: 'IMAGE',
  Command: 'COMMAND',
  CreatedAt: 'CREATED AT',
  RunningFor: 'CREATED',
  Ports: 'PORTS',
  State: 'STATE',
  Status: 'STATUS',
  Size: 'SIZE',
  Names: 'NAMES',
  Labels: 'LABELS',
  Mounts: 'MOUNTS',
  Networks: 'NETWORKS',
  LocalVolumes: 'LOCAL VOLUMES',
};

/** The fields of `docker ps --format '{{json .}}'`, keys in Go's (sorted) order. */
export interface ContainerRow {
  Command: string;
  CreatedAt: string;
  ID: string;
  Image: string;
  Labels: string;
  LocalVolumes: string;
  Mounts: string;
  Names: string;
  Networks: string;
  Ports: string;
  RunningFor: string;
  Size: string;
  State: string;
  Status: string;
}

function imageColumn(c: ContainerSummary, trunc: boolean): string {
  if (!c.image) return '<no image>';
  // A container made from an image id shows the short id, as docker does.
  if (trunc && truncateId(c.imageId) === truncateId(c.image)) return truncateId(c.image);
  return c.image;
}

/** docker's SIZE: "2B (virtual 1.24MB)"; "0B" when sizes were not asked for. */
function sizeColumn(c: ContainerSummary): string {
  const rw = humanSizeWithPrecision(c.sizeRw ?? 0, 3);
  return c.sizeRootFs ? `${rw} (virtual ${humanSizeWithPrecision(c.sizeRootFs, 3)})` : rw;
}

export function containerRow(c: ContainerSummary, trunc: boolean, nowMs: number): ContainerRow {
  return {
    Command: goQuote(trunc ? ellipsis(c.command, 20) : c.command),
    CreatedAt: goTimeString(c.created),
    ID: trunc ? truncateId(c.id) : c.id,
    Image: imageColumn(c, trunc),
    Labels: Object.keys(c.labels).sort().map((k) => `${k}=${c.labels[k]}`).join(','),
    LocalVolumes: '0', // bind mounts only: no local volumes
    Mounts: c.mounts.map((m) => (trunc ? ellipsis(m, 15) : m)).join(','),
    Names: c.names.join(','),
    Networks: c.networks.join(','),
    Ports: '',
    RunningFor: `${humanDuration(nowMs - c.created * 1000)} ago`,
    Size: sizeColumn(c),
    State: c.state,
    Status: c.status,
  };
}
