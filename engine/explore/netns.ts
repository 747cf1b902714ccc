// A container's network namespace as the kernel has it: its interfaces
// (addresses, MAC, MTU, and for a veth the host-side end it is paired with)
// and its routes, read with iproute2 from inside the namespace. What the
// process space view draws beside the processes.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import type { NetworkNamespaceView } from '../api';

const run = promisify(execFile);

interface IpLink {
  ifindex: number;
  ifname: string;
  flags?: string[];
  mtu: number;
  address?: string;
  link_index?: number;
  addr_info?: { family: string; local: string; prefixlen: number }[];
}

interface IpRoute {
  dst: string;
  gateway?: string;
  dev: string;
  prefsrc?: string;
  metric?: number;
}

async function ipJson<T>(netns: string | null, args: string[]): Promise<T[]> {
  const argv = netns ? ['nsenter', `--net=${netns}`, '--', 'ip', '-j', ...args] : ['ip', '-j', ...args];
  const { stdout } = await run(argv[0], argv.slice(1), { timeout: 5000 });
  return JSON.parse(stdout || '[]') as T[];
}

/** The namespace of process `pid`, or null when it is the host's own. */
export async function networkNamespaceOf(pid: number): Promise<NetworkNamespaceView | null> {
  const file = `/proc/${pid}/ns/net`;
  const namespace = fs.readlinkSync(file);
  if (namespace === fs.readlinkSync('/proc/self/ns/net')) return null;
  const [links, routes, hostLinks] = await Promise.all([
    ipJson<IpLink>(file, ['addr', 'show']),
    ipJson<IpRoute>(file, ['route', 'show']),
    ipJson<IpLink>(null, ['link', 'show']),
  ]);
  const hostName = new Map(hostLinks.map((l) => [l.ifindex, l.ifname]));
  return {
    namespace,
    interfaces: links.map((l) => ({
      name: l.ifname,
      index: l.ifindex,
      mac: l.address ?? '',
      mtu: l.mtu,
      up: (l.flags ?? []).includes('UP'),
      addresses: (l.addr_info ?? []).filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`),
      ...(l.link_index !== undefined && hostName.has(l.link_index) ? { peer: hostName.get(l.link_index)! } : {}),
    })),
    routes: routes.map((r) => ({
      destination: r.dst,
      device: r.dev,
      ...(r.gateway ? { gateway: r.gateway } : {}),
      ...(r.prefsrc ? { source: r.prefsrc } : {}),
      ...(r.metric !== undefined ? { metric: r.metric } : {}),
    })),
  };
}
