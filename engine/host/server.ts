// The browser host: the built renderer and the engine's API (a websocket at
// /ws speaking engine/host/wire.ts) on 127.0.0.1. Who gets in is decided in
// ./access.ts: every request must come from the host's own page, and the
// websocket's handshake must carry this run's token, which the user's
// browser reads from the fragment of the URL the host prints
// (http://127.0.0.1:PORT/#token=...): a fragment never reaches a server, a
// log or a Referer. Downloads are GETs of single-use tickets. Nothing that
// changes the engine's state is reachable by a plain GET.

import fs from 'node:fs';
import path from 'node:path';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appGrants } from '../rpc/policy';
import { hostAccess, newToken, offersToken } from './access';
import { findAsset } from './assets';
import { downloadPrefix, serveDownload } from './download';
import { contentTypeFor, securityHeaders } from './headers';
import type { EngineHandlers } from './session';
import { refuseUpgrade, socketService, type SocketLimits } from './sockets';
import { ticketBook } from './tickets';

export interface HostOptions {
  engine: EngineHandlers;
  /** The built renderer: dist/renderer in the checkout. */
  rendererDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Tests may fix it; otherwise a new random one per run. */
  token?: string;
  limits?: SocketLimits;
}

export interface Host {
  readonly port: number;
  readonly token: string;
  /** What the user opens: http://127.0.0.1:PORT/#token=... */
  readonly url: string;
  /** Websocket connections open now. */
  readonly connections: number;
  /** Closes every socket (and so every stream) and stops listening. */
  close(): Promise<void>;
}

export const socketPath = '/ws';
/** HTTP connections at once: a browser opens six per host; the rest is the websocket's share. */
const maxHttpConnections = 64;

export async function startHost(options: HostOptions): Promise<Host> {
  if (!fs.existsSync(options.rendererDir)) {
    throw new Error(`no built renderer in ${options.rendererDir} (run: npm run build)`);
  }
  const token = options.token ?? newToken();
  const server = http.createServer();
  server.maxConnections = maxHttpConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const access = hostAccess(port);
  const headers = securityHeaders(access.hosts.map((h) => `ws://${h}`));
  const tickets = ticketBook();
  const sockets = socketService({
    engine: options.engine,
    grants: appGrants,
    admit: (req) => access.fromOwnPage(req) && offersToken(req, token),
    limits: options.limits,
    tickets: { book: tickets, href: (id) => `${downloadPrefix}${id}` },
  });

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!access.fromOwnPage(req)) return refuse(res, 403);
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405);
    const url = new URL(req.url ?? '/', `http://${access.hosts[0]}`);
    if (url.pathname.startsWith(downloadPrefix)) {
      const ticket = req.method === 'GET' ? tickets.take(url.pathname.slice(downloadPrefix.length)) : undefined;
      return ticket ? serveDownload(options.engine, ticket, res, headers) : refuse(res, 404);
    }
    const asset = findAsset(options.rendererDir, url.pathname);
    if (!asset) return refuse(res, 404);
    res.writeHead(200, {
      ...headers,
      'Content-Type': contentTypeFor(asset.extension),
      'Content-Length': String(asset.size),
    });
    if (req.method === 'HEAD') return res.end();
    // A file removed since it was found (a rebuild) cuts the response instead of taking the host down.
    fs.createReadStream(asset.file)
      .on('error', () => res.destroy())
      .pipe(res);
  });

  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${access.hosts[0]}`);
    if (url.pathname !== socketPath) {
      return refuseUpgrade(socket, '404 Not Found');
    }
    sockets.upgrade(req, socket, head);
  });

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    get connections() {
      return sockets.connections;
    },
    close: async () => {
      await sockets.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function refuse(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'Content-Length': '0', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end();
}

/** The checkout's built renderer, seen from dist/engine/host (compiled) or engine/host (tests). */
export function defaultRendererDir(): string {
  const up = path.resolve(__dirname, '..', '..');
  return path.basename(up) === 'dist' ? path.join(up, 'renderer') : path.join(up, 'dist', 'renderer');
}
