// One remote front end's conversation with the engine: a browser tab on the
// host's websocket, or an Electron window over IPC. Every request and stream
// goes through the dispatcher (engine/rpc/dispatch), which checks its name
// and argument against engine/api.ts; this file only keeps the ids of the
// streams the front end has open, so that they all close with it.

import { asEngineError, invalidArgument, type ErrorPayload } from '../errors';
import type { StreamHandle } from '../rpc/client';
import { dispatchRequest, dispatchStream, type RequestHandlers, type StreamHandlers } from '../rpc/dispatch';
import { asClientMessage, type ClientMessage, type ServerMessage } from './wire';

/** What sessions serve: the engine's handlers (an Engine has both). */
export interface EngineHandlers {
  readonly requests: RequestHandlers;
  readonly streams: StreamHandlers;
}

export interface Session {
  /** Handles one message from the front end; anything not shaped like a ClientMessage is refused. */
  receive(message: unknown): void;
  /** The front end went away: closes every stream it left open. */
  dispose(): void;
}

/**
 * What only the command line may ask for. The app's front ends have no
 * standard input to give ('-' or /dev/stdin would read the host process's
 * own), and they save through byte streams (a download, or a file the user
 * picked in Electron's dialog): a request that writes any host path, as
 * root, is not theirs to make.
 */
function cliOnly(name: string, arg: unknown): string | undefined {
  if (name === 'image.saveFile' || name === 'container.exportFile') return `${name} writes a host path: the app saves through its download instead`;
  return readsEngineStdin(name, arg) ? "standard input is the command line's: the app cannot read from it" : undefined;
}

function readsEngineStdin(name: string, arg: unknown): boolean {
  if (typeof arg !== 'object' || arg === null) return false;
  const a = arg as Record<string, unknown>;
  if (name === 'image.build') return a.context === '-';
  if (name === 'image.import' || name === 'image.load') {
    return typeof a.path === 'string' && ['/dev/stdin', '/dev/fd/0', '/proc/self/fd/0'].includes(a.path);
  }
  return false;
}


export function openSession(engine: EngineHandlers, post: (message: ServerMessage) => void): Session {
  const open = new Map<number, StreamHandle<unknown>>();
  let disposed = false;
  const reply = (message: ServerMessage) => {
    if (!disposed) post(message);
  };

  function end(id: number, error?: ErrorPayload): void {
    if (!open.delete(id)) return;
    reply(error === undefined ? { kind: 'end', id } : { kind: 'end', id, error });
  }

  function call(m: Extract<ClientMessage, { kind: 'call' }>): void {
    const refused = cliOnly(m.name, m.arg);
    if (refused) {
      reply({ kind: 'error', id: m.id, error: invalidArgument(refused).toPayload() });
      return;
    }
    dispatchRequest(engine.requests, m.name, m.arg).then(
      (result) => reply({ kind: 'result', id: m.id, result }),
      (err) => reply({ kind: 'error', id: m.id, error: asEngineError(err).toPayload() }),
    );
  }

  function openStream(m: Extract<ClientMessage, { kind: 'open' }>): void {
    if (open.has(m.id)) {
      reply({ kind: 'end', id: m.id, error: invalidArgument(`stream id ${m.id} is already open`).toPayload() });
      return;
    }
    const refused = cliOnly(m.name, m.arg);
    if (refused) {
      reply({ kind: 'end', id: m.id, error: invalidArgument(refused).toPayload() });
      return;
    }
    // Registered before dispatching: a stream may end inside dispatchStream.
    const placeholder: StreamHandle<unknown> = { send() {}, close() {} };
    open.set(m.id, placeholder);
    try {
      const handle = dispatchStream(engine.streams, m.name, m.arg, {
        onMessage: (message) => {
          if (open.has(m.id)) reply({ kind: 'message', id: m.id, message });
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
    handle.close();
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
      else close(m);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      const handles = [...open.values()];
      open.clear();
      for (const h of handles) h.close();
    },
  };
}
