// Networks as the app, `network ls` and `network inspect` show them, and a
// container's place on them as `inspect`, `ps` and `port` show it: from the
// network rows, the endpoints of running containers and their records.

import { createHash } from 'node:crypto';
import type { NetworkEndpoint, NetworkSummary, PublishedPort } from '../api';
import type { EndpointSettingsJson, NetworkInspect, NetworkSettingsJson, PortMapJson } from '../inspect';
import type { RuntimeContext } from '../runtime/context';
import type { ContainerRow } from '../store/containers';
import type { EndpointRecord, NetworkRecord, PortMapping } from '../store/networks';
import { parseSubnet } from './ipv4';
import { macFor } from './netavark';
import { bridgeNameOption } from './driverOptions';
import { findNetwork, listNetworks, predefinedNetworks } from './networks';
import { expandMappings } from './portList';

const rfc3339 = (ns: number) => new Date(Math.floor(ns / 1e6)).toISOString().replace(/\.(\d{3})Z$/, (_, ms) => `.${ms}${String(ns % 1e6).padStart(6, '0')}Z`);

/** A stable id for a container's place on a network, as Docker's EndpointID. */
export const endpointId = (networkId: string, containerId: string) => createHash('sha256').update(`${networkId}/${containerId}`).digest('hex');

const prefixOf = (n: NetworkRecord) => (n.subnet ? parseSubnet(n.subnet).prefix : 0);

export function publishedPorts(mappings: readonly PortMapping[]): PublishedPort[] {
  return expandMappings(mappings).map((p) => ({ hostIp: p.hostIp, hostPort: p.hostPort, containerPort: p.containerPort, protocol: p.protocol }));
}

function endpointView(row: ContainerRow | undefined, n: NetworkRecord, e: EndpointRecord): NetworkEndpoint {
  const configured = row?.spec.Networks?.[n.name];
  return {
    containerId: e.containerId,
    containerName: row?.name ?? '',
    ip: e.ip,
    prefixLength: prefixOf(n),
    mac: macFor(e.ip),
    interface: e.interface,
    aliases: n.dns ? [...new Set([...(configured?.Aliases ?? []), e.containerId.slice(0, 12)])] : [],
    ports: publishedPorts(e.ports),
  };
}

export function networkSummaries(ctx: RuntimeContext): NetworkSummary[] {
  const rows = new Map(ctx.containers.list(true).map((r) => [r.id, r]));
  return listNetworks(ctx).map((n) => {
    const endpoints = ctx.networks.endpointsOf(n.id);
    const running = new Set(endpoints.map((e) => e.containerId));
    const stopped = [...rows.values()]
      .filter((r) => !running.has(r.id) && joins(r, n))
      .map((r) => ({ containerId: r.id, containerName: r.name }));
    return {
      id: n.id,
      name: n.name,
      driver: n.driver,
      created: n.created,
      bridge: n.bridge,
      subnet: n.subnet,
      gateway: n.gateway,
      internal: n.internal,
      dns: n.dns,
      predefined: (predefinedNetworks as readonly string[]).includes(n.name),
      labels: n.labels,
      options: n.options,
      endpoints: endpoints.map((e) => endpointView(rows.get(e.containerId), n, e)),
      stopped,
    };
  });
}

/** Whether the container joins the network when it starts (host and none join theirs by mode). */
function joins(row: ContainerRow, n: NetworkRecord): boolean {
  if (n.driver === 'host' || n.driver === 'null') return row.spec.HostConfig.NetworkMode === n.name;
  return Object.values(row.spec.Networks ?? {}).some((c) => c.NetworkID === n.id);
}

