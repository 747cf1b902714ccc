// /images and /commit: list, inspect, history, tag, remove, prune, search,
// save (get), load, import and pull (create), push, and commit — each the
// engine's request or stream, answered in Docker's shapes and messages.

import { loadedLines } from '../cli/commands/load';
import type { EngineStreams, ImageSummary } from '../api';
import type { ApiContext } from './context';
import { pipeBytes } from './containers';
import { badRequest, notImplemented } from './errors';
import type { Exchange } from './exchange';
import { JsonMessages, transferMessage } from './progress';
import { boolParam, checkFilterNames, intParam, labelsMatch, parseFilters } from './query';
import type { Route } from './router';
import { historyJson, imageInspectJson, imageListJson } from './shapes';
import { withSpooledBody } from './spool';

/** Docker's reference filter: a glob over the familiar name, with or without the tag. */
function referenceMatcher(patterns: readonly string[]): (i: ImageSummary) => boolean {
  const globs = patterns.map((p) => new RegExp(`^${p.replace(/[.+^$()|[\]\\{}]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`));
  return (i) =>
    globs.every((g) =>
      i.repoTags.some((t) => {
        const repo = t.slice(0, t.lastIndexOf(':'));
        return g.test(t) || g.test(repo);
      }),
    );
}

async function list(ex: Exchange, ctx: ApiContext): Promise<void> {
  const filters = parseFilters(ex.query.get('filters'));
  checkFilterNames(filters, ['dangling', 'label', 'reference', 'before', 'since']);
  const images = await ctx.client.call('image.list', { all: boolParam(ex.query, 'all') });
  const createdOf = async (refs: string[] | undefined) => (refs?.length ? (await ctx.client.call('image.inspect', { ref: refs[0] })).Created : undefined);
  const [before, since] = [await createdOf(filters.get('before')), await createdOf(filters.get('since'))];
  const dangling = filters.get('dangling')?.[0];
  if (dangling !== undefined && !['true', 'false', '1', '0'].includes(dangling)) throw badRequest(`Invalid filter 'dangling=${dangling}'`);
  const wantDangling = dangling === 'true' || dangling === '1';
  const references = referenceMatcher(filters.get('reference') ?? []);
  const chosen = images.filter(
    (i) =>
      (dangling === undefined || (i.repoTags.length === 0) === wantDangling) &&
      labelsMatch(i.labels, filters.get('label') ?? []) &&
      references(i) &&
      (before === undefined || i.created < Date.parse(before) / 1000) &&
      (since === undefined || i.created > Date.parse(since) / 1000),
  );
  ex.sendJson(200, chosen.sort((a, b) => b.created - a.created).map(imageListJson));
}

async function inspect(ex: Exchange, ctx: ApiContext): Promise<void> {
  ex.sendJson(200, imageInspectJson(await ctx.client.call('image.inspect', { ref: ex.params.name })));
}

async function history(ex: Exchange, ctx: ApiContext): Promise<void> {
  ex.sendJson(200, (await ctx.client.call('image.history', { ref: ex.params.name })).map(historyJson));
}

/** "repo" and "tag" of a query as one reference (tag latest when absent). */
function repoTag(ex: Exchange, required: boolean): string | undefined {
  const repo = ex.query.get('repo') ?? '';
  const tag = ex.query.get('tag') ?? '';
  if (!repo) {
    if (required) throw badRequest('repository name must have at least one component');
    return undefined;
  }
  return tag ? `${repo}:${tag}` : repo;
}

async function tag(ex: Exchange, ctx: ApiContext): Promise<void> {
  await ctx.client.call('image.tag', { source: ex.params.name, target: repoTag(ex, true)! });
  ex.send(201);
}

async function remove(ex: Exchange, ctx: ApiContext): Promise<void> {
  const items = await ctx.client.call('image.remove', { ref: ex.params.name, force: boolParam(ex.query, 'force'), noPrune: boolParam(ex.query, 'noprune') });
  ex.sendJson(200, items.map((i) => ('untagged' in i ? { Untagged: i.untagged } : { Deleted: i.deleted })));
}

