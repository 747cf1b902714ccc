// /volumes: list, inspect, create, remove and prune, as the engine's volume
// requests in dockerd's shapes (compose looks its named volumes up and
// creates the missing ones; `down -v` removes them).

import type { VolumeSummary } from '../api';
import type { ApiContext } from './context';
import { badRequest, notImplemented } from './errors';
import type { Exchange } from './exchange';
import { boolParam, checkFilterNames, labelsMatch, parseFilters } from './query';
import type { Route } from './router';

type Json = Record<string, unknown>;

async function list(ex: Exchange, ctx: ApiContext): Promise<void> {
  const filters = parseFilters(ex.query.get('filters'));
  checkFilterNames(filters, ['name', 'label', 'dangling', 'driver']);
  const dangling = filters.get('dangling')?.[0];
  const any = (v: VolumeSummary, name: string, test: (x: string) => boolean) => !filters.get(name) || filters.get(name)!.some(test);
  const chosen = (await ctx.client.call('volume.list', {})).filter(
    (v) =>
      any(v, 'name', (x) => v.name.includes(x)) &&
      any(v, 'driver', (x) => v.driver === x) &&
      labelsMatch(v.labels, filters.get('label') ?? []) &&
      (dangling === undefined || (v.users.length === 0) === (dangling === 'true' || dangling === '1')),
  );
  const volumes = await Promise.all(chosen.map((v) => ctx.client.call('volume.inspect', { name: v.name })));
  ex.sendJson(200, { Volumes: volumes, Warnings: null });
}

async function create(ex: Exchange, ctx: ApiContext): Promise<void> {
  ex.requireJsonContentType();
  const body = ((await ex.json()) ?? {}) as Json;
  if (body.ClusterVolumeSpec) throw notImplemented('Strata has no cluster volumes');
  const name = body.Name;
  if (name !== undefined && typeof name !== 'string') throw badRequest('volume name must be a string');
  const volume = await ctx.client.call('volume.create', {
    ...(name ? { name } : {}),
    ...(typeof body.Driver === 'string' && body.Driver ? { driver: body.Driver } : {}),
    ...(body.Labels && typeof body.Labels === 'object' ? { labels: body.Labels as Record<string, string> } : {}),
    ...(body.DriverOpts && typeof body.DriverOpts === 'object' ? { options: body.DriverOpts as Record<string, string> } : {}),
  });
  ex.sendJson(201, volume);
}

async function prune(ex: Exchange, ctx: ApiContext): Promise<void> {
  const filters = parseFilters(ex.query.get('filters'));
  checkFilterNames(filters, ['label', 'all']);
  if (filters.has('label')) throw notImplemented('Strata prunes volumes without label filters');
  // API 1.41 (dockerd 20.10) prunes every unused volume, named or anonymous.
  const report = await ctx.client.call('volume.prune', { all: true });
  ex.sendJson(200, { VolumesDeleted: report.deleted.length ? report.deleted : null, SpaceReclaimed: report.spaceReclaimed });
}

export const volumeRoutes: Route[] = [
  { method: 'GET', pattern: '/volumes', handler: list },
  { method: 'POST', pattern: '/volumes/create', handler: create },
  { method: 'POST', pattern: '/volumes/prune', handler: prune },
  { method: 'GET', pattern: '/volumes/{name}', handler: async (ex, ctx) => ex.sendJson(200, await ctx.client.call('volume.inspect', { name: ex.params.name })) },
  {
    method: 'DELETE',
    pattern: '/volumes/{name}',
    handler: async (ex, ctx) => (await ctx.client.call('volume.remove', { name: ex.params.name, force: boolParam(ex.query, 'force') }), ex.send(204)),
  },
];
