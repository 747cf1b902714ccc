// The engine's API as a websocket (engine/host/wire.ts messages), served to
// the browser host's page over TCP and to Electron's main process over a
// private unix socket (./engineSocket.ts). Each connection is one session
// (./session.ts) held to the front end's grants and to limits sized to what
// the app does: a handful of connections, small messages (typed input, a
// resize, a typed Dockerfile), and output paced by how fast it is read.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Grants } from '../rpc/policy';
import { openSession, type EngineHandlers, type SessionLimits } from './session';
import type { TicketBook } from './tickets';
import { decodeMessage, encodeMessage, maxMessageBytes, wireProtocol } from './wire';

export interface SocketLimits {
  /** Connections open at once: a few tabs or windows, each with one. */
  readonly connections: number;
  /**
   * Bytes of one message from the front end. The app's largest are a typed
   * Dockerfile (the Build view caps it at 64 KiB), a piece of an uploaded
   * archive (64 KiB as base64, renderer/src/data/upload.ts) and terminal
   * input, which the renderer sends in pieces of at most 16 KiB.
   */
  readonly messageBytes: number;
  /** Text queued towards a front end before its streams are paused, and the level at which they resume. */
  readonly highWater: number;
  readonly lowWater: number;
  readonly session?: SessionLimits;
}

export const socketLimits: SocketLimits = {
  connections: 16,
  messageBytes: maxMessageBytes,
  highWater: 4 * 1024 * 1024,
  lowWater: 1024 * 1024,
};

export interface SocketServiceOptions {
  engine: EngineHandlers;
  grants: Grants;
  /** Whether a handshake may open a session: where it comes from, the token it offers. */
  admit(req: IncomingMessage): boolean;
  limits?: SocketLimits;
  /** Issues download tickets for the connection's byte streams (the browser host). */
  tickets?: { book: TicketBook; href(id: string): string };
}

export interface SocketService {
  /** Takes an HTTP upgrade: refuses it, or opens a session on it. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Connections open now. */
  readonly connections: number;
  /** Ends every connection (and so every stream). */
  close(): Promise<void>;
}

/** Answers an upgrade that will not be a websocket, and lets the connection go. */
export function refuseUpgrade(socket: Duplex, status: string): void {
  socket.on('error', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function socketService(options: SocketServiceOptions): SocketService {
  const limits = options.limits ?? socketLimits;
  const server = new WebSocketServer({
    noServer: true,
    maxPayload: limits.messageBytes,
    // The token's subprotocol is never echoed: the answer is the wire's own.
    handleProtocols: (offered) => (offered.has(wireProtocol) ? wireProtocol : false),
    perMessageDeflate: false,
  });
  let handshakes = 0;

  function serve(ws: WebSocket): void {
    const scope = options.tickets?.book.scope();
    let queued = 0;
    let congested = false;
    const session = openSession(
      options.engine,
      (message) => {
        if (ws.readyState !== ws.OPEN) return true;
        const text = encodeMessage(message);
        queued += text.length;
        ws.send(text, () => {
          queued -= text.length;
          if (congested && queued <= limits.lowWater) {
            congested = false;
            session.drained();
          }
        });
        if (queued > limits.highWater) congested = true;
        return !congested;
      },
      {
        grants: options.grants,
        limits: limits.session,
        download: scope && ((name, arg, filename) => options.tickets!.href(scope.issue({ name, arg, filename }))),
      },
    );
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
    // Closing the socket (a tab closed, a reload) closes every stream it opened and voids its tickets.
    ws.on('close', () => {
      session.dispose();
      scope?.revoke();
    });
    ws.on('error', () => ws.terminate());
  }

  return {
    upgrade(req, socket, head) {
      if (!options.admit(req)) return refuseUpgrade(socket, '403 Forbidden');
      if (server.clients.size + handshakes >= limits.connections) return refuseUpgrade(socket, '503 Service Unavailable');
      socket.on('error', () => socket.destroy());
      // Counted until it is a connection, or gone (a handshake ws refuses ends the socket).
      let counted = true;
      const uncount = () => {
        if (counted) handshakes--;
        counted = false;
      };
      handshakes++;
      socket.once('close', uncount);
      server.handleUpgrade(req, socket, head, (ws) => {
        uncount();
        serve(ws);
      });
    },
    get connections() {
      return server.clients.size;
    },
    close() {
      for (const ws of server.clients) ws.terminate();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
