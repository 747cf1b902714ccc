// /containers: list, create, inspect, the lifecycle, wait, rename, resize,
// top, changes, export, remove and prune, each one engine request (or
// stream) in Docker's words and status codes.

import { isLive, type EngineStreams } from '../api';
import { createOptions } from './containerConfig';
import { archiveRoutes } from './archive';
import { containerStreamRoutes } from './containerStreams';
import type { ApiContext } from './context';
import { badRequest, notImplemented } from './errors';
import type { Exchange } from './exchange';
import { boolParam, checkFilterNames, intParam, labelsMatch, parseFilters } from './query';
import type { Route } from './router';
import { containerInspectJson, containerListJson } from './shapes';
import { pace } from './pacing';
import { resourceRoutes } from './resources';
import { parseApiTime } from './times';

// The engine lists and filters as dockerd does (engine/runtime/list.ts):
// names, labels, states, health, ancestry, ports; the API only carries the query.
async function list(ex: Exchange, ctx: ApiContext): Promise<void> {
  const limit = intParam(ex.query, 'limit') ?? -1;
  const filters = Object.fromEntries(parseFilters(ex.query.get('filters')));
  const listed = await ctx.client.call('container.list', { all: boolParam(ex.query, 'all'), limit, size: boolParam(ex.query, 'size'), filters });
  ex.sendJson(200, listed.map(containerListJson));
}

async function create(ex: Exchange, ctx: ApiContext): Promise<void> {
  ex.requireJsonContentType();
  const body = await ex.json();
  if (body === undefined) throw badRequest('invalid JSON: got EOF while reading request body');
  const { id, warnings } = await ctx.client.call('container.create', createOptions(body, ex.query.get('name')));
  ex.sendJson(201, { Id: id, Warnings: warnings });
}

async function inspect(ex: Exchange, ctx: ApiContext): Promise<void> {
  const c = await ctx.client.call('container.inspect', { id: ex.params.id });
  ex.sendJson(200, containerInspectJson(c, ctx.execs.ofContainer(c.Id)));
}

async function start(ex: Exchange, ctx: ApiContext): Promise<void> {
  if (Number(ex.headers['content-length'] ?? 0) > 7) {
    throw badRequest('starting container with non-empty request body was deprecated since API v1.22 and removed in v1.24');
  }
  const c = await ctx.client.call('container.inspect', { id: ex.params.id });
  if (c.State.Running && !c.State.Paused) return ex.send(304);
  try {
    if (ctx.attach.hasWaiting(c.Id)) await ctx.attach.startAttached(c.Id);
    else await ctx.client.call('container.start', { id: c.Id });
  } catch (err) {
    // As dockerd: a --rm container whose process could not start is removed.
    if (c.HostConfig.AutoRemove) await ctx.client.call('container.remove', { id: c.Id, force: true }).catch(() => undefined);
    throw err;
  }
  ex.send(204);
}

async function stop(ex: Exchange, ctx: ApiContext, restart: boolean): Promise<void> {
  const c = await ctx.client.call('container.inspect', { id: ex.params.id });
  const timeout = intParam(ex.query, 't');
  const arg = { id: c.Id, ...(timeout !== undefined ? { timeout } : {}) };
  if (restart) await ctx.client.call('container.restart', arg);
  else if (!c.State.Running) return ex.send(304);
  else await ctx.client.call('container.stop', arg);
  ex.send(204);
}

async function kill(ex: Exchange, ctx: ApiContext): Promise<void> {
  const signal = ex.query.get('signal') || undefined;
  await ctx.client.call('container.kill', { id: ex.params.id, ...(signal ? { signal } : {}) });
  ex.send(204);
}

async function wait(ex: Exchange, ctx: ApiContext): Promise<void> {
  const condition = ex.query.get('condition') || 'not-running';
  if (condition !== 'not-running' && condition !== 'next-exit' && condition !== 'removed') {
    throw badRequest(`invalid condition: ${JSON.stringify(condition)}`);
  }
  const c = await ctx.client.call('container.inspect', { id: ex.params.id });
  await new Promise<void>((resolve) => {
    let code: number | undefined;
    const handle = ctx.client.open('container.waitUntil', { id: c.Id, condition }, {
      onMessage: (m) => (code = m.statusCode),
      onEnd: (err) => {
        const error = err ? { Message: err.message } : null;
        out.write(JSON.stringify({ Error: error, StatusCode: code ?? -1 }) + '\n');
        out.end();
        resolve();
      },
    });
    // The headers go out now: `docker run` starts the container once it sees them.
    const out = ex.stream(200, 'application/json');
    ex.onClose(() => handle.close());
  });
}

async function remove(ex: Exchange, ctx: ApiContext): Promise<void> {
  if (boolParam(ex.query, 'link')) throw notImplemented('Strata has no container links to remove');
  await ctx.client.call('container.remove', { id: ex.params.id, force: boolParam(ex.query, 'force'), volumes: boolParam(ex.query, 'v') });
  ex.send(204);
}

