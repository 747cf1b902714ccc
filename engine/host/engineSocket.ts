// The engine's API for Electron. `strata gui` runs the engine as root and
// starts Electron as the desktop user, so the window keeps Chromium's
// sandbox; Electron's main process reaches the engine here: the same
// websocket sessions as the browser host's (./sockets.ts, held to the app's
// grants), on a unix socket that only the desktop user (and root) may
// connect to, whose handshake must also carry a token that only the
// launched process was given.
//
//   <tmp>/strata-gui-XXXXXX/        root's, 0711: others may pass, not list or write
//   <tmp>/strata-gui-XXXXXX/engine.sock   the desktop user's, 0600

import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { appGrants } from '../rpc/policy';
import { newToken, offersToken } from './access';
import { engineSocketPath } from './link';
import type { EngineHandlers } from './session';
import { refuseUpgrade, socketService, type SocketLimits } from './sockets';

export interface EngineSocketOptions {
  engine: EngineHandlers;
  /** Who may connect: the desktop user Electron runs as. */
  owner: { uid: number; gid: number };
  limits?: SocketLimits;
}

export interface EngineSocket {
  readonly path: string;
  readonly token: string;
  close(): Promise<void>;
}

export async function startEngineSocket(options: EngineSocketOptions): Promise<EngineSocket> {
  // mkdtemp makes it 0700 and root's: nobody reaches the socket before its own mode and owner are set.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-gui-'));
  const file = path.join(dir, 'engine.sock');
  const token = newToken();
  const sockets = socketService({
    engine: options.engine,
    grants: appGrants,
    // Only Electron's main process: no browser page (which would send an Origin) reaches a unix socket.
    admit: (req) => req.headers.origin === undefined && offersToken(req, token),
    limits: options.limits,
  });
  const server = http.createServer((_req, res) => {
    res.writeHead(404, { 'Content-Length': '0' });
    res.end();
  });
  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://engine').pathname !== engineSocketPath) {
      return refuseUpgrade(socket, '404 Not Found');
    }
    sockets.upgrade(req, socket, head);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(file, () => resolve());
    });
    fs.chmodSync(file, 0o600);
    fs.chownSync(file, options.owner.uid, options.owner.gid);
    fs.chmodSync(dir, 0o711);
  } catch (err) {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    path: file,
    token,
    async close() {
      await sockets.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      // The directory is root's: nothing in it but the socket, which the server has removed.
      fs.rmSync(file, { force: true });
      fs.rmdirSync(dir);
    },
  };
}
