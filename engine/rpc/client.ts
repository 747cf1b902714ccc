// What every front end holds: a typed way to make requests and open streams.
// The CLI gets one that dispatches in process; the renderer gets one over
// Electron IPC or the browser host's websocket. All are built from api.ts.

import type { EngineStreams, RequestName, ResultOf, ArgOf, StreamName } from '../api';
import type { ErrorPayload } from '../errors';

export interface StreamHandle<In> {
  /** Send input into the stream (stdin bytes, a resize...). */
  send(input: In): void;
  /** Stop listening; for attach this detaches, it does not stop the container. */
  close(): void;
  /**
   * Flow control for a consumer that cannot keep up (a websocket, a
   * download): hold messages back until resume. Streams that make their
   * messages at their own pace (events, build progress) have neither.
   */
  pause?(): void;
  resume?(): void;
}

export interface StreamCallbacks<Out> {
  onMessage(message: Out): void;
  /** Called once: with no error when the stream ended normally. */
  onEnd(error?: ErrorPayload): void;
}

export interface EngineClient {
  call<K extends RequestName>(name: K, arg: ArgOf<K>): Promise<ResultOf<K>>;
  open<K extends StreamName>(
    name: K,
    arg: EngineStreams[K]['arg'],
    callbacks: StreamCallbacks<EngineStreams[K]['out']>,
  ): StreamHandle<EngineStreams[K]['input']>;
}
