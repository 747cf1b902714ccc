// `docker search`: Docker Hub's index (GET /v1/search?q=TERM&n=LIMIT), or
// the index of the registry the term names ("myhost:5000/nginx" asks
// myhost:5000 for "nginx", over plain HTTP where that registry may be
// insecure). Filters are applied to the answer, as the docker daemon does.

import type { SearchResult } from '../api';
import { invalidArgument } from '../errors';
import { isInsecure } from './hosts';
import type { Registries } from './registries';
import { registryError } from './registryErrors';

export interface SearchOptions {
  term: string;
  limit?: number;
  stars?: number;
  official?: boolean;
  automated?: boolean;
}

interface IndexAnswer {
  results?: Array<{ name?: unknown; description?: unknown; star_count?: unknown; is_official?: unknown; is_automated?: unknown }>;
}

export async function search(r: Registries, opts: SearchOptions): Promise<SearchResult[]> {
  const limit = opts.limit ?? 25;
  if (limit < 1 || limit > 100) throw invalidArgument(`limit ${limit} is outside the range of [1, 100]`);
  const { index, term } = splitIndex(opts.term, r.settings.indexServer);
  if (term === '') throw invalidArgument('the search term is empty');
  let base = new URL(index);
  if (base.protocol === 'https:' && isInsecure(r.settings, base.host)) base = await r.transport.base(base.host);
  const url = new URL('/v1/search', base);
  url.searchParams.set('q', term);
  url.searchParams.set('n', String(limit));
  const res = await r.transport.send(url, { method: 'GET', headers: { accept: 'application/json' } });
  const text = await res.body.text();
  if (res.status !== 200) throw registryError(res.status, text, `Get ${JSON.stringify(url.href)}`);
  let answer: IndexAnswer;
  try {
    answer = JSON.parse(text) as IndexAnswer;
  } catch {
    throw invalidArgument(`the search index at ${url.origin} answered something that is not JSON`);
  }
  const results: SearchResult[] = (answer.results ?? []).map((x) => ({
    name: String(x.name ?? ''),
    description: String(x.description ?? ''),
    starCount: Number(x.star_count) || 0,
    isOfficial: x.is_official === true,
    isAutomated: x.is_automated === true,
  }));
  return results
    .filter((x) => opts.stars === undefined || x.starCount >= opts.stars)
    .filter((x) => opts.official === undefined || x.isOfficial === opts.official)
    .filter((x) => opts.automated === undefined || x.isAutomated === opts.automated)
    .slice(0, limit);
}

/** "host:5000/term" → that host's index; anything else → Docker Hub's. */
function splitIndex(input: string, hub: string): { index: string; term: string } {
  const slash = input.indexOf('/');
  const first = input.slice(0, slash);
  if (slash > 0 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    const host = first.replace(/^https?:\/\//, '');
    if (host === 'docker.io' || host === 'index.docker.io') return { index: hub, term: input.slice(slash + 1) };
    return { index: `https://${host}`, term: input.slice(slash + 1) };
  }
  return { index: hub, term: input };
}
