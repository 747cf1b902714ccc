// A stream of the engine whose messages carry a file's bytes (image.save,
// container.export, container.logs): the bytes are a message that is a
// Uint8Array, or a message's `data`; other messages (progress) are not part
// of the file. Shared by the browser host's downloads and Electron's Save.

import fs from 'node:fs';
import { asEngineError, EngineError } from '../errors';
import type { StreamCallbacks } from '../rpc/client';

/** The bytes a stream message carries for the file, if any. */
export function bytesOf(message: unknown): Uint8Array | undefined {
  if (message instanceof Uint8Array) return message;
  const data = (message as { data?: unknown } | null)?.data;
  return data instanceof Uint8Array ? data : undefined;
}

/** Opens the stream whose bytes are saved; throws (or ends with an error) when it cannot. */
export type ByteStreamOpener = (callbacks: StreamCallbacks<unknown>) => { close(): void };

/**
 * Writes the stream's bytes to `file` (created, or truncated) and resolves
 * once they are on disk; on failure the partial file is removed and the
 * promise rejects with the engine's error.
 */
export function saveStreamToFile(open: ByteStreamOpener, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = fs.createWriteStream(file, { mode: 0o644 });
    let handle: { close(): void } | undefined;
    let failed: EngineError | undefined;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = asEngineError(err);
      handle?.close();
      // The file may still be opening: remove it once the stream has let go of it.
      const remove = () => fs.rm(file, { force: true }, () => reject(failed));
      if (out.closed) remove();
      else out.once('close', remove);
      out.destroy();
    };
    out.on('error', fail);
    try {
      handle = open({
        onMessage(message) {
          const bytes = bytesOf(message);
          if (bytes && !failed) out.write(bytes);
        },
        onEnd(error) {
          if (error) return fail(EngineError.fromPayload(error));
          out.end(() => {
            if (!failed) resolve();
          });
        },
      });
    } catch (err) {
      fail(err);
    }
  });
}
