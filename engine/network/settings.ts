// Networking's keys in Strata's settings file (engine/config.ts), named as
// in Docker's daemon.json where Docker has them:
//
//   "bip": "10.66.0.1/16"         the default bridge's gateway and subnet
//   "bridge": "strata0"           the default bridge's interface on the host
//   "default-address-pools": [{"base": "10.67.0.0/16", "size": 24}]
//                                 where user networks' subnets come from
//   "netavark-binary", "aardvark-dns-binary"   Debian's paths by default
//
// The defaults stay clear of Docker's (172.17.0.0/16 to 172.31.0.0/16 and
// 192.168.0.0/16) and of Podman's (10.88.0.0/16, and its user pools from
// 10.89.0.0 up to 10.255.255.0), since either may be installed beside Strata.

import { loadConfig, type StrataConfig } from '../config';
import { formatIPv4, isHostAddress, parseIPv4, parseSubnet, type Subnet } from './ipv4';

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
  bip: '10.66.0.1/16',
  bridge: 'strata0',
  'default-address-pools': [{ base: '10.67.0.0/16', size: 24 }],
  'netavark-binary': '/usr/lib/podman/netavark',
  'aardvark-dns-binary': '/usr/lib/podman/aardvark-dns',
};

/** A Linux interface name: at most 15 bytes, no slash, no blank, not "." or "..". */
export function validInterfaceName(name: string): boolean {
  return /^[A-Za-z0-9_.:-]{1,15}$/.test(name) && name !== '.' && name !== '..';
}

function text(config: StrataConfig, key: keyof typeof networkDefaults): string {
  const v = config.raw(key) ?? networkDefaults[key];
  if (typeof v !== 'string' || v === '') throw config.invalid(key, 'must be a string');
  return v;
}

/** Where a failure to parse a value becomes the settings file's one-line refusal. */
function checked<T>(config: StrataConfig, key: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw config.invalid(key, (err as Error).message);
  }
}

function pools(config: StrataConfig): AddressPool[] {
  const v = config.raw('default-address-pools') ?? networkDefaults['default-address-pools'];
  if (!Array.isArray(v)) throw config.invalid('default-address-pools', 'must be a list of {"base", "size"}');
  return v.map((p) => {
    const base = (p as { base?: unknown }).base;
    const size = (p as { size?: unknown }).size;
    if (typeof base !== 'string' || !Number.isSafeInteger(size)) throw config.invalid('default-address-pools', 'must be a list of {"base", "size"}');
    const subnet = checked(config, 'default-address-pools', () => parseSubnet(base));
    if ((size as number) < subnet.prefix || (size as number) > 30) {
      throw config.invalid('default-address-pools', `size ${size} of ${base} must be between ${subnet.prefix} and 30`);
    }
    return { subnet, size: size as number };
  });
}

/** The settings as they are now in the file under `configRoot` (default $STRATA_CONFIG_ROOT or /etc). */
export function readNetworkSettings(configRoot?: string): NetworkSettings {
  const config = loadConfig(configRoot);
  const bip = text(config, 'bip');
  const [address] = bip.split('/');
  const subnet = checked(config, 'bip', () => parseSubnet(bip, false));
  const gateway = checked(config, 'bip', () => parseIPv4(address ?? ''));
  if (subnet.prefix > 30 || !isHostAddress(subnet, gateway)) {
    throw config.invalid('bip', `${bip} must be the bridge's address in its subnet, e.g. ${networkDefaults.bip} (room for a gateway and containers)`);
  }
  const name = text(config, 'bridge');
  if (!validInterfaceName(name)) throw config.invalid('bridge', `"${name}" is not an interface name: at most 15 letters, digits, '_', '.', ':' or '-'`);
  return {
    bridge: { name, subnet, gateway },
    addressPools: pools(config),
    netavark: text(config, 'netavark-binary'),
    aardvarkDns: text(config, 'aardvark-dns-binary'),
  };
}

/** The keys a config file needs for a bridge and pool of one's own (tests, benchmarks). */
export function networkKeys(bridge: string, bridgeSubnet: Subnet, pool: Subnet, size: number): Record<string, unknown> {
  return { bip: `${formatIPv4(bridgeSubnet.base + 1)}/${bridgeSubnet.prefix}`, bridge, 'default-address-pools': [{ base: `${formatIPv4(pool.base)}/${pool.prefix}`, size }] };
}
