// One subscription to the engine's event stream for the service's whole
// life, shared by the parts that must hear of a container starting, dying
// or going away (a start that waits for its attached run, exec instances to
// forget). Opening the stream also makes this engine notice exits as they
// happen, so `--rm` containers started detached are removed on time.

import type { EngineEvent } from '../api';
import type { EngineClient, StreamHandle } from '../rpc/client';

export class EventHub {
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private handle: StreamHandle<never> | undefined;
  private closed = false;

  constructor(private readonly client: EngineClient) {
    this.open();
  }

  /** Calls `fn` for every event until the returned function is called. */
  on(fn: (e: EngineEvent) => void): () => void {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }

  close(): void {
    this.closed = true;
    this.listeners.clear();
    this.handle?.close();
  }

  private open(): void {
    this.handle = this.client.open('events', {}, {
      onMessage: (e) => {
        for (const fn of [...this.listeners]) fn(e);
      },
      // The stream ends only with the engine; try again while the service runs.
      onEnd: () => {
        if (!this.closed) setTimeout(() => !this.closed && this.open(), 1000).unref();
      },
    });
  }
}
