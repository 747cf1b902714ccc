// What the host already uses, read from /proc: the subnets it routes (so a
// network picked from a pool does not shadow a LAN, a VPN, Docker's or
// Podman's bridges) and the ports something listens on (so an automatically
// chosen host port is free when the launcher binds it).

import fs from 'node:fs';
import type { Subnet } from './ipv4';

const readOr = (file: string) => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

/** /proc/net/route holds addresses as little-endian hex. */
const fromHex = (hex: string) => {
  const n = Number.parseInt(hex, 16);
  return (((n & 255) << 24) | ((n >>> 8) & 255) << 16 | (((n >>> 16) & 255) << 8) | (n >>> 24)) >>> 0;
};

const prefixOf = (mask: number) => {
  let bits = 0;
  while (bits < 32 && (mask & (0x80000000 >>> bits)) !== 0) bits++;
  return bits;
};

/** Every IPv4 subnet the host routes to, with its interface (the default route excluded). */
export function hostRoutes(): { iface: string; subnet: Subnet }[] {
  const routes: { iface: string; subnet: Subnet }[] = [];
  for (const line of readOr('/proc/net/route').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const mask = fromHex(f[7]);
    if (mask === 0) continue;
    routes.push({ iface: f[0], subnet: { base: fromHex(f[1]), prefix: prefixOf(mask) } });
  }
  return routes;
}

/** Local ports in use for the protocol (listening TCP sockets, bound UDP ones), IPv4 and IPv6. */
export function hostPortsInUse(protocol: 'tcp' | 'udp'): Set<number> {
  const used = new Set<number>();
  for (const file of [`/proc/net/${protocol}`, `/proc/net/${protocol}6`]) {
    for (const line of readOr(file).split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 4) continue;
      // TCP state 0A is LISTEN; a UDP socket is in use once bound (state 07).
      if (protocol === 'tcp' && f[3] !== '0A') continue;
      used.add(Number.parseInt(f[1].split(':')[1], 16));
    }
  }
  return used;
}
