// The main process's link to the engine: `strata gui` (root) listens on a
// private unix socket (engine/host/engineSocket.ts) and started this process,
// as the desktop user, with the socket and its token in the environment.
// They are taken out of the environment at once, so nothing this process
// starts inherits them; the renderer never sees them.

import WebSocket from 'ws';
import { unavailable, type ErrorPayload } from '../engine/errors';
import { engineLinkEnv, engineSocketPath, type EngineLink } from '../engine/host/link';
import { decodeMessage, encodeMessage, handshakeProtocols, type ServerMessage } from '../engine/host/wire';
import type { ByteStreamOpener } from '../engine/host/byteStream';

/** The link `strata gui` gave this process, removed from its environment; undefined when it was not started so. */
export function takeEngineLink(env: NodeJS.ProcessEnv): EngineLink | undefined {
  const socket = env[engineLinkEnv.socket];
  const token = env[engineLinkEnv.token];
  delete env[engineLinkEnv.socket];
  delete env[engineLinkEnv.token];
  return socket && token ? { socket, token } : undefined;
}

/** A new connection to the engine: one per window, and one per file saved. */
export function connectEngine(link: EngineLink): WebSocket {
  return new WebSocket(`ws+unix:${link.socket}:${engineSocketPath}`, handshakeProtocols(link.token));
}

/** Opens one byte stream on a connection of its own, for Save. */
export function byteStreamOn(connect: () => WebSocket, name: string, arg: unknown): ByteStreamOpener {
  return (callbacks) => {
    const ws = connect();
    let ended = false;
    const stop = () => {
      ended = true;
      ws.close();
    };
    const end = (error?: ErrorPayload) => {
      if (ended) return;
      stop();
      callbacks.onEnd(error);
    };
    ws.on('open', () => ws.send(encodeMessage({ kind: 'open', id: 1, name, arg })));
    ws.on('message', (data) => {
      const m = decodeMessage(data.toString()) as ServerMessage;
      if (m.kind === 'message' && m.id === 1 && !ended) callbacks.onMessage(m.message);
      else if (m.kind === 'end' && m.id === 1) end(m.error);
    });
    ws.on('error', () => undefined);
    ws.on('close', () => end(unavailable('the connection to the engine was lost').toPayload()));
    return { close: stop };
  };
}
