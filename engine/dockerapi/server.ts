// The Docker Engine API server: HTTP/1.1 on a unix socket (or 127.0.0.1),
// API versions 1.24–1.41, a fourth front end beside the CLI, the browser host
// and Electron. It turns each request into engine/api.ts requests and
// streams through the one client it is given, and owns no engine logic.

import fs from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { EngineClient } from '../rpc/client';
import { admittedClient, dockerApiGrants } from '../rpc/policy';
import { formatAddress, type ListenAddress } from '../service/address';
import { AttachBoard } from './attachBoard';
import { buildRoutes } from './build';
import { containerRoutes } from './containers';
import type { ApiContext } from './context';
import { ApiError } from './errors';
import { eventRoutes } from './events';
import { EventHub } from './eventHub';
import { ExecBoard } from './execBoard';
import { execRoutes } from './exec';
import { commonHeaders, Exchange, httpTransport, upgradeTransport, websocketTransport } from './exchange';
import { imageRoutes } from './images';
import { listenOn } from './listen';
import { Router, type Route } from './router';
import { systemRoutes } from './system';
import { maxApiVersion, splitVersion, versionRefusal } from './versions';
import { networkRoutes } from './networks';
import { volumeRoutes } from './volumes';

export interface DockerApiOptions {
  client: EngineClient;
  address: ListenAddress;
  /** Called once no connection has been open for this long; 0 or absent: never. */
  idleTimeoutMs?: number;
  onIdle?: () => void;
}

export interface DockerApiServer {
  /** unix:///PATH or tcp://127.0.0.1:PORT (with the port chosen when 0 was asked). */
  readonly address: string;
  /** Who may connect: the socket's permissions in words. */
  readonly access: string;
  close(): Promise<void>;
}

const swarmMessage = 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.';
const notSwarm = () => Promise.reject(new ApiError(503, swarmMessage));

/** Swarm's endpoints answer as a dockerd that is not in a swarm; plugins are a list Strata has none in. */
const otherRoutes: Route[] = [
  ...['/swarm', '/nodes', '/services', '/tasks', '/secrets', '/configs'].map((pattern) => ({ method: 'GET', pattern, handler: notSwarm })),
  { method: 'GET', pattern: '/plugins', handler: (ex) => ex.sendJson(200, []) },
];

export async function startDockerApi(options: DockerApiOptions): Promise<DockerApiServer> {
  // One policy for every front end but the command line: the Docker API's grants are root's, its socket the boundary.
  const client = admittedClient(options.client, dockerApiGrants);
  const info = await client.call('system.info', {});
  const hub = new EventHub(client);
  const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-dockerapi-'));
  const ctx: ApiContext = { client, attach: new AttachBoard(client, hub), execs: new ExecBoard(hub), spoolDir, serverVersion: info.version };
  const router = new Router([...systemRoutes, ...containerRoutes, ...execRoutes, ...imageRoutes, ...buildRoutes, ...networkRoutes, ...volumeRoutes, ...eventRoutes, ...otherRoutes]);
  const headers = commonHeaders(info.version);
  const tcp = options.address.kind === 'tcp';

  const server = http.createServer();
  // Logs, events, attach and wait last as long as their containers.
  server.requestTimeout = 0;
  server.timeout = 0;

  const exchange = (req: IncomingMessage, transport: Parameters<typeof newExchange>[1]) => newExchange(req, transport, headers);
  server.on('request', (req, res) => {
    const ex = safely(() => exchange(req, httpTransport(req, res)), () => res.destroy());
    if (ex) void serve(ex, req, router, ctx, tcp);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const websocket = (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
    const ex = safely(() => exchange(req, websocket ? websocketTransport(req, socket, head) : upgradeTransport(req, socket, head)), () => socket.destroy());
    if (ex) void serve(ex, req, router, ctx, tcp);
  });

  const sockets = new Set<Socket>();
  let idleTimer: NodeJS.Timeout | undefined;
  const armIdle = () => {
    if (!options.idleTimeoutMs || sockets.size > 0) return;
    idleTimer = setTimeout(() => options.onIdle?.(), options.idleTimeoutMs);
  };
  server.on('connection', (socket: Socket) => {
    clearTimeout(idleTimer);
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      armIdle();
    });
  });

  let access: string;
  try {
    access = await listenOn(server, options.address);
  } catch (err) {
    hub.close();
    fs.rmSync(spoolDir, { recursive: true, force: true });
    throw err;
  }
  armIdle();
  const bound = server.address();
  const address = options.address.kind === 'tcp' && bound && typeof bound === 'object' ? formatAddress({ ...options.address, port: bound.port }) : formatAddress(options.address);
  const socketInode = options.address.kind === 'unix' ? fs.statSync(options.address.path).ino : undefined;

  return {
    address,
    access,
    close: () =>
      new Promise<void>((resolve) => {
        clearTimeout(idleTimer);
        hub.close();
        server.close(() => {
          fs.rmSync(spoolDir, { recursive: true, force: true });
          // Remove the socket only if it is still ours (a newer service may have replaced it).
          if (options.address.kind === 'unix' && fs.statSync(options.address.path, { throwIfNoEntry: false })?.ino === socketInode) {
            fs.rmSync(options.address.path, { force: true });
          }
          resolve();
        });
        for (const s of sockets) s.destroy();
      }),
  };
}

function newExchange(req: IncomingMessage, transport: ReturnType<typeof httpTransport>, headers: Record<string, string>): Exchange {
  const url = new URL(req.url ?? '/', 'http://docker');
  const { version, path: route } = splitVersion(url.pathname);
  return new Exchange(req.method ?? 'GET', route, url.searchParams, version ?? maxApiVersion, req.headers, req.headers.connection?.toLowerCase().includes('upgrade') ?? false, transport, headers);
}

function safely<T>(make: () => T, onError: () => void): T | undefined {
  try {
    return make();
  } catch {
    onError();
    return undefined;
  }
}

/**
 * Docker's clients never send Origin or Sec-Fetch-* headers; a web page
 * does. On TCP any page can reach 127.0.0.1, so those requests (and ones
 * naming another host: DNS rebinding) are refused before any handler runs.
 */
function fromBrowser(req: IncomingMessage, tcp: boolean): boolean {
  if (req.headers.origin !== undefined || req.headers['sec-fetch-mode'] !== undefined || req.headers['sec-fetch-site'] !== undefined) return true;
  if (!tcp) return false;
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  return !['127.0.0.1', 'localhost', ''].includes(host);
}

async function serve(ex: Exchange, req: IncomingMessage, router: Router, ctx: ApiContext, tcp: boolean): Promise<void> {
  try {
    if (fromBrowser(req, tcp)) throw new ApiError(403, 'the Docker API does not serve web pages: requests from a browser are refused');
    const refused = versionRefusal(ex.version);
    if (refused) throw new ApiError(400, refused);
    const { handler, params } = router.find(ex.method, ex.path);
    ex.params = params;
    await handler(ex, ctx);
  } catch (err) {
    if (!ex.isAnswered) ex.fail(err);
    // Once an answer has started, an error can only end it.
    else ex.abort();
  }
}
