// Where the bytes of `save` and `export` go: a file, or the messages of a
// stream. A file is written under a temporary name beside it and renamed
// into place at the end (as the docker CLI's CopyToFile), so a failure leaves
// no partial archive; a device (/dev/null, /dev/stdout) is written in place.
// Small pieces (tar headers) are gathered into bigger writes and messages.

import fs from 'node:fs';
import path from 'node:path';
import type { ByteChunk } from '../api';
import { asEngineError, invalidArgument } from '../errors';
import type { StreamCallbacks, StreamHandle } from '../rpc/client';
import { tempName } from '../store/liveness';

const pieceSize = 1 << 18;

/** The same bytes in fewer, bigger pieces: small ones gathered up to `pieceSize`, big ones passed on. */
export async function* gathered(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let length = 0;
  for await (const chunk of chunks) {
    if (chunk.length >= pieceSize) {
      // A big piece (a file's content) goes as it is, after the small ones before it: never copied.
      if (length > 0) yield Buffer.concat(pending, length);
      pending = [];
      length = 0;
      yield chunk;
      continue;
    }
    pending.push(chunk);
    length += chunk.length;
    if (length >= pieceSize) {
      yield Buffer.concat(pending, length);
      pending = [];
      length = 0;
    }
  }
  if (length > 0) yield Buffer.concat(pending, length);
}

export async function writeToPath(file: string, chunks: AsyncIterable<Buffer>): Promise<void> {
  if (!path.isAbsolute(file)) throw invalidArgument(`output path must be absolute: ${file}`);
  const inPlace = file.startsWith('/dev/') || file.startsWith('/proc/');
  const target = inPlace ? file : path.join(path.dirname(file), tempName(`.${path.basename(file)}.strata-`));
  let out: fs.promises.FileHandle;
  try {
    out = await fs.promises.open(target, inPlace ? 'w' : 'wx', 0o644);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw invalidArgument(`open ${file}: ${code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
  }
  try {
    try {
      // One write in flight while the next piece is read and hashed: the disk and the CPU work at once.
      let writing: Promise<void> = Promise.resolve();
      for await (const chunk of gathered(chunks)) {
        await writing;
        writing = writeAll(out, chunk);
        writing.catch(() => {}); // awaited above, or in the finally below
      }
      await writing;
    } finally {
      await out.close();
    }
    if (!inPlace) await fs.promises.rename(target, file);
  } catch (err) {
    if (!inPlace) await fs.promises.rm(target, { force: true });
    throw err;
  }
}

async function writeAll(out: fs.promises.FileHandle, chunk: Buffer): Promise<void> {
  for (let off = 0; off < chunk.length; ) off += (await out.write(chunk, off)).bytesWritten;
}

/**
 * Sends the bytes as a stream's messages, then ends it (with the error, if
 * one came). Closing the stream stops reading; pausing it stops reading
 * until it is resumed, so a front end that writes the bytes somewhere slow
 * (a download) does not have to hold them.
 */
export function streamBytes(
  open: () => Promise<{ chunks: AsyncIterable<Buffer>; done?: () => Promise<void> }>,
  cb: StreamCallbacks<ByteChunk>,
): StreamHandle<never> {
  let closed = false;
  let resumed: Promise<void> | undefined;
  let resume = () => {};
  const run = async () => {
    const { chunks, done } = await open();
    try {
      for await (const chunk of gathered(chunks)) {
        if (resumed) await resumed;
        if (closed) break;
        cb.onMessage({ data: chunk });
      }
    } finally {
      await done?.();
    }
  };
  run().then(
    () => cb.onEnd(),
    (err) => cb.onEnd(asEngineError(err).toPayload()),
  );
  const go = () => {
    resumed = undefined;
    resume();
  };
  return {
    send() {},
    close: () => {
      closed = true;
      go();
    },
    pause: () => {
      resumed ??= new Promise((r) => (resume = r));
    },
    resume: go,
  };
}
