// Who may talk to the browser host: whoever holds this run's token. The host
// listens on 127.0.0.1 only, but any local program or web page can reach
// 127.0.0.1, so every request and websocket upgrade must carry the token
// (in the query, a header, or the cookie the first page load receives), and
// must name the host itself (no DNS rebinding) and, from a browser, come from
// the host's own origin (no other site's page driving the engine).

import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const tokenHeader = 'x-strata-token';

export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** The cookie's name carries the port: cookies are not per port, and two hosts may run at once. */
export function cookieName(port: number): string {
  return `strata_token_${port}`;
}

export function tokenCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

function sameToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export interface Access {
  /** The names this host answers to (Host header values). */
  readonly hosts: readonly string[];
  /** Whether the request names this host and carries the token; `fromQuery` when the token came in the URL. */
  check(req: IncomingMessage, url: URL): { ok: boolean; fromQuery: boolean };
  /** Whether a websocket upgrade may proceed: the checks above, and a same-origin Origin when there is one. */
  checkUpgrade(req: IncomingMessage, url: URL): boolean;
}

export function hostAccess(port: number, token: string): Access {
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  const origins = hosts.map((h) => `http://${h}`);
  const check = (req: IncomingMessage, url: URL) => {
    if (!hosts.includes(req.headers.host ?? '')) return { ok: false, fromQuery: false };
    const fromQuery = sameToken(url.searchParams.get('token') ?? undefined, token);
    const header = req.headers[tokenHeader];
    const ok =
      fromQuery ||
      sameToken(typeof header === 'string' ? header : undefined, token) ||
      sameToken(cookieValue(req, cookieName(port)), token);
    return { ok, fromQuery };
  };
  return {
    hosts,
    check,
    checkUpgrade(req, url) {
      const origin = req.headers.origin;
      if (origin !== undefined && !origins.includes(origin)) return false;
      return check(req, url).ok;
    },
  };
}
