// What netavark is given, and asking the launcher to run it. A container's
// network dir (run/<id>/network) holds plan.json (the netavark command and the
// host-wide lock) and one attach-<network id>.json per network: netavark's
// options, with the address the IPAM chose and, on the first network, the
// published ports. The monitor sets them up at start and tears them down at
// exit (engine/native/shim/netavark.c); `strata-shim network` runs one for the
// engine: connect, disconnect, and cleaning up after a monitor that died.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { EngineError, unavailable } from '../errors';
import { shimPath } from '../native';
import type { RuntimeContext } from '../runtime/context';
import type { NetworkRecord, PortMapping } from '../store/networks';
import { mtuOption } from './driverOptions';
import type { NetworkSettings } from './settings';

/** One lock for every engine on the machine: bridges and netavark's shared chains are the host's. */
export const networkLock = '/run/lock/strata-network.lock';

export const attachmentFile = (networkId: string) => `attach-${networkId}.json`;

/** Docker's MAC for an address: 02:42 then the address's four bytes. */
export function macFor(ip: string): string {
  return ['02', '42', ...ip.split('.').map((o) => Number(o).toString(16).padStart(2, '0'))].join(':');
}

export interface Attachment {
  network: NetworkRecord;
  ip: string;
  interface: string;
  aliases: string[];
  ports: PortMapping[];
}

/** eth0's default route wins; a network joined later adds its own behind it, as Docker keeps one gateway. */
const routeMetric = (iface: string) => String(100 + Number(iface.replace(/^eth/, '') || 0));

/**
 * netavark's options for one container on one network (netavark's NetworkOptions).
 * netavark knows the network by its id, not its Docker name: it names the
 * network's firewall chains (NETAVARK-<hash of the name>, NETAVARK-DN-...) and
 * aardvark-dns's file after that name, as if names were the host's, and every
 * engine on the host has a `bridge`. Under one name, one engine's last
 * container leaving would take another's masquerade rule and port chain.
 */
export function netavarkOptions(container: { id: string; name: string; dns: string[] }, a: Attachment): object {
  const n = a.network;
  // Bridges do not forward to one another, as Docker's DOCKER-ISOLATION chains keep networks apart.
  const options: Record<string, string> = { isolate: 'true', metric: routeMetric(a.interface) };
  if (n.options[mtuOption]) options.mtu = n.options[mtuOption];
  return {
    container_id: container.id,
    container_name: container.name,
    port_mappings: a.ports,
    networks: {
      [n.id]: {
        interface_name: a.interface,
        static_ips: [a.ip],
        static_mac: macFor(a.ip),
        // Names aardvark-dns answers for besides the container's: its aliases and short id, as Docker's DNS.
        aliases: n.dns ? [...a.aliases, container.id.slice(0, 12)] : [],
      },
    },
    network_info: {
      [n.id]: {
        name: n.id,
        id: n.id,
        driver: 'bridge',
        network_interface: n.bridge,
        subnets: [{ subnet: n.subnet, gateway: n.gateway }],
        ipv6_enabled: false,
        internal: n.internal,
        dns_enabled: n.dns,
        options,
        ipam_options: { driver: 'host-local' },
      },
    },
    ...(n.dns && container.dns.length > 0 ? { dns_servers: container.dns } : {}),
  };
}

function checkInstalled(settings: NetworkSettings): void {
  for (const [file, pkg] of [
    [settings.netavark, 'netavark'],
    [settings.aardvarkDns, 'aardvark-dns'],
  ]) {
    if (!fs.existsSync(file)) {
      throw unavailable(`${pkg} is not installed (${file}): install it (apt-get install netavark aardvark-dns) or run with --network none`);
    }
  }
}

/** Writes the network dir's plan; attachments are written one by one. */
export function writePlan(ctx: RuntimeContext, dir: string, settings: NetworkSettings): void {
  checkInstalled(settings);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.mkdirSync(ctx.paths.netavarkConfig, { recursive: true, mode: 0o700 });
  fs.mkdirSync(path.dirname(networkLock), { recursive: true });
  const command = [settings.netavark, '--config', ctx.paths.netavarkConfig, '--rootless', 'false', '--aardvark-binary', settings.aardvarkDns];
  fs.writeFileSync(path.join(dir, 'plan.json'), JSON.stringify({ command, lock: networkLock }, null, 2));
}

export function writeAttachment(dir: string, container: { id: string; name: string; dns: string[] }, a: Attachment): void {
  fs.writeFileSync(path.join(dir, attachmentFile(a.network.id)), JSON.stringify(netavarkOptions(container, a), null, 2));
}

/** Where the container's network namespace is bound in its network dir. */
export const namespaceFile = (dir: string) => path.join(dir, 'netns');

/** Whether the container's namespace is still bound in its network dir: its network is not torn down yet. */
export function namespaceBound(dir: string): boolean {
  try {
    return fs.statfsSync(namespaceFile(dir)).type === 0x6e736673; // NSFS_MAGIC
  } catch {
    return false;
  }
}

/** `strata-shim network ACTION`: one attachment, or (teardown without one) all of them and the namespace. */
export function runNetwork(action: 'setup' | 'teardown', dir: string, attachment?: string): Promise<void> {
  const argv = ['network', action, '--dir', dir, ...(attachment ? ['--attachment', attachment] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn(shimPath(), argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', (e) => reject(new EngineError('Internal', `strata-shim: ${e.message}`)));
    child.on('close', () => {
      let report: { ok?: boolean; error?: string } = {};
      try {
        report = JSON.parse(out.split('\n')[0]);
      } catch {
        report = { error: out.trim() || 'strata-shim network failed' };
      }
      if (report.ok) resolve();
      else reject(new EngineError('Internal', report.error ?? 'strata-shim network failed'));
    });
  });
}
