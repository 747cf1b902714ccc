// Docker's network objects: the predefined `bridge` (Strata's default
// bridge, strata0, from the config file), `host` and `none`, and user-defined
// bridge networks with their own subnet, bridge and name resolution. A
// network is a row until a container joins it: netavark makes the bridge on
// the first join and removes it when the last container leaves.

import { randomBytes } from 'node:crypto';
import type { NetworkCreate } from '../api';
import { alreadyExists, conflict, invalidArgument, notFound } from '../errors';
import type { RuntimeContext } from '../runtime/context';
import { nowNanos } from '../store/events';
import type { NetworkRecord } from '../store/networks';
import { bridgeNameOption, mtuOption } from './driverOptions';
import { hostRoutes } from './hostNetwork';
import { firstHost, formatIPv4, formatSubnet, isHostAddress, overlaps, parseIPv4, parseSubnet, splitPool, type Subnet } from './ipv4';
import { readNetworkSettings, validInterfaceName, type NetworkSettings } from './settings';

export const predefinedNetworks = ['bridge', 'host', 'none'] as const;


export function networkSettings(ctx: RuntimeContext): NetworkSettings {
  return readNetworkSettings(ctx.configRoot);
}

export function networkEvent(ctx: RuntimeContext, n: NetworkRecord, action: string, extra: Record<string, string> = {}): void {
  ctx.events.record({ type: 'network', action, id: n.id, time: nowNanos(), attributes: { name: n.name, type: n.driver, ...extra } });
}

const newId = () => randomBytes(32).toString('hex');

/**
 * The predefined networks exist in every root. The default bridge follows the
 * config file: when nothing is on it, a changed subnet or name takes effect.
 */
export function ensurePredefined(ctx: RuntimeContext): void {
  const settings = networkSettings(ctx);
  const bridge = {
    bridge: settings.bridge.name,
    subnet: formatSubnet(settings.bridge.subnet),
    gateway: formatIPv4(settings.bridge.gateway),
  };
  const current = ctx.networks.byName('bridge');
  if (current && current.bridge === bridge.bridge && current.subnet === bridge.subnet && current.gateway === bridge.gateway) return;
  ctx.networks.exclusive(() => {
    const now = nowNanos();
    const base = { internal: false, dns: false, labels: {}, options: {}, created: now };
    const existing = ctx.networks.byName('bridge');
    if (!existing) {
      ctx.networks.insert({ ...base, id: newId(), name: 'bridge', driver: 'bridge', ...bridge, options: { [bridgeNameOption]: bridge.bridge } });
    } else if (ctx.networks.endpointsOf(existing.id).length === 0) {
      ctx.networks.remove(existing.id);
      ctx.networks.insert({ ...existing, ...bridge, options: { ...existing.options, [bridgeNameOption]: bridge.bridge } });
    }
    if (!ctx.networks.byName('host')) ctx.networks.insert({ ...base, id: newId(), name: 'host', driver: 'host', bridge: '', subnet: '', gateway: '' });
    if (!ctx.networks.byName('none')) ctx.networks.insert({ ...base, id: newId(), name: 'none', driver: 'null', bridge: '', subnet: '', gateway: '' });
  });
}

/** By name, full id or unique id prefix, as Docker finds networks. */
export function findNetwork(ctx: RuntimeContext, ref: string): NetworkRecord {
  ensurePredefined(ctx);
  const byName = ctx.networks.byName(ref);
  if (byName) return byName;
  if (/^[0-9a-f]+$/.test(ref)) {
    const full = ref.length === 64 ? ctx.networks.get(ref) : undefined;
    if (full) return full;
    const matches = ctx.networks.byPrefix(ref);
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) throw invalidArgument(`network ${ref} is ambiguous (${matches.length} matches found on id)`);
  }
  throw notFound(`network ${ref} not found`);
}

export function listNetworks(ctx: RuntimeContext): NetworkRecord[] {
  ensurePredefined(ctx);
  return ctx.networks.list();
}

/** A free subnet from the address pools: clear of this engine's networks and of every route the host has. */
function subnetFromPools(ctx: RuntimeContext, settings: NetworkSettings): Subnet {
  const taken = [...ctx.networks.list().filter((n) => n.subnet).map((n) => parseSubnet(n.subnet)), ...hostRoutes().map((r) => r.subnet)];
  for (const pool of settings.addressPools) {
    for (const candidate of splitPool(pool.subnet, pool.size)) {
      if (!taken.some((t) => overlaps(t, candidate))) return candidate;
    }
  }
  throw unavailableSubnet();
}

