// A container joining its networks at start and leaving them at exit. At
// start the IPAM picks an address on each network (an endpoint row: unique
// per network, so two engines never share one), the first network gets the
// published ports, the network dir is written for the launcher, and
// /etc/hosts and /etc/resolv.conf are written for the addresses chosen. The
// monitor does the wiring itself (netavark, in a namespace it makes before
// the container's, while it makes the container: the spec names that
// namespace's file) and the unwiring when the container exits; leaving here
// releases the rows, and unwires what a monitor that died could not.

import fs from 'node:fs';
import path from 'node:path';
import { conflict, notFound, unavailable } from '../errors';
import type { RuntimeContext } from '../runtime/context';
import { findContainer } from '../runtime/context';
import type { ContainerRow } from '../store/containers';
import type { NetworkRecord, PortMapping } from '../store/networks';
import { formatIPv4, isHostAddress, parseIPv4, parseSubnet } from './ipv4';
import { networkKind } from './mode';
import { hostsFile, resolvConf, type NameFilesInput } from './nameFiles';
import { namespaceBound, namespaceFile, runNetwork, writeAttachment, writePlan, type Attachment } from './netavark';
import { ensurePredefined, networkSettings } from './networks';
import { resolvePublished, type TakenPorts } from './publish';
import { engineMode } from '../rootless';
import { writePastaPlan } from './pasta';

export interface NetworkJoin {
  /** The network dir for the launcher (--network): it binds the namespace there and runs netavark. */
  dir?: string;
  /**
   * A namespace to join instead of making one: --network container:NAME's, or
   * the network dir's own, which the monitor makes before the container so
   * that netavark works while the container is made.
   */
  namespacePath?: string;
  /** Where /etc/hosts, /etc/resolv.conf and /etc/hostname come from (the other container's, for container:NAME). */
  filesDir: string;
}


function readHostFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The files the container sees at /etc/hosts and /etc/resolv.conf, for its first address (if any). */
export function writeNameFiles(ctx: RuntimeContext, row: ContainerRow, first?: { network: NetworkRecord; ip: string }): void {
  const dir = ctx.paths.containerDir(row.id);
  const host = row.spec.HostConfig;
  if (host.NetworkMode === 'host') {
    fs.writeFileSync(path.join(dir, 'hosts'), readHostFile('/etc/hosts'));
    fs.writeFileSync(path.join(dir, 'resolv.conf'), readHostFile('/etc/resolv.conf'));
    return;
  }
  const input: NameFilesInput = {
    hostname: row.spec.Config.Hostname,
    domainname: row.spec.Config.Domainname,
    kind: !first ? 'none' : first.network.dns ? 'user' : 'bridge',
    ip: first?.ip,
    gateway: first?.network.gateway,
    extraHosts: host.ExtraHosts ?? [],
    hostGateway: formatIPv4(networkSettings(ctx).bridge.gateway),
    dns: host.Dns ?? [],
    dnsSearch: host.DnsSearch ?? [],
    dnsOptions: host.DnsOptions ?? [],
  };
  // In place: a running container has these very files bind-mounted.
  fs.writeFileSync(path.join(dir, 'hosts'), hostsFile(input));
  fs.writeFileSync(path.join(dir, 'resolv.conf'), resolvConf(input, readHostFile('/etc/resolv.conf')));
}

function takenPorts(ctx: RuntimeContext): TakenPorts {
  const taken: TakenPorts = { tcp: new Set(), udp: new Set() };
  for (const e of ctx.networks.allEndpoints()) for (const m of e.ports) for (let i = 0; i < m.range; i++) taken[m.protocol].add(m.host_port + i);
  return taken;
}

/** The network a container's record names: by id, else (recreated since) by name. */
export function configuredNetwork(ctx: RuntimeContext, name: string, id: string): NetworkRecord {
  const n = ctx.networks.get(id) ?? ctx.networks.byName(name);
  if (!n) throw notFound(`network ${name} not found`);
  return n;
}

/** The lowest free host address (or the one asked for), never the gateway. */
export function pickAddress(ctx: RuntimeContext, n: NetworkRecord, requested: string): string {
  const subnet = parseSubnet(n.subnet);
  const gateway = parseIPv4(n.gateway);
  const used = new Set(ctx.networks.endpointsOf(n.id).map((e) => parseIPv4(e.ip)));
  if (requested) {
    const ip = parseIPv4(requested);
    if (!isHostAddress(subnet, ip)) throw conflict(`no configured subnet or ip-range contain the IP address ${requested}`);
    if (ip === gateway || used.has(ip)) throw conflict(`Address already in use: ${requested}`);
    return requested;
  }
  for (let ip = subnet.base; ip < subnet.base + 2 ** (32 - subnet.prefix); ip++) {
    if (ip !== gateway && !used.has(ip) && isHostAddress(subnet, ip)) return formatIPv4(ip);
  }
  throw conflict(`no available IPv4 addresses on network ${n.name}`);
}

