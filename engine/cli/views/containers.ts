// `strata ps`: each container as docker's formatter sees it, so the table,
// `{{.Field}}` and `--format json` print what `docker ps` prints.

import type { ContainerPort, ContainerSummary } from '../../api';
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
    LocalVolumes: String(c.localVolumes),
    Mounts: c.mounts.map((m) => (trunc ? ellipsis(m, 15) : m)).join(','),
    Names: c.names.join(','),
    Networks: c.networks.join(','),
    Ports: displayablePorts(c.ports),
    RunningFor: `${humanDuration(nowMs - c.created * 1000)} ago`,
    Size: sizeColumn(c),
    State: c.state,
    Status: c.status,
  };
}

const hostPort = (ip: string, port: number | string) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

function compareOrder(a: ContainerPort, b: ContainerPort): number {
  if (a.privatePort !== b.privatePort) return a.privatePort - b.privatePort;
  if ((a.ip ?? '') !== (b.ip ?? '')) return (a.ip ?? '') < (b.ip ?? '') ? -1 : 1;
  if ((a.publicPort ?? 0) !== (b.publicPort ?? 0)) return (a.publicPort ?? 0) - (b.publicPort ?? 0);
  return a.type < b.type ? -1 : a.type > b.type ? 1 : 0;
}

/**
 * The PORTS column exactly as docker's CLI builds it (formatter.DisplayablePorts):
 * ports sorted; a port published on the same number, or only exposed, joins a
 * run of consecutive ones ("7000-7002/tcp", "0.0.0.0:80-81->80-81/tcp"); any
 * other mapping is listed alone, after the runs.
 */
export function displayablePorts(ports: readonly ContainerPort[]): string {
  const groups = new Map<string, { first: number; last: number }>();
  const result: string[] = [];
  const hostMappings: string[] = [];
  const formGroup = (key: string, first: number, last: number) => {
    const slash = key.lastIndexOf('/');
    const ip = slash > 0 ? key.slice(0, slash) : '';
    const type = key.slice(slash + 1);
    const range = first === last ? String(first) : `${first}-${last}`;
    return `${ip ? `${hostPort(ip, range)}->${range}` : range}/${type}`;
  };
  for (const p of [...ports].sort(compareOrder)) {
    let key: string = p.type;
    if (p.ip) {
      if (p.publicPort !== p.privatePort) {
        hostMappings.push(`${hostPort(p.ip, p.publicPort!)}->${p.privatePort}/${p.type}`);
        continue;
      }
      key = `${p.ip}/${p.type}`;
    }
    const group = groups.get(key);
    if (!group) groups.set(key, { first: p.privatePort, last: p.privatePort });
    else if (p.privatePort === group.last + 1) group.last = p.privatePort;
    else {
      result.push(formGroup(key, group.first, group.last));
      // The run starts again; the key keeps its place in the order of first sight.
      groups.set(key, { first: p.privatePort, last: p.privatePort });
    }
  }
  for (const [key, g] of groups) result.push(formGroup(key, g.first, g.last));
  return [...result, ...hostMappings].join(', ');
}

/** Newest first, as the docker daemon lists them. */
export function newestFirst<T extends { created: number }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => b.created - a.created);
}
