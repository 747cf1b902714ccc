// GET /events: the engine's events as Docker's messages, one JSON object a
// line, with since/until (replay, and an end) and Docker's filters. Strata's
// own kinds (kernel steps, builds, pulls and pushes) are for the app's
// views: Docker's clients see them only when they ask for that type.

import type { EngineEvent } from '../api';
import { goJson } from '../cli/gojson';
import { eventMessage } from '../cli/views/events';
import type { ApiContext } from './context';
import type { Exchange } from './exchange';
import { checkFilterNames, labelsMatch, parseFilters, type Filters } from './query';
import type { Route } from './router';
import { parseApiTime } from './times';

const dockerTypes = ['container', 'image', 'volume', 'network', 'daemon', 'plugin'];

function matcher(filters: Filters): (e: EngineEvent) => boolean {
  checkFilterNames(filters, ['container', 'event', 'image', 'label', 'type', 'volume', 'network', 'daemon', 'plugin', 'scope']);
  const types = filters.get('type') ?? dockerTypes;
  const any = (name: string, test: (v: string) => boolean) => {
    const values = filters.get(name);
    return !values || values.some(test);
  };
  return (e) => {
    const action = e.type === 'kernel' ? e.step : e.action;
    const attrs = e.type === 'kernel' ? e.detail : e.attributes;
    const type: string = e.type;
    return (
      types.includes(type) &&
      any('event', (v) => action === v || action.startsWith(`${v}:`)) &&
      any('container', (v) => type === 'container' && (e.id.startsWith(v) || attrs.name === v)) &&
      any('image', (v) => (type === 'image' && (e.id === v || e.id.startsWith(`sha256:${v}`))) || attrs.image === v) &&
      any('network', (v) => type === 'network' && (e.id.startsWith(v) || attrs.name === v)) &&
      any('volume', (v) => type === 'volume' && e.id === v) &&
      labelsMatch(attrs, filters.get('label') ?? [])
    );
  };
}

async function events(ex: Exchange, ctx: ApiContext): Promise<void> {
  const test = matcher(parseFilters(ex.query.get('filters')));
  const now = Date.now();
  const sinceText = ex.query.get('since');
  const untilText = ex.query.get('until');
  const since = sinceText ? parseApiTime(sinceText, now) : undefined;
  const until = untilText ? parseApiTime(untilText, now) : undefined;
  const out = ex.stream(200, 'application/json');
  await new Promise<void>((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      handle.close();
      out.end();
      resolve();
    };
    const handle = ctx.client.open('events', since !== undefined ? { since } : {}, {
      onMessage: (e) => {
        if (done) return;
        if (until !== undefined && e.time > until) return finish();
        if (test(e)) out.write(goJson(eventMessage(e)) + '\n');
      },
      onEnd: finish,
    });
    const timer = until !== undefined ? setTimeout(finish, Math.max(0, until / 1e6 - Date.now())) : undefined;
    ex.onClose(finish);
  });
}

export const eventRoutes: Route[] = [{ method: 'GET', pattern: '/events', handler: events }];
