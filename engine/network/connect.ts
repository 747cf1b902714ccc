// `network connect` and `disconnect`: a container's record gains or loses a
// network; a running one is wired or unwired at once (one more netavark
// attachment in its network dir, run by the launcher under the host-wide lock).

import fs from 'node:fs';
import path from 'node:path';
import { conflict, invalidArgument } from '../errors';
import type { RuntimeContext } from '../runtime/context';
import { findContainer } from '../runtime/context';
import type { ContainerRow } from '../store/containers';
import { configuredNetwork, pickAddress } from './attach';
import { parseIPv4 } from './ipv4';
import { networkKind } from './mode';
import { attachmentFile, namespaceBound, runNetwork, writeAttachment } from './netavark';
import { findNetwork, networkEvent } from './networks';

const running = (row: ContainerRow) => row.state === 'running' || row.state === 'paused';

/** The lowest interface name the container does not use yet. */
function freeInterface(ctx: RuntimeContext, containerId: string): string {
  const used = new Set(ctx.networks.endpointsOfContainer(containerId).map((e) => e.interface));
  for (let i = 0; ; i++) if (!used.has(`eth${i}`)) return `eth${i}`;
}

export async function connectNetwork(
  ctx: RuntimeContext,
  opts: { network: string; container: string; aliases?: string[]; ipv4Address?: string },
): Promise<void> {
  const n = findNetwork(ctx, opts.network);
  const row = findContainer(ctx, opts.container);
  const kind = networkKind(row.spec.HostConfig.NetworkMode);
  if (n.driver !== 'bridge') throw invalidArgument(`container cannot be disconnected from host network or connected to host network`);
  if (kind === 'host') throw invalidArgument('container cannot be disconnected from host network or connected to host network');
  if (kind === 'none' || kind === 'container') {
    throw invalidArgument('container cannot be connected to multiple networks with one of the networks in private (none) mode');
  }
  if (row.spec.Networks?.[n.name]) throw conflict(`endpoint with name ${row.name} already exists in network ${n.name}`);
  const aliases = opts.aliases ?? [];
  if ((aliases.length > 0 || opts.ipv4Address) && !n.dns) {
    throw invalidArgument(aliases.length > 0 ? 'network-scoped aliases are only supported for user-defined networks' : 'user specified IP address is supported on user defined networks only');
  }
  if (opts.ipv4Address) parseIPv4(opts.ipv4Address, 'IPv4 address');
  // As dockerd: on a user-defined network the container also answers to its short id.
  const named = n.dns ? [...aliases, row.id.slice(0, 12)] : aliases;
  const spec = { ...row.spec, Networks: { ...(row.spec.Networks ?? {}), [n.name]: { NetworkID: n.id, Aliases: named, IPv4Address: opts.ipv4Address ?? '' } } };
  if (running(row)) await wire(ctx, { ...row, spec }, n.name);
  ctx.containers.updateSpec(row.id, spec);
  networkEvent(ctx, n, 'connect', { container: row.id });
}

/** Wires a running container to one more network: an address, an attachment, netavark setup. */
async function wire(ctx: RuntimeContext, row: ContainerRow, name: string): Promise<void> {
  const dir = ctx.paths.networkDir(row.id);
  if (!namespaceBound(dir)) throw conflict(`container ${row.name} has no network namespace to connect: restart it first`);
  const cfg = row.spec.Networks![name];
  const n = configuredNetwork(ctx, name, cfg.NetworkID);
  const a = ctx.networks.exclusive(() => {
    const attachment = { network: n, ip: pickAddress(ctx, n, cfg.IPv4Address), interface: freeInterface(ctx, row.id), aliases: cfg.Aliases, ports: [] };
    ctx.networks.addEndpoint({ networkId: n.id, containerId: row.id, ip: attachment.ip, interface: attachment.interface, ports: [] });
    return attachment;
  });
  try {
    writeAttachment(dir, { id: row.id, name: row.name, dns: row.spec.HostConfig.Dns ?? [] }, a);
    await runNetwork('setup', dir, attachmentFile(n.id));
  } catch (err) {
    fs.rmSync(path.join(dir, attachmentFile(n.id)), { force: true });
    ctx.networks.removeEndpoint(n.id, row.id);
    throw err;
  }
}

export async function disconnectNetwork(ctx: RuntimeContext, opts: { network: string; container: string; force?: boolean }): Promise<void> {
  const n = findNetwork(ctx, opts.network);
  const row = findContainer(ctx, opts.container);
  const name = Object.keys(row.spec.Networks ?? {}).find((k) => row.spec.Networks![k].NetworkID === n.id);
  if (!name) {
    if (n.driver === 'host' || n.driver === 'null') throw invalidArgument('container cannot be disconnected from host network or connected to host network');
    throw invalidArgument(`container ${row.id} is not connected to network ${n.name}`);
  }
  const endpoint = ctx.networks.endpointsOfContainer(row.id).find((e) => e.networkId === n.id);
  if (running(row) && endpoint) {
    const dir = ctx.paths.networkDir(row.id);
    try {
      await runNetwork('teardown', dir, attachmentFile(n.id));
    } catch (err) {
      if (!opts.force) throw err;
    }
    fs.rmSync(path.join(dir, attachmentFile(n.id)), { force: true });
    ctx.networks.removeEndpoint(n.id, row.id);
  }
  const { [name]: _gone, ...rest } = row.spec.Networks!;
  ctx.containers.updateSpec(row.id, { ...row.spec, Networks: rest });
  networkEvent(ctx, n, 'disconnect', { container: row.id });
}
