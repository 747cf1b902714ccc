// A stream's handle before the real one exists: the engine opens a stream
// once it is ready, a container once its monitor answers. What the front end
// does meanwhile (input, a pause, a close) is kept, in order, and replayed
// on the real handle when it comes.

import type { StreamHandle } from './client';

export interface LaterHandle<In> {
  /** What the front end holds from the start. */
  readonly handle: StreamHandle<In>;
  /** The real handle arrived: it gets what was kept, then everything directly. */
  settle(real: StreamHandle<In>): void;
}

export function laterHandle<In>(initial: In[] = []): LaterHandle<In> {
  let real: StreamHandle<In> | undefined;
  const queued = [...initial];
  let paused = false;
  let closed = false;
  return {
    handle: {
      send: (input) => (real ? real.send(input) : queued.push(input)),
      close: () => {
        closed = true;
        real?.close();
      },
      pause: () => {
        paused = true;
        real?.pause?.();
      },
      resume: () => {
        paused = false;
        real?.resume?.();
      },
    },
    settle(h) {
      real = h;
      for (const input of queued.splice(0)) h.send(input);
      if (paused) h.pause?.();
      if (closed) h.close();
    },
  };
}
