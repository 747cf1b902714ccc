// One remote front end's conversation with the engine: a browser tab on the
// host's websocket, or an Electron window through the engine socket. Every
// request and stream passes the front end's policy (engine/rpc/policy) and
// then the dispatcher (engine/rpc/dispatch), which checks its name and
// argument against engine/api.ts. This file keeps the ids of the streams the
// front end has open, so that they all close with it, holds it to its
// limits, and pauses its streams while it cannot keep up.

import { asEngineError, invalidArgument, unavailable, type ErrorPayload } from '../errors';
import type { StreamHandle } from '../rpc/client';
import { dispatchRequest, dispatchStream, type RequestHandlers, type StreamHandlers } from '../rpc/dispatch';
import { admit, admitDownload, type Grants } from '../rpc/policy';
import { asClientMessage, type ClientMessage, type ServerMessage } from './wire';

/** What sessions serve: the engine's handlers (an Engine has both). */
export interface EngineHandlers {
  readonly requests: RequestHandlers;
  readonly streams: StreamHandlers;
}

export interface SessionLimits {
  /** Streams open at once. */
  readonly streams: number;
  /** Requests waiting for their result at once. */
  readonly calls: number;
}

/** Far above what the app keeps open (a few views, a terminal, the events), far below what hurts the host. */
export const sessionLimits: SessionLimits = { streams: 32, calls: 64 };

export interface SessionOptions {
  grants: Grants;
  limits?: SessionLimits;
  /** Turns a byte stream into the address of a single download; absent where nothing downloads. */
  download?: (name: string, arg: unknown, filename: string) => string;
}

/**
 * Sends a message to the front end; false when its transport is backed up,
 * until the transport calls the session's drained().
 */
export type Post = (message: ServerMessage) => boolean;

export interface Session {
  /** Handles one message from the front end; anything not shaped like a ClientMessage is refused. */
  receive(message: unknown): void;
  /** The transport has room again: the streams paused for it go on. */
  drained(): void;
  /** The front end went away: closes every stream it left open. */
  dispose(): void;
}

export function openSession(engine: EngineHandlers, post: Post, options: SessionOptions): Session {
  const { grants, limits = sessionLimits } = options;
  const open = new Map<number, StreamHandle<unknown>>();
  const paused = new Set<StreamHandle<unknown>>();
  let calls = 0;
  let disposed = false;
  const reply = (message: ServerMessage) => disposed || post(message);

  function end(id: number, error?: ErrorPayload): void {
    const handle = open.get(id);
    if (!handle) return;
    open.delete(id);
    paused.delete(handle);
    reply(error === undefined ? { kind: 'end', id } : { kind: 'end', id, error });
  }

  function call(m: Extract<ClientMessage, { kind: 'call' }>): void {
    if (calls >= limits.calls) {
      reply({ kind: 'error', id: m.id, error: unavailable(`too many requests at once (at most ${limits.calls})`).toPayload() });
      return;
    }
    calls++;
    const settled = () => calls--;
    Promise.resolve()
      .then(() => {
        admit(grants, 'request', m.name, m.arg);
        return dispatchRequest(engine.requests, m.name, m.arg);
      })
      .then(
        (result) => reply({ kind: 'result', id: m.id, result }),
        (err) => reply({ kind: 'error', id: m.id, error: asEngineError(err).toPayload() }),
      )
      .finally(settled);
  }

  function openStream(m: Extract<ClientMessage, { kind: 'open' }>): void {
    if (open.has(m.id)) {
      reply({ kind: 'end', id: m.id, error: invalidArgument(`stream id ${m.id} is already open`).toPayload() });
      return;
    }
    if (open.size >= limits.streams) {
      reply({ kind: 'end', id: m.id, error: unavailable(`too many open streams (at most ${limits.streams})`).toPayload() });
      return;
    }
    // Registered before dispatching: a stream may end inside dispatchStream.
    const placeholder: StreamHandle<unknown> = { send() {}, close() {} };
    open.set(m.id, placeholder);
    try {
      admit(grants, 'stream', m.name, m.arg);
      const handle = dispatchStream(engine.streams, m.name, m.arg, {
        onMessage: (message) => {
          const h = open.get(m.id);
          if (!h) return;
          if (!reply({ kind: 'message', id: m.id, message }) && !paused.has(h)) {
            paused.add(h);
            h.pause?.();
          }
        },
        onEnd: (error) => end(m.id, error),
      });
      if (open.get(m.id) === placeholder) open.set(m.id, handle);
    } catch (err) {
      end(m.id, asEngineError(err).toPayload());
    }
  }

  function send(m: Extract<ClientMessage, { kind: 'send' }>): void {
    const handle = open.get(m.id);
    // Input that races the stream's end (a key typed as the shell exits) has nowhere to go.
    if (!handle) return;
    try {
      handle.send(m.input);
    } catch (err) {
      // Input the stream refuses is the front end's bug: end the stream and say why.
      handle.close();
      end(m.id, asEngineError(err).toPayload());
    }
  }

  function close(m: Extract<ClientMessage, { kind: 'close' }>): void {
    const handle = open.get(m.id);
    if (!handle) return;
    open.delete(m.id);
    paused.delete(handle);
    handle.close();
  }

  function download(m: Extract<ClientMessage, { kind: 'download' }>): void {
    try {
      if (!options.download) throw invalidArgument('downloads are the browser host’s: save through the shell instead');
      admitDownload(grants, m.name, m.arg);
      reply({ kind: 'result', id: m.id, result: { href: options.download(m.name, m.arg, m.filename) } });
    } catch (err) {
      reply({ kind: 'error', id: m.id, error: asEngineError(err).toPayload() });
    }
  }

  return {
    receive(raw) {
      if (disposed) return;
      const m = asClientMessage(raw);
      if (!m) {
        const id = (raw as { id?: unknown } | null)?.id;
        if (Number.isSafeInteger(id)) {
          reply({ kind: 'error', id: id as number, error: invalidArgument('malformed message').toPayload() });
        }
        return;
      }
      if (m.kind === 'call') call(m);
      else if (m.kind === 'open') openStream(m);
      else if (m.kind === 'send') send(m);
      else if (m.kind === 'download') download(m);
      else close(m);
    },
    drained() {
      const resumed = [...paused];
      paused.clear();
      for (const h of resumed) h.resume?.();
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      const handles = [...open.values()];
      open.clear();
      paused.clear();
      for (const h of handles) h.close();
    },
  };
}