const unavailableSubnet = () =>
  conflict('could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network');

function checkOptions(options: Record<string, string>): void {
  const name = options[bridgeNameOption];
  if (name !== undefined && !validInterfaceName(name)) throw invalidArgument(`invalid bridge name "${name}": at most 15 letters, digits, '_', '.', ':' or '-'`);
  const mtu = options[mtuOption];
  if (mtu !== undefined && !(/^\d+$/.test(mtu) && Number(mtu) >= 68 && Number(mtu) <= 65535)) throw invalidArgument(`invalid MTU number: ${mtu}`);
}

export function createNetwork(ctx: RuntimeContext, opts: NetworkCreate): { id: string } {
  const driver = opts.driver ?? 'bridge';
  if (driver === 'host' || driver === 'null') throw conflict(`only one instance of "${driver}" network is allowed`);
  if (driver !== 'bridge') throw notFound(`plugin "${driver}" not found`);
  if (!opts.name || /[\s/:]/.test(opts.name)) throw invalidArgument(`invalid network name "${opts.name}": letters, digits and '_', '.', '-' only`);
  if (opts.gateway !== undefined && opts.subnet === undefined) throw invalidArgument('every ip-range or gateway must have a corresponding subnet');
  const options = opts.options ?? {};
  checkOptions(options);
  const settings = networkSettings(ctx);
  ensurePredefined(ctx);
  const id = newId();
  const record = ctx.networks.exclusive(() => {
    if (ctx.networks.byName(opts.name)) throw alreadyExists(`network with name ${opts.name} already exists`);
    let subnet: Subnet;
    if (opts.subnet !== undefined) {
      subnet = parseSubnet(opts.subnet, false);
      if (subnet.prefix > 30) throw invalidArgument(`invalid subnet ${opts.subnet}: too small for a gateway and containers`);
      if (ctx.networks.list().some((n) => n.subnet && overlaps(parseSubnet(n.subnet), subnet))) throw conflict('Pool overlaps with other one on this address space');
    } else {
      subnet = subnetFromPools(ctx, settings);
    }
    const gateway = opts.gateway !== undefined ? parseIPv4(opts.gateway, 'gateway') : firstHost(subnet);
    if (!isHostAddress(subnet, gateway)) throw invalidArgument(`no matching subnet for gateway ${opts.gateway}`);
    const bridge = options[bridgeNameOption] ?? `st-${id.slice(0, 12)}`;
    if (ctx.networks.list().some((n) => n.bridge === bridge)) throw alreadyExists(`bridge name ${bridge} is already in use by another network`);
    const n: NetworkRecord = {
      id,
      name: opts.name,
      driver: 'bridge',
      bridge,
      subnet: formatSubnet(subnet),
      gateway: formatIPv4(gateway),
      internal: !!opts.internal,
      dns: true,
      labels: opts.labels ?? {},
      options,
      created: nowNanos(),
    };
    ctx.networks.insert(n);
    return n;
  });
  networkEvent(ctx, record, 'create');
  return { id };
}

function assertRemovable(ctx: RuntimeContext, n: NetworkRecord): void {
  if ((predefinedNetworks as readonly string[]).includes(n.name)) throw conflict(`${n.name} is a pre-defined network and cannot be removed`);
  if (ctx.networks.endpointsOf(n.id).length > 0) {
    throw conflict(`error while removing network: network ${n.name} id ${n.id} has active endpoints`);
  }
}

export function removeNetwork(ctx: RuntimeContext, ref: string): void {
  const n = findNetwork(ctx, ref);
  ctx.networks.exclusive(() => {
    assertRemovable(ctx, n);
    ctx.networks.remove(n.id);
  });
  networkEvent(ctx, n, 'destroy');
}

/** Removes every user-defined network no running container is on (and `wanted` takes); returns their names. */
export function pruneNetworks(ctx: RuntimeContext, wanted: (n: NetworkRecord) => boolean = () => true): string[] {
  const removed: string[] = [];
  for (const n of listNetworks(ctx)) {
    if (!wanted(n)) continue;
    try {
      removeNetwork(ctx, n.id);
      removed.push(n.name);
    } catch {
      // predefined, or in use: kept
    }
  }
  return removed;
}
