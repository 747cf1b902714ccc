// The "network" section of Strata's config file (engine/config.ts):
//
//   "network": {
//     "bridge": { "name": "strata0", "subnet": "10.66.0.0/16", "gateway": "10.66.0.1" },
//     "addressPools": [ { "base": "10.67.0.0/16", "size": 24 } ],
//     "netavark": "/usr/lib/podman/netavark",
//     "aardvarkDns": "/usr/lib/podman/aardvark-dns"
//   }
//
// The defaults stay clear of Docker's (172.17.0.0/16 to 172.31.0.0/16 and
// 192.168.0.0/16) and of Podman's (10.88.0.0/16, and its user pools from
// 10.89.0.0 up to 10.255.255.0), since either may be installed beside Strata.

import type { ConfigSection } from '../config';
import { invalidArgument } from '../errors';
import { s } from '../rpc/schema';
import { firstHost, formatIPv4, isHostAddress, parseIPv4, parseSubnet, type Subnet } from './ipv4';

export interface AddressPool {
  subnet: Subnet;
  /** The prefix length of each network taken from it. */
  size: number;
}

export interface NetworkSettings {
  bridge: { name: string; subnet: Subnet; gateway: number };
  addressPools: AddressPool[];
  netavark: string;
  aardvarkDns: string;
}

export const networkDefaults = {
  bridge: { name: 'strata0', subnet: '10.66.0.0/16' },
  addressPools: [{ base: '10.67.0.0/16', size: 24 }],
  netavark: '/usr/lib/podman/netavark',
  aardvarkDns: '/usr/lib/podman/aardvark-dns',
};

const shape = s.object({
  bridge: s.optional(s.object({ name: s.optional(s.string()), subnet: s.optional(s.string()), gateway: s.optional(s.string()) })),
  addressPools: s.optional(s.array(s.object({ base: s.string(), size: s.integer() }))),
  netavark: s.optional(s.string()),
  aardvarkDns: s.optional(s.string()),
});

/** A Linux interface name: at most 15 bytes, no slash, no blank, not "." or "..". */
export function checkInterfaceName(name: string): string {
  if (!/^[A-Za-z0-9_.:-]{1,15}$/.test(name) || name === '.' || name === '..') {
    throw invalidArgument(`invalid bridge name "${name}": at most 15 letters, digits, '_', '.', ':' or '-'`);
  }
  return name;
}

function pool(p: { base: string; size: number }): AddressPool {
  const subnet = parseSubnet(p.base);
  if (p.size < subnet.prefix || p.size > 30) throw invalidArgument(`address pool ${p.base}: size ${p.size} must be between ${subnet.prefix} and 30`);
  return { subnet, size: p.size };
}

export const networkSection: ConfigSection<NetworkSettings> = {
  name: 'network',
  parse(value) {
    const v = shape.parse(value ?? {}, '');
    const subnet = parseSubnet(v.bridge?.subnet ?? networkDefaults.bridge.subnet);
    if (subnet.prefix > 30) throw invalidArgument(`bridge.subnet ${v.bridge?.subnet}: needs room for a gateway and containers (at most /30)`);
    const gateway = v.bridge?.gateway !== undefined ? parseIPv4(v.bridge.gateway, 'bridge.gateway') : firstHost(subnet);
    if (!isHostAddress(subnet, gateway)) throw invalidArgument(`bridge.gateway ${formatIPv4(gateway)} is not a host address of the bridge subnet`);
    return {
      bridge: { name: checkInterfaceName(v.bridge?.name ?? networkDefaults.bridge.name), subnet, gateway },
      addressPools: (v.addressPools ?? networkDefaults.addressPools).map(pool),
      netavark: v.netavark ?? networkDefaults.netavark,
      aardvarkDns: v.aardvarkDns ?? networkDefaults.aardvarkDns,
    };
  },
};