async function prune(ex: Exchange, ctx: ApiContext): Promise<void> {
  const filters = parseFilters(ex.query.get('filters'));
  checkFilterNames(filters, ['until', 'label']);
  const until = filters.get('until')?.map((v) => parseApiTime(v, Date.now()) / 1e9);
  const [all, usage] = await Promise.all([ctx.client.call('container.list', { all: true }), ctx.client.call('system.df', {})]);
  const sizes = new Map(usage.containers.map((c) => [c.id, c.sizeRw]));
  const deleted: string[] = [];
  let reclaimed = 0;
  for (const c of all) {
    if (isLive(c.state)) continue;
    if (!labelsMatch(c.labels, filters.get('label') ?? [])) continue;
    if (until && !until.every((t) => c.created < t)) continue;
    await ctx.client.call('container.remove', { id: c.id });
    deleted.push(c.id);
    reclaimed += sizes.get(c.id) ?? 0;
  }
  ex.sendJson(200, { ContainersDeleted: deleted.length ? deleted : null, SpaceReclaimed: reclaimed });
}

async function rename(ex: Exchange, ctx: ApiContext): Promise<void> {
  await ctx.client.call('container.rename', { id: ex.params.id, name: ex.query.get('name') ?? '' });
  ex.send(204);
}

async function resize(ex: Exchange, ctx: ApiContext): Promise<void> {
  const rows = intParam(ex.query, 'h');
  const cols = intParam(ex.query, 'w');
  if (rows === undefined || cols === undefined) throw badRequest('strconv.Atoi: parsing "": invalid syntax');
  await ctx.client.call('container.resize', { id: ex.params.id, rows, cols });
  ex.send(200);
}

async function top(ex: Exchange, ctx: ApiContext): Promise<void> {
  const psArgs = ex.query.get('ps_args') || undefined;
  const table = await ctx.client.call('container.top', { id: ex.params.id, ...(psArgs ? { psArgs } : {}) });
  ex.sendJson(200, { Processes: table.processes, Titles: table.titles });
}

const changeKind = { C: 0, A: 1, D: 2 } as const;

async function changes(ex: Exchange, ctx: ApiContext): Promise<void> {
  const list = await ctx.client.call('container.changes', { id: ex.params.id });
  ex.sendJson(200, list.length ? list.map((c) => ({ Kind: changeKind[c.kind], Path: c.path })) : null);
}

async function exportTar(ex: Exchange, ctx: ApiContext): Promise<void> {
  await ctx.client.call('container.inspect', { id: ex.params.id });
  await pipeBytes(ex, ctx, 'container.export', { id: ex.params.id }, 'application/x-tar');
}

/** A byte stream of the engine (save, export) as a chunked answer, paced by the client. */
export function pipeBytes<K extends 'container.export' | 'image.save' | 'container.archive'>(
  ex: Exchange,
  ctx: ApiContext,
  name: K,
  arg: EngineStreams[K]['arg'],
  contentType: string,
  headers: Record<string, string> = {},
): Promise<void> {
  return new Promise((resolve) => {
    let out: ReturnType<Exchange['stream']> | undefined;
    const handle = ctx.client.open<'container.export'>(name as 'container.export', arg as EngineStreams['container.export']['arg'], {
      onMessage: (m) => {
        out ??= ex.stream(200, contentType, headers);
        pace(out, out.write(m.data), handle);
      },
      onEnd: (err) => {
        if (err && !out) ex.fail(err);
        else (out ?? ex.stream(200, contentType, headers)).end();
        resolve();
      },
    });
    ex.onClose(() => handle.close());
  });
}

export const containerRoutes: Route[] = [
  { method: 'GET', pattern: '/containers/json', handler: list },
  { method: 'POST', pattern: '/containers/create', handler: create },
  { method: 'POST', pattern: '/containers/prune', handler: prune },
  { method: 'GET', pattern: '/containers/{id}/json', handler: inspect },
  { method: 'POST', pattern: '/containers/{id}/start', handler: start },
  { method: 'POST', pattern: '/containers/{id}/stop', handler: (ex, ctx) => stop(ex, ctx, false) },
  { method: 'POST', pattern: '/containers/{id}/restart', handler: (ex, ctx) => stop(ex, ctx, true) },
  { method: 'POST', pattern: '/containers/{id}/kill', handler: kill },
  { method: 'POST', pattern: '/containers/{id}/pause', handler: async (ex, ctx) => (await ctx.client.call('container.pause', { id: ex.params.id }), ex.send(204)) },
  { method: 'POST', pattern: '/containers/{id}/unpause', handler: async (ex, ctx) => (await ctx.client.call('container.unpause', { id: ex.params.id }), ex.send(204)) },
  { method: 'POST', pattern: '/containers/{id}/wait', handler: wait },
  { method: 'POST', pattern: '/containers/{id}/rename', handler: rename },
  { method: 'POST', pattern: '/containers/{id}/resize', handler: resize },
  { method: 'GET', pattern: '/containers/{id}/top', handler: top },
  { method: 'GET', pattern: '/containers/{id}/changes', handler: changes },
  { method: 'GET', pattern: '/containers/{id}/export', handler: exportTar },
  { method: 'DELETE', pattern: '/containers/{id}', handler: remove },
  ...resourceRoutes,
  ...archiveRoutes,
  ...containerStreamRoutes,
];
