// The route table: method and path pattern → handler. `{id}` matches one
// path segment; `{name*}` matches the rest up to the pattern's tail, since
// image names carry slashes (/images/localhost:5000/a/b:1/json). Anything
// not in the table answers as dockerd does: 404 "page not found".

import type { ApiContext } from './context';
import { notFoundError } from './errors';
import type { Exchange } from './exchange';

export type Handler = (ex: Exchange, ctx: ApiContext) => Promise<void> | void;

export interface Route {
  method: string;
  pattern: string;
  handler: Handler;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  names: string[];
}

export class Router {
  private readonly routes: CompiledRoute[] = [];

  constructor(routes: readonly Route[]) {
    for (const r of routes) {
      const names: string[] = [];
      const source = r.pattern
        .split(/(\{[a-zA-Z]+\*?\})/)
        .map((part) => {
          const m = /^\{([a-zA-Z]+)(\*?)\}$/.exec(part);
          if (!m) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
          names.push(m[1]);
          return m[2] ? '(.+)' : '([^/]+)';
        })
        .join('');
      this.routes.push({ ...r, regex: new RegExp(`^${source}/?$`), names });
    }
  }

  /** The handler for a request, with its path parameters; HEAD may use a GET route only where Docker has one (none). */
  find(method: string, path: string): { handler: Handler; params: Record<string, string> } {
    for (const r of this.routes) {
      if (r.method !== method) continue;
      const m = r.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      r.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
      return { handler: r.handler, params };
    }
    throw notFoundError('page not found');
  }
}
