// IPv4 addresses and subnets as numbers: parsing what users type (--subnet,
// --ip, --gateway, the config file), the arithmetic the IPAM needs, and the
// overlap checks that keep Strata's networks off everyone else's.

import { invalidArgument } from '../errors';

export interface Subnet {
  /** The network address (host bits zero), as an unsigned 32-bit number. */
  base: number;
  prefix: number;
}

const octet = /^(0|[1-9]\d{0,2})$/;

/** An address as a number, or undefined when `text` is not dotted-quad IPv4. */
export function ipv4Value(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => octet.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function parseIPv4(text: string, what = 'IP address'): number {
  const n = ipv4Value(text);
  if (n === undefined) throw invalidArgument(`invalid ${what}: ${text}`);
  return n;
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

const sizeOf = (prefix: number) => 2 ** (32 - prefix);

/** "10.1.0.0/16"; `exact` refuses host bits (as Docker's --subnet does), otherwise they are cleared. */
export function parseSubnet(text: string, exact = true): Subnet {
  const [addr, bits, extra] = text.split('/');
  const prefix = bits !== undefined && /^\d{1,2}$/.test(bits) ? Number(bits) : NaN;
  const ip = ipv4Value(addr ?? '');
  if (extra !== undefined || ip === undefined || !(prefix >= 0 && prefix <= 32)) throw invalidArgument(`invalid subnet ${text}: not an IPv4 CIDR such as 10.66.0.0/16`);
  const base = ip - (ip % sizeOf(prefix));
  if (exact && base !== ip) throw invalidArgument(`invalid subnet ${text}: it has host bits set (the network is ${formatSubnet({ base, prefix })})`);
  return { base, prefix };
}

export function formatSubnet(s: Subnet): string {
  return `${formatIPv4(s.base)}/${s.prefix}`;
}

export function subnetSize(s: Subnet): number {
  return sizeOf(s.prefix);
}

export function contains(s: Subnet, ip: number): boolean {
  return ip >= s.base && ip < s.base + sizeOf(s.prefix);
}

export function overlaps(a: Subnet, b: Subnet): boolean {
  return a.base < b.base + sizeOf(b.prefix) && b.base < a.base + sizeOf(a.prefix);
}

/** The first address after the network address: Docker's default gateway. */
export function firstHost(s: Subnet): number {
  return s.base + 1;
}

/** Whether a container may have `ip`: inside, and neither the network nor the broadcast address. */
export function isHostAddress(s: Subnet, ip: number): boolean {
  if (!contains(s, ip)) return false;
  if (s.prefix >= 31) return true;
  return ip !== s.base && ip !== s.base + sizeOf(s.prefix) - 1;
}

/** The subnets of `size` bits that `pool` splits into, in order. */
export function* splitPool(pool: Subnet, size: number): Generator<Subnet> {
  if (size < pool.prefix) return;
  for (let base = pool.base; base < pool.base + sizeOf(pool.prefix); base += sizeOf(size)) yield { base, prefix: size };
}