/**
 * As dockerd, a container started on a user-defined network answers to its
 * short id there too, and keeps that alias (inspect shows it afterwards).
 */
function withShortIdAlias(ctx: RuntimeContext, row: ContainerRow): ContainerRow {
  const short = row.id.slice(0, 12);
  const networks = Object.entries(row.spec.Networks ?? {});
  const missing = new Set(networks.filter(([name, cfg]) => configuredNetwork(ctx, name, cfg.NetworkID).dns && !cfg.Aliases.includes(short)).map(([name]) => name));
  if (missing.size === 0) return row;
  const spec = { ...row.spec, Networks: Object.fromEntries(networks.map(([name, cfg]) => [name, missing.has(name) ? { ...cfg, Aliases: [...cfg.Aliases, short] } : cfg])) };
  ctx.containers.updateSpec(row.id, spec);
  return { ...row, spec };
}

/** The endpoint rows for the container's networks, all in one transaction: addresses, interfaces, ports. */
function allocate(ctx: RuntimeContext, row: ContainerRow, exposed: string[]): Attachment[] {
  const configured = Object.entries(row.spec.Networks ?? {});
  return ctx.networks.exclusive(() => {
    const taken = takenPorts(ctx);
    const attachments: Attachment[] = [];
    configured.forEach(([name, cfg], i) => {
      const network = configuredNetwork(ctx, name, cfg.NetworkID);
      const ports: PortMapping[] =
        i === 0
          ? resolvePublished({ bindings: row.spec.HostConfig.PortBindings ?? {}, publishAll: !!row.spec.HostConfig.PublishAllPorts, exposed }, taken)
          : [];
      const a: Attachment = { network, ip: pickAddress(ctx, network, cfg.IPv4Address), interface: `eth${i}`, aliases: cfg.Aliases, ports };
      ctx.networks.addEndpoint({ networkId: network.id, containerId: row.id, ip: a.ip, interface: a.interface, ports });
      attachments.push(a);
    });
    return attachments;
  });
}

export function exposedPortKeys(row: ContainerRow): string[] {
  return Object.keys(row.spec.Config.ExposedPorts ?? {});
}

/** Everything the container's network needs before the launcher runs. */
export function joinNetworks(ctx: RuntimeContext, row: ContainerRow): NetworkJoin {
  const mode = row.spec.HostConfig.NetworkMode;
  const own = ctx.paths.containerDir(row.id);
  switch (networkKind(mode)) {
    case 'host':
      writeNameFiles(ctx, row);
      return { filesDir: own };
    case 'none':
      writeNameFiles(ctx, row);
      return { filesDir: own };
    case 'container': {
      const other = findContainer(ctx, mode.slice('container:'.length));
      if (other.state !== 'running' && other.state !== 'paused') throw conflict(`cannot join network of a non running container: ${other.name}`);
      return { namespacePath: `/proc/${other.pid}/ns/net`, filesDir: ctx.paths.containerDir(other.id) };
    }
    case 'networks':
      break;
  }
  if (engineMode().rootless) {
    // A user cannot make bridges on the host: the default network is pasta's (network/pasta.ts).
    if (mode !== 'bridge') throw unavailable(`network ${mode}: rootless mode has only the default network (pasta) and --network none here; user-defined networks need root`);
    writeNameFiles(ctx, row);
    return { dir: writePastaPlan(ctx, row), filesDir: own };
  }
  ensurePredefined(ctx);
  const settings = networkSettings(ctx);
  const dir = ctx.paths.networkDir(row.id);
  writePlan(ctx, dir, settings);
  const attachments = allocate(ctx, withShortIdAlias(ctx, row), exposedPortKeys(row));
  try {
    const container = { id: row.id, name: row.name, dns: row.spec.HostConfig.Dns ?? [] };
    for (const a of attachments) writeAttachment(dir, container, a);
    writeNameFiles(ctx, row, attachments[0]);
  } catch (err) {
    ctx.networks.removeEndpoints(row.id);
    throw err;
  }
  return { dir, namespacePath: namespaceFile(dir), filesDir: own };
}

/**
 * After the container stopped, or did not start: its addresses and ports go
 * back to the pools. Its monitor unwired the namespace already, unless it died
 * (or failed to): then it is done here, from the network dir it left.
 */
export async function leaveNetworks(ctx: RuntimeContext, containerId: string): Promise<void> {
  const dir = ctx.paths.networkDir(containerId);
  if (namespaceBound(dir)) await runNetwork('teardown', dir);
  ctx.networks.removeEndpoints(containerId);
}
