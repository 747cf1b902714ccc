// Rootless mode's default network: pasta (passt) connects the container's
// namespace to the host's through a tap device, as rootless Podman does; a
// user cannot make bridges or veths on the host. The network dir holds the
// same plan.json the monitor runs for netavark, with `strata-shim pasta` as
// its command (engine/native/shim/pasta.c) and one attachment. Published
// ports are forwarded from explicit host addresses only (pasta's default
// would be every port on every address).

import fs from 'node:fs';
import path from 'node:path';
import { invalidArgument, unavailable } from '../errors';
import { shimPath } from '../native';
import { tunHelp, tunUsable } from '../rootless';
import type { RuntimeContext } from '../runtime/context';
import type { ContainerRow } from '../store/containers';
import { splitPortKey } from './portSpec';

/** pasta's options for the published ports: -t 127.0.0.1/8080:80 each, and `none` for a protocol without any. */
export function forwardOptions(row: Pick<ContainerRow, 'spec'>): string[] {
  const out: string[] = [];
  const hc = row.spec.HostConfig;
  if (hc.PublishAllPorts) throw invalidArgument('rootless mode publishes only ports with an explicit host port: use -p HOSTPORT:PORT instead of -P');
  const used = new Set<string>();
  for (const [key, bindings] of Object.entries(hc.PortBindings ?? {})) {
    const [port, proto] = splitPortKey(key);
    if (proto !== 'tcp' && proto !== 'udp') throw invalidArgument(`rootless mode cannot publish ${proto} ports`);
    for (const b of bindings) {
      if (b.HostPort === '') throw invalidArgument(`rootless mode publishes only ports with an explicit host port: -p HOSTPORT:${port}`);
      const address = b.HostIp === '' ? '0.0.0.0' : b.HostIp;
      out.push(proto === 'tcp' ? '-t' : '-u', `${address}/${b.HostPort}:${port}`);
      used.add(proto);
    }
  }
  if (!used.has('tcp')) out.push('-t', 'none');
  if (!used.has('udp')) out.push('-u', 'none');
  return out;
}

/** Writes the network dir for pasta; the monitor runs it once the namespace exists. */
export function writePastaPlan(ctx: RuntimeContext, row: ContainerRow): string {
  if (!tunUsable()) throw unavailable(tunHelp);
  const dir = ctx.paths.networkDir(row.id);
  const command = [shimPath(), 'pasta', '--config-net', '--quiet', ...forwardOptions(row), '-T', 'none', '-U', 'none'];
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(dir, 'plan.json'), JSON.stringify({ command, lock: path.join(dir, 'pasta.lock') }, null, 2));
  fs.writeFileSync(path.join(dir, 'attach-pasta.json'), '{}\n');
  return dir;
}
