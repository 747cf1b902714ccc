// Published ports one by one, and a running container's PORTS as `docker ps`
// lists them. Light on imports: `ps` loads it.

import type { ContainerPort } from '../api';
import type { ContainerRow } from '../store/containers';
import type { PortMapping } from '../store/networks';
import { networkKind } from './mode';
import { splitPortKey, type Protocol } from './portSpec';

/** The mappings one port at a time: what `port` and `ps` list. */
export function expandMappings(mappings: readonly PortMapping[]): { hostIp: string; hostPort: number; containerPort: number; protocol: Protocol }[] {
  const out: { hostIp: string; hostPort: number; containerPort: number; protocol: Protocol }[] = [];
  for (const m of mappings) {
    for (let i = 0; i < m.range; i++) {
      out.push({ hostIp: m.host_ip || '0.0.0.0', hostPort: m.host_port + i, containerPort: m.container_port + i, protocol: m.protocol });
    }
  }
  return out;
}

/** The PORTS of a running container on networks: every exposed port, each published one with its host side. */
export function containerPorts(row: ContainerRow, mappings: readonly PortMapping[]): ContainerPort[] {
  const live = row.state === 'running' || row.state === 'paused';
  if (!live || networkKind(row.spec.HostConfig.NetworkMode) !== 'networks') return [];
  const ports: ContainerPort[] = [];
  const published = new Set<string>();
  for (const p of expandMappings(mappings)) {
    published.add(`${p.containerPort}/${p.protocol}`);
    ports.push({ ip: p.hostIp, privatePort: p.containerPort, publicPort: p.hostPort, type: p.protocol });
  }
  for (const key of Object.keys(row.spec.Config.ExposedPorts ?? {})) {
    const [port, type] = splitPortKey(key);
    if (!published.has(`${port}/${type}`)) ports.push({ privatePort: port, type });
  }
  return ports;
}
