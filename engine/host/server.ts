// The browser host: the built renderer and the engine's API (a websocket at
// /ws speaking engine/host/wire.ts) on 127.0.0.1, for whoever holds this
// run's token. The first page load carries the token in its URL and gets it
// back as a cookie, so the page's scripts, styles and the websocket work
// without it in every URL; anything else without the token gets a bare 403.

import fs from 'node:fs';
import path from 'node:path';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { hostAccess, newToken, tokenCookie, type Access } from './access';
import { findAsset } from './assets';
import { isAppNavigation, refuseWithPage } from './noTokenPage';
import { downloadPrefix, serveDownload } from './download';
import { contentTypeFor, securityHeaders } from './headers';
import { openSession, type EngineHandlers } from './session';
import { decodeMessage, encodeMessage } from './wire';

export interface HostOptions {
  engine: EngineHandlers;
  /** The built renderer: dist/renderer in the checkout. */
  rendererDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Tests may fix it; otherwise a new random one per run. */
  token?: string;
}

export interface Host {
  readonly port: number;
  readonly token: string;
  /** What the user opens: http://127.0.0.1:PORT/?token=... */
  readonly url: string;
  /** Closes every socket (and so every stream) and stops listening. */
  close(): Promise<void>;
}

export const socketPath = '/ws';
/** Stdin and resize messages are small; this bounds what one message may make the host parse. */
const maxMessageBytes = 16 * 1024 * 1024;

export async function startHost(options: HostOptions): Promise<Host> {
  if (!fs.existsSync(options.rendererDir)) {
    throw new Error(`no built renderer in ${options.rendererDir} (run: npm run build)`);
  }
  const token = options.token ?? newToken();
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const access = hostAccess(port, token);
  const headers = securityHeaders(access.hosts.map((h) => `ws://${h}`));
  const sockets = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://${access.hosts[0]}`);
    const { ok, fromQuery } = access.check(req, url);
    if (!ok) return isAppNavigation(req, url) ? refuseWithPage(req, res, options.rendererDir, headers) : refuse(res, 403);
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405);
    if (url.pathname.startsWith(downloadPrefix)) return serveDownload(options.engine, url, res, headers);
    const asset = findAsset(options.rendererDir, url.pathname);
    if (!asset) return refuse(res, 404);
    res.writeHead(200, {
      ...headers,
      'Content-Type': contentTypeFor(asset.extension),
      'Content-Length': String(asset.size),
      ...(fromQuery ? { 'Set-Cookie': tokenCookie(port, token) } : {}),
    });
    if (req.method === 'HEAD') return res.end();
    // A file removed since it was found (a rebuild) cuts the response instead of taking the host down.
    fs.createReadStream(asset.file)
      .on('error', () => res.destroy())
      .pipe(res);
  });

  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', `http://${access.hosts[0]}`);
    if (url.pathname !== socketPath || !access.checkUpgrade(req, url)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, options.engine));
  });

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () => closeAll(server, sockets),
  };
}

function refuse(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'Content-Length': '0', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end();
}

function serveSocket(ws: WebSocket, engine: EngineHandlers): void {
  const session = openSession(engine, (message) => {
    if (ws.readyState === ws.OPEN) ws.send(encodeMessage(message));
  });
  ws.on('message', (data, isBinary) => {
    if (isBinary) return ws.close(1003, 'text messages only');
    let message: unknown;
    try {
      message = decodeMessage(data.toString());
    } catch {
      return ws.close(1007, 'malformed message');
    }
    session.receive(message);
  });
  // Closing the socket (a tab closed, a reload) closes every stream it opened.
  ws.on('close', () => session.dispose());
  ws.on('error', () => ws.terminate());
}

function closeAll(server: http.Server, sockets: WebSocketServer): Promise<void> {
  for (const ws of sockets.clients) ws.terminate();
  return new Promise((resolve) => {
    sockets.close(() => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  });
}

/** The checkout's built renderer, seen from dist/engine/host (compiled) or engine/host (tests). */
export function defaultRendererDir(): string {
  const up = path.resolve(__dirname, '..', '..');
  return path.basename(up) === 'dist' ? path.join(up, 'renderer') : path.join(up, 'dist', 'renderer');
}
