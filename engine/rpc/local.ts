// An EngineClient for front ends that host the engine in their own process:
// the CLI, the browser host and Electron's main process. Requests still go
// through the dispatcher, so they are checked exactly as remote ones are.

import type { EngineClient } from './client';
import { dispatchRequest, dispatchStream } from './dispatch';
import { Engine, type EngineOptions } from '../engine';
import { EngineError, asEngineError } from '../errors';

export interface LocalClient extends EngineClient {
  readonly engine: Engine;
  close(): void;
}

export function openLocalClient(options: EngineOptions = {}): LocalClient {
  const engine = Engine.open(options);
  return {
    engine,
    call: (name, arg) => dispatchRequest(engine.requests, name, arg) as never,
    open(name, arg, callbacks) {
      try {
        return dispatchStream(engine.streams, name, arg, callbacks as never) as never;
      } catch (err) {
        const e: EngineError = asEngineError(err);
        queueMicrotask(() => callbacks.onEnd(e.toPayload()));
        return { send() {}, close() {} };
      }
    },
    close: () => engine.close(),
  };
}
