// What `ps` shows of a container: Docker's summary fields and its human
// STATUS words. Kept apart from the heavier views so `ps` loads little.

import type { ContainerSummary } from '../api';
import { humanDuration } from '../humanize';
import type { ContainerHealthJson } from '../inspect';
import { containerPorts } from '../network/portList';
import type { ContainerRow } from '../store/containers';
import type { PortMapping } from '../store/networks';

const nsToSeconds = (ns: number) => Math.floor(ns / 1e9);

/**
 * Docker's STATUS column: "Up 3 seconds", "Exited (0) 2 minutes ago", "Up 5
 * seconds (Paused)", and with a health check "Up 3 minutes (healthy)".
 */
export function statusText(row: ContainerRow, nowNs = Date.now() * 1e6, health?: ContainerHealthJson['Status']): string {
  const since = (ns: number) => humanDuration((nowNs - ns) / 1e6);
  switch (row.state) {
    case 'created':
      return 'Created';
    case 'running':
      if (health) return `Up ${since(row.startedAt)} (${health === 'starting' ? 'health: starting' : health})`;
      return `Up ${since(row.startedAt)}`;
    case 'paused':
      return `Up ${since(row.startedAt)} (Paused)`;
    case 'restarting':
      return `Restarting (${row.exitCode}) ${since(row.finishedAt)} ago`;
    case 'removing':
      return 'Removal In Progress';
    case 'exited':
      return row.finishedAt ? `Exited (${row.exitCode}) ${since(row.finishedAt)} ago` : `Exited (${row.exitCode})`;
    case 'dead':
      return 'Dead';
  }
}

/** The COMMAND column as moby builds it: the path, then the arguments, those with a space in single quotes. */
export function commandOf(row: ContainerRow): string {
  const [path = '', ...args] = [...(row.spec.Config.Entrypoint ?? []), ...(row.spec.Config.Cmd ?? [])];
  return [path, ...args.map((a) => (a.includes(' ') ? `'${a}'` : a))].join(' ');
}

/** The summary `ps` shows; `ports` are what its endpoints publish (empty when it does not run), `health` its check's verdict. */
export function summarize(row: ContainerRow, ports: readonly PortMapping[] = [], health?: ContainerHealthJson['Status']): ContainerSummary {
  const mounts = row.spec.MountPoints ?? [];
  return {
    id: row.id,
    names: [row.name],
    image: row.imageRef,
    imageId: row.imageId,
    command: commandOf(row),
    created: nsToSeconds(row.created),
    state: row.state,
    status: statusText(row, undefined, health),
    exitCode: row.exitCode,
    labels: row.spec.Config.Labels,
    mounts: row.spec.MountPoints ? mounts.map((m) => m.Name || m.Source) : row.spec.HostConfig.Binds.map((b) => b.split(':')[0]),
    localVolumes: mounts.filter((m) => m.Type === 'volume').length,
    networks: row.spec.Networks && Object.keys(row.spec.Networks).length > 0 ? Object.keys(row.spec.Networks) : [row.spec.HostConfig.NetworkMode],
    ports: containerPorts(row, ports),
  };
}
