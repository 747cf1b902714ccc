// The renderer's EngineClient over an EnginePort: numbered calls and streams,
// generic over every request and stream of engine/api.ts (there is no code
// per request). Failures come back as EngineError, with the kind the engine
// gave, so the app branches on `code` exactly as the CLI does.

import type { EngineClient, StreamCallbacks } from '../../../engine/rpc/client';
import { EngineError, type ErrorKind, type ErrorPayload } from '../../../engine/errors';
import { inputPieces, type ClientMessage, type ServerMessage } from '../../../engine/host/wire';
import type { StreamName } from '../../../engine/api';
import type { EnginePort, PortStatus } from './port';

export interface RemoteClient extends EngineClient {
  /** Follows the connection; returns the function that stops following. */
  onStatus(listener: (status: PortStatus) => void): () => void;
  /** The address of a single download of a byte stream (the browser host issues it; engine/host/tickets.ts). */
  download(name: StreamName, arg: unknown, filename: string): Promise<string>;
}

const kinds: readonly ErrorKind[] = [
  'NotFound',
  'AlreadyExists',
  'InvalidArgument',
  'Conflict',
  'Unavailable',
  'Unauthorized',
  'CannotExecute',
  'CommandNotFound',
  'Internal',
];

/** An EngineError from whatever crossed the bridge as an error payload. */
export function toEngineError(payload: Partial<ErrorPayload> | undefined): EngineError {
  const code = kinds.includes(payload?.code as ErrorKind) ? (payload!.code as ErrorKind) : 'Internal';
  return new EngineError(code, typeof payload?.message === 'string' ? payload.message : 'unknown engine error');
}

export const connectionLost: ErrorPayload = {
  name: 'EngineError',
  code: 'Unavailable',
  message: 'the connection to the engine was lost',
};

export function createRemoteClient(port: EnginePort): RemoteClient {
  let nextId = 1;
  const calls = new Map<number, { resolve(v: unknown): void; reject(e: EngineError): void }>();
  const streams = new Map<number, StreamCallbacks<unknown>>();
  const statusListeners = new Set<(s: PortStatus) => void>();

  port.onMessage((m: ServerMessage) => {
    if (m.kind === 'result' || m.kind === 'error') {
      const pending = calls.get(m.id);
      if (!pending) return;
      calls.delete(m.id);
      if (m.kind === 'result') pending.resolve(m.result);
      else pending.reject(toEngineError(m.error));
    } else if (m.kind === 'message') {
      streams.get(m.id)?.onMessage(m.message);
    } else if (m.kind === 'end') {
      const callbacks = streams.get(m.id);
      if (!callbacks) return;
      streams.delete(m.id);
      callbacks.onEnd(m.error === undefined ? undefined : toEngineError(m.error).toPayload());
    }
  });

  port.onStatus((status) => {
    if (status === 'lost') {
      // What was asked of the old connection has no answer coming: say so, and let the app retry or reopen.
      const lostCalls = [...calls.values()];
      const lostStreams = [...streams.values()];
      calls.clear();
      streams.clear();
      for (const c of lostCalls) c.reject(toEngineError(connectionLost));
      for (const s of lostStreams) s.onEnd(connectionLost);
    }
    for (const l of statusListeners) l(status);
  });

  /** Posts a message that is answered like a call, with a result or an error. */
  function ask(message: (id: number) => ClientMessage): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = nextId++;
      calls.set(id, { resolve, reject });
      port.post(message(id));
    });
  }

  return {
    call(name, arg) {
      return ask((id) => ({ kind: 'call', id, name, arg })) as never;
    },
    async download(name, arg, filename) {
      const { href } = (await ask((id) => ({ kind: 'download', id, name, arg, filename }))) as { href: string };
      return href;
    },
    open(name, arg, callbacks) {
      const id = nextId++;
      streams.set(id, callbacks as StreamCallbacks<unknown>);
      port.post({ kind: 'open', id, name, arg });
      return {
        send(input) {
          if (!streams.has(id)) return;
          for (const piece of inputPieces(input)) port.post({ kind: 'send', id, input: piece });
        },
        close() {
          if (streams.delete(id)) port.post({ kind: 'close', id });
        },
      };
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
  };
}
