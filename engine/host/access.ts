// Who may talk to the browser host. It listens on 127.0.0.1 only, but any
// local program or web page can reach 127.0.0.1, and a browser sends a
// page's requests to any port of it. So:
//
// - every HTTP request and websocket handshake must name the host itself
//   (Host: no DNS rebinding) and, when a browser says where it comes from,
//   come from the host's own page (Origin, and Sec-Fetch-Site same-origin or
//   none: a page on another port of 127.0.0.1 is same-site, not same-origin);
// - the engine's API is the websocket, and its handshake must carry this
//   run's token as a subprotocol. The token never travels in a cookie (a
//   cookie is sent to every port of the host) or a URL the server sees: the
//   page reads it from the URL's fragment and keeps it in memory.
//
// The built renderer itself (HTML, scripts, styles) is public code and is
// served without the token; downloads take single-use tickets (./tickets.ts).

import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { tokenProtocolPrefix, wireProtocol } from './wire';

export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function sameToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** The subprotocols a websocket handshake offers. */
export function offeredProtocols(req: IncomingMessage): string[] {
  const header = req.headers['sec-websocket-protocol'];
  return (typeof header === 'string' ? header : '').split(',').map((p) => p.trim()).filter(Boolean);
}

/** Whether the handshake offers this run's token (and the wire's protocol, which the host answers with). */
export function offersToken(req: IncomingMessage, token: string): boolean {
  const offered = offeredProtocols(req);
  return offered.includes(wireProtocol) && offered.some((p) => p.startsWith(tokenProtocolPrefix) && sameToken(p.slice(tokenProtocolPrefix.length), token));
}

const ownSites = new Set(['same-origin', 'none']);

export interface Access {
  /** The names this host answers to (Host header values). */
  readonly hosts: readonly string[];
  /** Whether the request names this host and, if a browser sent it, comes from this host's own page. */
  fromOwnPage(req: IncomingMessage): boolean;
}

export function hostAccess(port: number): Access {
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  const origins = hosts.map((h) => `http://${h}`);
  return {
    hosts,
    fromOwnPage(req) {
      if (!hosts.includes(req.headers.host ?? '')) return false;
      const origin = req.headers.origin;
      if (origin !== undefined && !origins.includes(origin)) return false;
      const site = req.headers['sec-fetch-site'];
      return site === undefined || (typeof site === 'string' && ownSites.has(site));
    },
  };
}
