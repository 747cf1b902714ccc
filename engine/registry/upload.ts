// A blob into a registry. Small ones (a config, a layer that compresses to
// less than one chunk) go monolithically: POST for a location, PUT with
// the bytes and their digest. Layers are gzip-compressed as they stream
// out of the store (the registry's copy is compressed, the store's is not;
// zlib's fastest level: a push is bound by compression long before a link
// is, and level 6 costs half again the time for a few percent of size)
// and sent in chunks, PATCH with Content-Range, the next chunk compressed
// while the last one travels; a final PUT names the digest, known only
// once the last byte has been hashed.

import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { Repository } from './client';

/** Bytes per PATCH. */
export const chunkSize = 8 << 20;

export async function uploadBytes(repo: Repository, digest: string, bytes: Buffer, signal?: AbortSignal): Promise<void> {
  const start = await repo.startUpload(undefined, signal);
  if (start.mounted) return;
  await repo.finishUpload(start.location, digest, bytes, signal);
}

/** Compresses a layer tar and uploads it; resolves to the compressed blob's digest and size. */
export async function uploadLayer(
  repo: Repository,
  tar: AsyncIterable<Buffer>,
  onRead: (uncompressedBytes: number) => void,
  signal?: AbortSignal,
): Promise<{ digest: string; size: number }> {
  let read = 0;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of tar) {
      read += chunk.length;
      onRead(read);
      yield chunk;
    }
  }
  const gzip = Readable.from(counted()).pipe(zlib.createGzip({ level: 1 }));
  const hash = createHash('sha256');
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let offset = 0;
  let location: string | undefined;
  let inflight: Promise<void> = Promise.resolve();
  const send = async (chunk: Buffer, at: number) => {
    location ??= await started(repo, signal);
    location = await repo.patchUpload(location, chunk, at, signal);
  };
  try {
    for await (const piece of gzip) {
      if (signal?.aborted) throw signal.reason;
      const buf = piece as Buffer;
      hash.update(buf);
      pending.push(buf);
      pendingLength += buf.length;
      if (pendingLength >= chunkSize) {
        const chunk = Buffer.concat(pending);
        pending = [];
        pendingLength = 0;
        await inflight;
        inflight = send(chunk, offset);
        offset += chunk.length;
      }
    }
    await inflight;
  } catch (err) {
    gzip.destroy();
    await inflight.catch(() => undefined);
    throw err;
  }
  const digest = `sha256:${hash.digest('hex')}`;
  const rest = Buffer.concat(pending);
  if (location === undefined) {
    await uploadBytes(repo, digest, rest, signal);
  } else {
    await repo.finishUpload(location, digest, rest, signal);
  }
  return { digest, size: offset + rest.length };
}

async function started(repo: Repository, signal?: AbortSignal): Promise<string> {
  const start = await repo.startUpload(undefined, signal);
  if (start.mounted) throw new Error('the registry mounted a blob nobody asked it to');
  return start.location;
}
