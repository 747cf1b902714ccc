// /networks: list, inspect, create, remove, prune, connect and disconnect,
// as the engine's network requests, answered in dockerd's shapes and words
// (compose looks a network up, creates it when missing, and connects its
// containers with their service names as aliases).

import type { NetworkSummary } from '../api';
import type { ApiContext } from './context';
import { badRequest, notImplemented } from './errors';
import type { Exchange } from './exchange';
import { checkFilterNames, labelsMatch, parseFilters, type Filters } from './query';
import type { Route } from './router';

type Json = Record<string, unknown>;

function matcher(filters: Filters): (n: NetworkSummary) => boolean {
  checkFilterNames(filters, ['name', 'id', 'label', 'driver', 'type', 'scope']);
  const any = (name: string, test: (v: string) => boolean) => {
    const values = filters.get(name);
    return !values || values.some(test);
  };
  for (const t of filters.get('type') ?? []) if (t !== 'custom' && t !== 'builtin') throw badRequest(`invalid filter: 'type'='${t}'`);
  return (n) =>
    // Docker matches a name filter anywhere in the name, an id filter at its start.
    any('name', (v) => n.name.includes(v)) &&
    any('id', (v) => n.id.startsWith(v)) &&
    labelsMatch(n.labels, filters.get('label') ?? []) &&
    any('driver', (v) => n.driver === v) &&
    any('type', (v) => (v === 'builtin') === n.predefined) &&
    any('scope', (v) => v === 'local');
}

async function list(ex: Exchange, ctx: ApiContext): Promise<void> {
  const test = matcher(parseFilters(ex.query.get('filters')));
  const chosen = (await ctx.client.call('network.list', {})).filter(test);
  // The list is the inspect of each, without its containers (as dockerd lists them).
  const shown = await Promise.all(chosen.map(async (n) => ({ ...(await ctx.client.call('network.inspect', { ref: n.id })), Containers: {} })));
  ex.sendJson(200, shown);
}

async function inspect(ex: Exchange, ctx: ApiContext): Promise<void> {
  ex.sendJson(200, await ctx.client.call('network.inspect', { ref: ex.params.id }));
}

async function create(ex: Exchange, ctx: ApiContext): Promise<void> {
  ex.requireJsonContentType();
  const body = ((await ex.json()) ?? {}) as Json;
  if (typeof body.Name !== 'string' || body.Name === '') throw badRequest('network name is required');
  if (body.EnableIPv6 === true) throw notImplemented('Strata does not support IPv6 networks');
  if (body.Ingress === true || body.Scope === 'swarm') throw notImplemented('Strata has no swarm networks');
  const ipam = (body.IPAM ?? {}) as Json;
  const pools = (Array.isArray(ipam.Config) ? ipam.Config : []) as Json[];
  if (pools.length > 1) throw notImplemented('Strata networks take one IPv4 subnet');
  const pool = pools[0] ?? {};
  if (pool.IPRange || (pool.AuxiliaryAddresses && Object.keys(pool.AuxiliaryAddresses as Json).length)) throw notImplemented('Strata does not support IPAM ranges or auxiliary addresses');
  const { id } = await ctx.client.call('network.create', {
    name: body.Name,
    ...(typeof body.Driver === 'string' && body.Driver ? { driver: body.Driver } : {}),
    ...(typeof pool.Subnet === 'string' ? { subnet: pool.Subnet } : {}),
    ...(typeof pool.Gateway === 'string' ? { gateway: pool.Gateway } : {}),
    ...(body.Internal === true ? { internal: true } : {}),
    ...(body.Labels && typeof body.Labels === 'object' ? { labels: body.Labels as Record<string, string> } : {}),
    ...(body.Options && typeof body.Options === 'object' ? { options: body.Options as Record<string, string> } : {}),
  });
  ex.sendJson(201, { Id: id, Warning: '' });
}

async function connect(ex: Exchange, ctx: ApiContext): Promise<void> {
  ex.requireJsonContentType();
  const body = ((await ex.json()) ?? {}) as Json;
  const endpoint = (body.EndpointConfig ?? {}) as Json;
  const aliases = Array.isArray(endpoint.Aliases) ? endpoint.Aliases.map(String) : [];
  const ipv4 = ((endpoint.IPAMConfig ?? {}) as Json).IPv4Address;
  await ctx.client.call('network.connect', {
    network: ex.params.id,
    container: String(body.Container ?? ''),
    ...(aliases.length ? { aliases } : {}),
    ...(typeof ipv4 === 'string' && ipv4 ? { ipv4Address: ipv4 } : {}),
  });
  ex.send(200);
}

async function disconnect(ex: Exchange, ctx: ApiContext): Promise<void> {
  ex.requireJsonContentType();
  const body = ((await ex.json()) ?? {}) as Json;
  await ctx.client.call('network.disconnect', { network: ex.params.id, container: String(body.Container ?? ''), ...(body.Force === true ? { force: true } : {}) });
  ex.send(200);
}

async function prune(ex: Exchange, ctx: ApiContext): Promise<void> {
  const filters = parseFilters(ex.query.get('filters'));
  checkFilterNames(filters, []);
  const { deleted } = await ctx.client.call('network.prune', {});
  ex.sendJson(200, { NetworksDeleted: deleted.length ? deleted : null });
}

export const networkRoutes: Route[] = [
  { method: 'GET', pattern: '/networks', handler: list },
  { method: 'POST', pattern: '/networks/create', handler: create },
  { method: 'POST', pattern: '/networks/prune', handler: prune },
  { method: 'GET', pattern: '/networks/{id}', handler: inspect },
  { method: 'DELETE', pattern: '/networks/{id}', handler: async (ex, ctx) => (await ctx.client.call('network.remove', { ref: ex.params.id }), ex.send(204)) },
  { method: 'POST', pattern: '/networks/{id}/connect', handler: connect },
  { method: 'POST', pattern: '/networks/{id}/disconnect', handler: disconnect },
];
