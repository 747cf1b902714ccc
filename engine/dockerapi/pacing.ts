// Output paced by its reader: when a client reads slower than the engine
// sends (a big `docker export` over a slow pipe, `docker logs` into a pager),
// the engine's stream is held back until the client has drained what was
// written, rather than the service buffering without bound.

import type { StreamHandle } from '../rpc/client';
import type { ResponseStream } from './exchange';

/** Call with what the last write returned. */
export function pace(out: ResponseStream, written: boolean, handle: StreamHandle<never> | StreamHandle<unknown> | undefined): void {
  if (written || !handle?.pause) return;
  handle.pause();
  void out.drained().then(() => handle.resume?.());
}
