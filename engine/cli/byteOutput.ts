// `save` and `export` without -o: the engine's byte stream written to
// standard output as it comes. Each piece is written before the next is
// taken: the engine runs in this process, so a slow reader (a pipe into
// gzip, a socket) slows the engine down instead of filling memory. Standard
// output may be non-blocking (Node makes pipes so): a full pipe is waited on.

import fs from 'node:fs';
import type { EngineStreams } from '../api';
import { EngineError } from '../errors';
import type { Cli } from './session';

const pause = new Int32Array(new SharedArrayBuffer(4));

function writeAllSync(fd: number, bytes: Uint8Array): void {
  for (let off = 0; off < bytes.length; ) {
    try {
      off += fs.writeSync(fd, bytes, off);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(pause, 0, 0, 2);
    }
  }
}

/** Streams `name` to standard output; resolves once the stream ended. */
export function streamToStdout<K extends 'image.save' | 'container.export'>(cli: Cli, name: K, arg: EngineStreams[K]['arg']): Promise<void> {
  const fd = (cli.stdout as { fd?: number }).fd ?? 1;
  return new Promise((resolve, reject) => {
    let failed: unknown;
    const handle = cli.client.open(name, arg, {
      onMessage(message) {
        if (failed) return;
        try {
          writeAllSync(fd, message.data);
        } catch (err) {
          failed = err;
          handle.close();
        }
      },
      onEnd(error) {
        if (failed) reject(failed);
        else if (error) reject(EngineError.fromPayload(error));
        else resolve();
      },
    });
  });
}
