// The one dispatcher every front end goes through: it checks the argument of
// each request and stream against engine/api.ts before the engine sees it,
// and turns every failure into an EngineError payload that crosses bridges.

import { requests, streams, type ArgOf, type EngineStreams, type RequestName, type ResultOf, type StreamName } from '../api';
import { asEngineError, invalidArgument } from '../errors';
import type { StreamCallbacks, StreamHandle } from './client';

/** What the engine implements: one handler per request and per stream. */
export type RequestHandlers = { [K in RequestName]: (arg: ArgOf<K>) => Promise<ResultOf<K>> | ResultOf<K> };
export type StreamHandlers = {
  [K in StreamName]: (
    arg: EngineStreams[K]['arg'],
    callbacks: StreamCallbacks<EngineStreams[K]['out']>,
  ) => StreamHandle<EngineStreams[K]['input']>;
};

export function isRequestName(name: string): name is RequestName {
  return Object.prototype.hasOwnProperty.call(requests, name);
}

export function isStreamName(name: string): name is StreamName {
  return Object.prototype.hasOwnProperty.call(streams, name);
}

export async function dispatchRequest(handlers: RequestHandlers, name: string, arg: unknown): Promise<unknown> {
  if (!isRequestName(name)) throw invalidArgument(`unknown request: ${name}`);
  const checked = requests[name].arg.parse(arg ?? {}, '') as never;
  try {
    return await (handlers[name] as (a: unknown) => unknown)(checked);
  } catch (err) {
    throw asEngineError(err);
  }
}

export function dispatchStream(
  handlers: StreamHandlers,
  name: string,
  arg: unknown,
  callbacks: StreamCallbacks<unknown>,
): StreamHandle<unknown> {
  if (!isStreamName(name)) throw invalidArgument(`unknown stream: ${name}`);
  const spec = streams[name];
  const checked = spec.arg.parse(arg ?? {}, '') as never;
  const handle = (handlers[name] as (a: unknown, c: StreamCallbacks<unknown>) => StreamHandle<unknown>)(checked, callbacks);
  const input = spec.input as { parse?: (v: unknown, p: string) => unknown } | undefined;
  return {
    send(message) {
      if (!input?.parse) throw invalidArgument(`stream ${name} takes no input`);
      handle.send(input.parse(message, 'input'));
    },
    close: () => handle.close(),
    pause: () => handle.pause?.(),
    resume: () => handle.resume?.(),
  };
}