async function prune(ex: Exchange, ctx: ApiContext): Promise<void> {
  const filters = parseFilters(ex.query.get('filters'));
  checkFilterNames(filters, ['dangling', 'until', 'label']);
  if (filters.has('until') || filters.has('label')) throw notImplemented('Strata prunes images by dangling only (no until or label filters)');
  const dangling = filters.get('dangling')?.[0] ?? 'true';
  const report = await ctx.client.call('image.prune', { all: dangling === 'false' || dangling === '0' });
  ex.sendJson(200, {
    ImagesDeleted: report.deleted.length ? report.deleted.map((i) => ('untagged' in i ? { Untagged: i.untagged } : { Deleted: i.deleted })) : null,
    SpaceReclaimed: report.spaceReclaimed,
  });
}

async function search(ex: Exchange, ctx: ApiContext): Promise<void> {
  const term = ex.query.get('term') ?? '';
  const filters = parseFilters(ex.query.get('filters'));
  checkFilterNames(filters, ['stars', 'is-official', 'is-automated']);
  const flag = (name: string) => (filters.has(name) ? { [name === 'is-official' ? 'official' : 'automated']: filters.get(name)![0] === 'true' } : {});
  const stars = filters.get('stars')?.[0];
  const limit = intParam(ex.query, 'limit');
  const results = await ctx.client.call('registry.search', {
    term,
    ...(limit !== undefined ? { limit } : {}),
    ...(stars !== undefined ? { stars: Number(stars) } : {}),
    ...flag('is-official'),
    ...flag('is-automated'),
  });
  ex.sendJson(
    200,
    results.map((r) => ({ star_count: r.starCount, is_official: r.isOfficial, name: r.name, is_automated: r.isAutomated, description: r.description })),
  );
}

async function save(ex: Exchange, ctx: ApiContext, refs: string[]): Promise<void> {
  for (const ref of refs) await ctx.client.call('image.inspect', { ref });
  await pipeBytes(ex, ctx, 'image.save', { refs }, 'application/x-tar');
}

async function load(ex: Exchange, ctx: ApiContext): Promise<void> {
  const loaded = await withSpooledBody(ex, ctx.spoolDir, (path) => ctx.client.call('image.load', { path }));
  const messages = new JsonMessages(ex);
  for (const line of loadedLines(loaded).split('\n').filter(Boolean)) messages.send({ stream: `${line}\n` });
  messages.end();
}

/** POST /images/create: a pull (fromImage), or an import of the body (fromSrc=-). */
async function createImage(ex: Exchange, ctx: ApiContext): Promise<void> {
  const q = ex.query;
  const fromSrc = q.get('fromSrc');
  if (fromSrc !== null) {
    if (fromSrc !== '-') throw notImplemented('Strata imports from the request body only (fromSrc=-), not from a URL');
    const reference = repoTag(ex, false);
    const changes = q.getAll('changes').filter(Boolean);
    const message = q.get('message') || undefined;
    const { id } = await withSpooledBody(ex, ctx.spoolDir, (path) =>
      ctx.client.call('image.import', { path, ...(reference ? { reference } : {}), ...(changes.length ? { changes } : {}), ...(message ? { message } : {}) }),
    );
    const messages = new JsonMessages(ex);
    messages.send({ status: id });
    return messages.end();
  }
  const image = q.get('fromImage');
  if (!image) throw badRequest('either fromImage or fromSrc must be given');
  const tagOrDigest = q.get('tag') ?? '';
  const reference = !tagOrDigest ? image : tagOrDigest.startsWith('sha256:') ? `${image}@${tagOrDigest}` : `${image}:${tagOrDigest}`;
  const platform = q.get('platform') || undefined;
  await transfer(ex, ctx, 'image.pull', { reference, ...(platform ? { platform } : {}), ...(!tagOrDigest && !image.includes(':') && !image.includes('@') ? { allTags: true } : {}) });
}