export function inspectNetwork(ctx: RuntimeContext, ref: string): NetworkInspect {
  const n = findNetwork(ctx, ref);
  const containers: NetworkInspect['Containers'] = {};
  for (const e of ctx.networks.endpointsOf(n.id)) {
    containers[e.containerId] = {
      Name: ctx.containers.get(e.containerId)?.name ?? '',
      EndpointID: endpointId(n.id, e.containerId),
      MacAddress: macFor(e.ip),
      IPv4Address: `${e.ip}/${prefixOf(n)}`,
      IPv6Address: '',
    };
  }
  const options = { ...n.options };
  if (n.name === 'bridge') Object.assign(options, { 'com.docker.network.bridge.default_bridge': 'true', [bridgeNameOption]: n.bridge });
  return {
    Name: n.name,
    Id: n.id,
    Created: rfc3339(n.created),
    Scope: 'local',
    Driver: n.driver,
    EnableIPv6: false,
    IPAM: { Driver: 'default', Options: {}, Config: n.subnet ? [{ Subnet: n.subnet, Gateway: n.gateway }] : [] },
    Internal: n.internal,
    Attachable: false,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: containers,
    Options: options,
    Labels: n.labels,
  };
}

/** Docker's NetworkSettings.Ports: each exposed port, with its host bindings while it runs (else null). */
function portMap(row: ContainerRow, mappings: readonly PortMapping[]): PortMapJson {
  const ports: PortMapJson = {};
  for (const key of Object.keys(row.spec.Config.ExposedPorts ?? {})) ports[key] = null;
  for (const p of expandMappings(mappings)) (ports[`${p.containerPort}/${p.protocol}`] ??= []).push({ HostIp: p.hostIp, HostPort: String(p.hostPort) });
  return ports;
}

export function containerNetworkSettings(ctx: RuntimeContext, row: ContainerRow): NetworkSettingsJson {
  const live = row.state === 'running' || row.state === 'paused';
  const endpoints = live ? ctx.networks.endpointsOfContainer(row.id) : [];
  const networks: Record<string, EndpointSettingsJson> = {};
  const mode = row.spec.HostConfig.NetworkMode;
  const configured = Object.entries(row.spec.Networks ?? {});
  if (configured.length === 0 && (mode === 'host' || mode === 'none')) configured.push([mode, { NetworkID: findNetwork(ctx, mode).id, Aliases: [], IPv4Address: '' }]);
  for (const [name, cfg] of configured) {
    const e = endpoints.find((x) => x.networkId === cfg.NetworkID);
    const n = ctx.networks.get(cfg.NetworkID);
    networks[name] = {
      IPAMConfig: cfg.IPv4Address ? { IPv4Address: cfg.IPv4Address } : null,
      Links: null,
      Aliases: cfg.Aliases.length > 0 ? cfg.Aliases : null,
      MacAddress: e ? macFor(e.ip) : '',
      DriverOpts: null,
      NetworkID: cfg.NetworkID,
      EndpointID: e ? endpointId(cfg.NetworkID, row.id) : '',
      Gateway: e && n ? n.gateway : '',
      IPAddress: e?.ip ?? '',
      IPPrefixLen: e && n ? prefixOf(n) : 0,
      IPv6Gateway: '',
      GlobalIPv6Address: '',
      GlobalIPv6PrefixLen: 0,
      DNSNames: e && n?.dns ? [...new Set([row.name, ...cfg.Aliases, row.id.slice(0, 12)])] : null,
    };
  }
  // Docker fills the top-level address fields from the default bridge only.
  const bridge = networks.bridge;
  const first = endpoints[0];
  return {
    Bridge: '',
    SandboxID: live && first ? endpointId('sandbox', row.id) : '',
    SandboxKey: live && endpoints.length > 0 ? `${ctx.paths.networkDir(row.id)}/netns` : '',
    Ports: live ? portMap(row, first?.ports ?? []) : {},
    HairpinMode: false,
    LinkLocalIPv6Address: '',
    LinkLocalIPv6PrefixLen: 0,
    SecondaryIPAddresses: null,
    SecondaryIPv6Addresses: null,
    EndpointID: bridge?.EndpointID ?? '',
    Gateway: bridge?.Gateway ?? '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    IPAddress: bridge?.IPAddress ?? '',
    IPPrefixLen: bridge?.IPPrefixLen ?? 0,
    IPv6Gateway: '',
    MacAddress: bridge?.MacAddress ?? '',
    Networks: networks,
  };
}
