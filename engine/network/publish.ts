// Published ports at start: Docker's PortBindings (and -P: every exposed
// port) become netavark's port_mappings, with a host port chosen wherever the
// user left it open — from the kernel's ephemeral range, as Docker does, or
// from the range given. Consecutive ports go as one range (fewer rules).

import fs from 'node:fs';
import { conflict } from '../errors';
import type { PortMapping } from '../store/networks';
import { hostPortsInUse } from './hostNetwork';
import type { PortBindings } from '../api';
import { parsePortRange, splitPortKey, type Protocol } from './portSpec';

export interface PublishRequest {
  bindings: PortBindings;
  publishAll: boolean;
  /** The container's exposed ports ("80/tcp"), for -P. */
  exposed: string[];
}

/** The ports other containers of this engine already publish, per protocol. */
export type TakenPorts = Record<Protocol, Set<number>>;

function ephemeralRange(): [number, number] {
  try {
    const [lo, hi] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (lo > 0 && hi >= lo) return [lo, hi];
  } catch {
    // the usual default below
  }
  return [32768, 60999];
}

function pickPort(range: [number, number], protocol: Protocol, taken: TakenPorts, hostUsed: () => Set<number>): number {
  for (let p = range[0]; p <= range[1]; p++) if (!taken[protocol].has(p) && !hostUsed().has(p)) return p;
  throw conflict(`no free host port in ${range[0]}-${range[1]} for ${protocol}`);
}

/** Every binding with its host port decided. `taken` gains the ports chosen. */
export function resolvePublished(req: PublishRequest, taken: TakenPorts): PortMapping[] {
  const bindings: PortBindings = { ...req.bindings };
  if (req.publishAll) for (const key of req.exposed) if (!bindings[key]?.length) bindings[key] = [{ HostIp: '', HostPort: '' }];
  const used: Partial<Record<Protocol, Set<number>>> = {};
  const single: PortMapping[] = [];
  const keys = Object.keys(bindings).sort((a, b) => splitPortKey(a)[0] - splitPortKey(b)[0] || a.localeCompare(b));
  for (const key of keys) {
    const [containerPort, protocol] = splitPortKey(key);
    for (const b of bindings[key]) {
      const hostUsed = () => (used[protocol] ??= hostPortsInUse(protocol));
      const range = b.HostPort === '' || b.HostPort === '0' ? ephemeralRange() : parsePortRange(b.HostPort)!;
      const hostPort = range[0] === range[1] ? range[0] : pickPort(range, protocol, taken, hostUsed);
      taken[protocol].add(hostPort);
      single.push({ host_ip: b.HostIp, host_port: hostPort, container_port: containerPort, protocol, range: 1 });
    }
  }
  return mergeRanges(single);
}

/** 8080->80, 8081->81 on the same address and protocol become one mapping of range 2. */
function mergeRanges(single: PortMapping[]): PortMapping[] {
  const out: PortMapping[] = [];
  for (const m of single) {
    const last = out[out.length - 1];
    if (
      last &&
      last.host_ip === m.host_ip &&
      last.protocol === m.protocol &&
      last.host_port + last.range === m.host_port &&
      last.container_port + last.range === m.container_port
    ) {
      last.range++;
    } else out.push({ ...m });
  }
  return out;
}
