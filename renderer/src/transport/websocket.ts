// The browser host's websocket as an EnginePort: JSON messages with bytes as
// base64 (engine/host/wire.ts), held while disconnected and sent once the
// socket is back. A dropped socket (the machine slept, the host restarted on
// the same port) is re-made with growing delays.

import { decodeMessage, encodeMessage, type ClientMessage, type ServerMessage } from '../../../engine/host/wire';
import type { EnginePort, PortStatus } from './port';

/** The part of the browser's WebSocket this port uses (the `ws` package's WebSocket has it too, for tests). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface WebSocketPortOptions {
  /** The WebSocket constructor; the browser's by default. */
  WebSocket?: new (url: string, protocols?: string[]) => SocketLike;
  /** Subprotocols offered at each handshake (the host's token travels as one). */
  protocols?: string[];
  /** Milliseconds between attempts, the last repeated. */
  retryDelays?: readonly number[];
  /** Attempts before the first connection is given up (an unreachable host, a wrong token). */
  firstAttempts?: number;
}

export interface WebSocketPort extends EnginePort {
  /** Resolves when first connected; rejects when the first attempts all failed. */
  readonly ready: Promise<void>;
  /** Closes the socket for good. */
  dispose(): void;
}

const OPEN = 1;

export function websocketPort(url: string, options: WebSocketPortOptions = {}): WebSocketPort {
  const Socket = options.WebSocket ?? (globalThis.WebSocket as unknown as new (url: string, protocols?: string[]) => SocketLike);
  const delays = options.retryDelays ?? [250, 500, 1000, 2000, 4000];
  const firstAttempts = options.firstAttempts ?? 5;
  let socket: SocketLike | undefined;
  let attempt = 0;
  let everOpened = false;
  let disposed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const held: ClientMessage[] = [];
  let deliver: (m: ServerMessage) => void = () => {};
  let status: (s: PortStatus) => void = () => {};
  let settle!: { resolve(): void; reject(e: Error): void };
  const ready = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));

  function connect(): void {
    const ws = new Socket(url, options.protocols);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      const first = !everOpened;
      everOpened = true;
      for (const m of held.splice(0)) ws.send(encodeMessage(m));
      if (first) settle.resolve();
      else status('open');
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      let m: unknown;
      try {
        m = decodeMessage(ev.data);
      } catch {
        return;
      }
      deliver(m as ServerMessage);
    };
    // Browsers always follow an error with a close; the close decides.
    ws.onerror = () => {};
    ws.onclose = () => {
      if (socket !== ws || disposed) return;
      socket = undefined;
      if (!everOpened && attempt + 1 >= firstAttempts) {
        disposed = true;
        settle.reject(new Error(`cannot reach the Strata host at ${url}`));
        return;
      }
      if (everOpened && attempt === 0) status('lost');
      retry = setTimeout(connect, delays[Math.min(attempt, delays.length - 1)]);
      attempt++;
    };
  }

  connect();
  return {
    ready,
    post(message) {
      if (socket && socket.readyState === OPEN) socket.send(encodeMessage(message));
      else if (!disposed) held.push(message);
    },
    onMessage(listener) {
      deliver = listener;
    },
    onStatus(listener) {
      status = listener;
    },
    dispose() {
      disposed = true;
      if (retry) clearTimeout(retry);
      socket?.close();
      socket = undefined;
    },
  };
}
