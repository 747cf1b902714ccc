// Where the bytes of an upload (the app's Load and Import) come in: the
// stream's input pieces become a Readable that the same load and import code
// the CLI uses reads from. Each piece is acknowledged once the reader has
// room for it ({received}), so the sender keeps a bounded window ahead and
// memory stays bounded; a sender that runs further ahead than `maxAhead`
// is refused rather than buffered.

import { PassThrough, type Readable } from 'node:stream';
import type { UploadInput, UploadMessage } from '../api';
import { asEngineError, invalidArgument } from '../errors';
import type { StreamCallbacks, StreamHandle } from '../rpc/client';

/** How far ahead of the reader a sender may be: well above the window the app keeps. */
export const maxAhead = 64 << 20;

export function receiveUpload<R>(consume: (input: Readable) => Promise<R>, cb: StreamCallbacks<UploadMessage<R>>): StreamHandle<UploadInput> {
  const input = new PassThrough({ highWaterMark: 1 << 20 });
  let received = 0;
  let finished = false;
  const finish = (error?: unknown) => {
    if (finished) return;
    finished = true;
    // Whatever the reader left unread (a refused archive) is dropped, not kept.
    input.destroy();
    cb.onEnd(error === undefined ? undefined : asEngineError(error).toPayload());
  };
  // The reader may give up before the sender ends: the input's own error is then not the news.
  input.on('error', () => {});
  consume(input).then(
    (result) => {
      if (finished) return;
      cb.onMessage({ done: result });
      finish();
    },
    (err) => finish(err),
  );
  return {
    send(message) {
      if (finished || input.writableEnded) return;
      if ('end' in message) {
        input.end();
        return;
      }
      if (input.writableLength + message.data.length > maxAhead) {
        finish(invalidArgument(`upload ran more than ${maxAhead >> 20} MiB ahead of the engine: wait for {received} before sending more`));
        return;
      }
      const length = message.data.length;
      input.write(message.data, () => {
        received += length;
        if (!finished) cb.onMessage({ received });
      });
    },
    close() {
      // The sender went away (a cancel, a closed tab): the reader sees the input end early and fails.
      if (finished) return;
      finished = true;
      input.destroy(new Error('upload cancelled'));
    },
  };
}
