// `create`'s network flags, checked as Docker checks them: which network
// mode, which networks to join (with aliases and a fixed address), the ports
// to publish, and the name-resolution settings, refused where the mode has no
// use for them.

import { conflict, invalidArgument } from '../errors';
import type { CreateOptions } from '../api';
import type { RuntimeContext } from '../runtime/context';
import { findContainer } from '../runtime/context';
import type { ContainerRow, EndpointConfig, HostConfig } from '../store/containers';
import { networkKind } from './mode';
import { parseIPv4 } from './ipv4';
import { parseExtraHost } from './nameFiles';
import { findNetwork } from './networks';
import { parsePortRange, splitPortKey } from './portSpec';

export interface NetworkChoice {
  host: Pick<HostConfig, 'NetworkMode' | 'PortBindings' | 'PublishAllPorts' | 'Dns' | 'DnsSearch' | 'DnsOptions' | 'ExtraHosts'>;
  networks: Record<string, EndpointConfig>;
  /** --network container:NAME: the container whose namespace (and hostname) it shares. */
  joined?: ContainerRow;
  warnings: string[];
}

function checkPortBindings(bindings: NonNullable<CreateOptions['portBindings']>): void {
  for (const [key, list] of Object.entries(bindings)) {
    splitPortKey(key);
    for (const b of list) {
      if (b.HostIp !== '') parseIPv4(b.HostIp, 'host IP address');
      if (b.HostPort !== '' && !parsePortRange(b.HostPort)) throw invalidArgument(`invalid hostPort: ${b.HostPort}`);
    }
  }
}

export function chooseNetworks(ctx: RuntimeContext, opts: CreateOptions): NetworkChoice {
  const mode = !opts.networkMode || opts.networkMode === 'default' ? 'bridge' : opts.networkMode;
  const kind = networkKind(mode);
  const aliases = opts.networkAliases ?? [];
  const publishing = Object.keys(opts.portBindings ?? {}).length > 0 || !!opts.publishAll;
  const warnings: string[] = [];
  for (const h of opts.extraHosts ?? []) parseExtraHost(h);
  for (const d of opts.dns ?? []) parseIPv4(d, 'DNS server address');
  if (opts.ipv4Address) parseIPv4(opts.ipv4Address, 'IPv4 address');
  checkPortBindings(opts.portBindings ?? {});
  const host: NetworkChoice['host'] = {
    NetworkMode: mode,
    PortBindings: opts.portBindings ?? {},
    PublishAllPorts: !!opts.publishAll,
    Dns: opts.dns ?? [],
    DnsSearch: opts.dnsSearch ?? [],
    DnsOptions: opts.dnsOptions ?? [],
    ExtraHosts: opts.extraHosts ?? [],
  };
  const network = kind === 'networks' ? findNetwork(ctx, mode) : undefined;
  const userDefined = network !== undefined && network.name !== 'bridge';
  if (aliases.length > 0 && !userDefined) throw invalidArgument('network-scoped aliases are only supported for user-defined networks');
  if (opts.ipv4Address && !userDefined) throw invalidArgument('user specified IP address is supported on user defined networks only');
  if (kind === 'container') {
    if (opts.hostname !== undefined) throw invalidArgument('conflicting options: hostname and the network mode');
    if ((opts.dns ?? []).length > 0) throw invalidArgument('conflicting options: dns and the network mode');
    if ((opts.extraHosts ?? []).length > 0) throw invalidArgument('conflicting options: custom host-to-IP mapping and the network mode');
    if (publishing) throw invalidArgument('conflicting options: port publishing and the container type network mode');
    const joined = findContainer(ctx, mode.slice('container:'.length));
    return { host: { ...host, NetworkMode: `container:${joined.id}` }, networks: {}, joined, warnings };
  }
  if (kind === 'host' && publishing) {
    warnings.push('Published ports are discarded when using host network mode');
    host.PortBindings = {};
    host.PublishAllPorts = false;
  }
  if (!network) return { host, networks: {}, warnings };
  if (network.driver !== 'bridge') throw conflict(`network ${network.name} cannot be joined: it is the ${network.name} network`);
  return {
    host: { ...host, NetworkMode: network.name },
    networks: { [network.name]: { NetworkID: network.id, Aliases: aliases, IPv4Address: opts.ipv4Address ?? '' } },
    warnings,
  };
}
