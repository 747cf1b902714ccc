// Sending a file the person picked to the engine (Load, Import): its bytes go
// over the upload stream in pieces, never as a host path, and at most
// `window` bytes run ahead of what the engine has acknowledged, so neither
// side holds a whole image in memory. Resolves with what the file became.

import type { EngineStreams, UploadInput, UploadMessage } from '../../../engine/api';
import type { StreamCallbacks, StreamHandle } from '../../../engine/rpc/client';
import { EngineError } from '../../../engine/errors';
import type { AppClient } from './EngineContext';

export type UploadStream = 'image.loadStream' | 'image.importStream';
type Result<K extends UploadStream> = EngineStreams[K]['out'] extends UploadMessage<infer R> ? R : never;

export interface UploadProgress {
  /** Bytes the engine has taken in. */
  received: number;
  total: number;
}

/** Pieces this big keep each websocket message well under the host's limit. */
export const pieceBytes = 512 << 10;
const window = 4 << 20;

export function uploadFile<K extends UploadStream>(
  client: AppClient,
  name: K,
  arg: EngineStreams[K]['arg'],
  file: Blob,
  onProgress: (p: UploadProgress) => void,
): { done: Promise<Result<K>>; cancel(): void } {
  let cancel = () => {};
  const done = new Promise<Result<K>>((resolve, reject) => {
    const reader = file.stream().getReader();
    let sent = 0;
    let received = 0;
    let finished = false;
    let waiting: (() => void) | null = null;
    let result: Result<K> | undefined;
    const fail = (err: Error) => {
      if (finished) return;
      finished = true;
      void reader.cancel().catch(() => undefined);
      reject(err);
    };
    const callbacks: StreamCallbacks<UploadMessage<Result<K>>> = {
      onMessage(m) {
        if ('received' in m) {
          received = m.received;
          onProgress({ received, total: file.size });
          waiting?.();
        } else result = m.done;
      },
      onEnd(error) {
        if (error) return fail(EngineError.fromPayload(error));
        finished = true;
        if (result === undefined) reject(new Error('the upload ended without a result'));
        else resolve(result);
      },
    };
    // Both upload streams take the same input and answer the same way; only their result differs.
    const stream = client.open(name, arg as never, callbacks as never) as StreamHandle<UploadInput>;
    cancel = () => {
      stream.close();
      fail(new Error('upload cancelled'));
    };
    const roomAhead = () =>
      new Promise<void>((go) => {
        if (sent - received < window || finished) return go();
        waiting = () => {
          if (sent - received < window || finished) {
            waiting = null;
            go();
          }
        };
      });
    (async () => {
      for (;;) {
        const { value, done: end } = await reader.read();
        if (finished) return;
        if (end) break;
        for (let at = 0; at < value.length; at += pieceBytes) {
          await roomAhead();
          if (finished) return;
          const data = value.subarray(at, at + pieceBytes);
          sent += data.length;
          stream.send({ data });
        }
      }
      stream.send({ end: true });
    })().catch((err: Error) => {
      stream.close();
      fail(err);
    });
  });
  return { done, cancel: () => cancel() };
}