async function push(ex: Exchange, ctx: ApiContext): Promise<void> {
  const tagName = ex.query.get('tag') ?? '';
  const name = ex.params.name;
  await transfer(ex, ctx, 'image.push', tagName ? { reference: `${name}:${tagName}` } : { reference: name, allTags: true });
}

/**
 * A pull or a push: Docker's progress messages, and a push's aux digest per
 * tag. dockerd says nothing of a pull before it has the manifest, so a pull
 * that cannot find one is an HTTP error: lines before the engine names the
 * image it found are held until then.
 */
function transfer<K extends 'image.pull' | 'image.push'>(ex: Exchange, ctx: ApiContext, name: K, arg: EngineStreams[K]['arg']): Promise<void> {
  const messages = new JsonMessages(ex);
  const held: Record<string, unknown>[] | undefined = name === 'image.pull' ? [] : undefined;
  let holding = held !== undefined;
  const send = (m: Record<string, unknown>) => (holding ? held!.push(m) : messages.send(m));
  return new Promise((resolve) => {
    // Both streams send TransferLines; pull adds the image it found, push its 'pushed' digests.
    const handle = ctx.client.open<'image.push'>(name as 'image.push', arg as EngineStreams['image.push']['arg'], {
      onMessage: (m: EngineStreams['image.push']['out'] | EngineStreams['image.pull']['out']) => {
        if (m.type === 'image' && holding) {
          holding = false;
          for (const h of held!.splice(0)) messages.send(h);
        } else if (m.type === 'status' || m.type === 'layer') send(transferMessage(m));
        else if (m.type === 'pushed') send({ progressDetail: {}, aux: { Tag: m.tag, Digest: m.digest, Size: m.size } });
      },
      onEnd: (err) => {
        if (!err) for (const h of held?.splice(0) ?? []) messages.send(h);
        messages.end(err);
        resolve();
      },
    });
    ex.onClose(() => handle.close());
  });
}

async function commit(ex: Exchange, ctx: ApiContext): Promise<void> {
  ex.requireJsonContentType();
  const config = await ex.json();
  if (config !== undefined && config !== null && Object.values(config as object).some((v) => v !== null && v !== '' && v !== false && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && Object.keys(v as object).length === 0))) {
    throw notImplemented('Strata commits take changes as Dockerfile instructions (changes=...), not a container config body');
  }
  const q = ex.query;
  const container = q.get('container') ?? '';
  const reference = repoTag(ex, false);
  const changes = q.getAll('changes').filter(Boolean);
  const { imageId } = await ctx.client.call('container.commit', {
    id: container,
    ...(reference ? { reference } : {}),
    ...(q.get('comment') ? { message: q.get('comment')! } : {}),
    ...(q.get('author') ? { author: q.get('author')! } : {}),
    ...(changes.length ? { changes } : {}),
    pause: boolParam(q, 'pause', true),
  });
  ex.sendJson(201, { Id: imageId });
}

export const imageRoutes: Route[] = [
  { method: 'GET', pattern: '/images/json', handler: list },
  { method: 'GET', pattern: '/images/search', handler: search },
  { method: 'GET', pattern: '/images/get', handler: (ex, ctx) => save(ex, ctx, ex.query.getAll('names')) },
  { method: 'POST', pattern: '/images/load', handler: load },
  { method: 'POST', pattern: '/images/prune', handler: prune },
  { method: 'POST', pattern: '/images/create', handler: createImage },
  { method: 'GET', pattern: '/images/{name*}/json', handler: inspect },
  { method: 'GET', pattern: '/images/{name*}/history', handler: history },
  { method: 'GET', pattern: '/images/{name*}/get', handler: (ex, ctx) => save(ex, ctx, [ex.params.name]) },
  { method: 'POST', pattern: '/images/{name*}/tag', handler: tag },
  { method: 'POST', pattern: '/images/{name*}/push', handler: push },
  { method: 'DELETE', pattern: '/images/{name*}', handler: remove },
  { method: 'POST', pattern: '/commit', handler: commit },
];
