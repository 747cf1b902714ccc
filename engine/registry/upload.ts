// A blob into a registry. Small ones (a config, a layer that compresses to
// less than one chunk) go monolithically: POST for a location, PUT with
// the bytes and their digest. Layers are gzip-compressed as they stream
// out of the store (the registry's copy is compressed, the store's is not)
// and sent in chunks, PATCH with Content-Range, the next chunk compressed
// while the last one travels; a final PUT names the digest, known only
// once the last byte has been hashed.
//
// A push is bound by compression long before a loopback link is, so the
// tar is cut into 1 MiB pieces, each its own gzip member (a gzip file may
// be several: Go's, zlib's and pigz's readers read them as one), several
// compressed at once on libuv's threads with zlib's fastest level. Data
// that does not compress (already compressed files, random bytes) is
// stored instead, as deflate would end up doing after all its searching:
// a piece whose first 64 KiB level 1 shrinks by less than 2% is stored.
// The choice depends only on the piece, so the same layer always gives
// the same blob.

import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
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
  const gzip = compressed(counted());
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
    for await (const buf of gzip) {
      if (signal?.aborted) throw signal.reason;
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

/** Input bytes per gzip member. */
const pieceSize = 1 << 20;
/** Pieces of one layer compressed at once. */
const piecesAtOnce = 3;
/** What of a piece is tried first, to tell whether it compresses. */
const sampleSize = 64 << 10;
/** Level 1 output above this share of its input: the data does not compress. */
const incompressible = 0.98;

const gzipPiece = promisify(zlib.gzip);
const deflateSample = promisify(zlib.deflateRaw);

/** The gzip members of a tar, in order (see the top of this file). */
async function* compressed(tar: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const queue: Array<Promise<Buffer>> = [];
  for await (const piece of pieces(tar, pieceSize)) {
    const next = compressPiece(piece);
    // Pieces still queued when the upload fails are dropped, their outcome with them.
    next.catch(() => undefined);
    queue.push(next);
    if (queue.length >= piecesAtOnce) yield await queue.shift()!;
  }
  while (queue.length > 0) yield await queue.shift()!;
}

async function compressPiece(piece: Buffer): Promise<Buffer> {
  const sample = piece.subarray(0, sampleSize);
  const tried = await deflateSample(sample, { level: 1 });
  return gzipPiece(piece, { level: tried.length >= sample.length * incompressible ? 0 : 1 });
}

/** The bytes of `chunks` cut into pieces of `size` (the last one shorter; at least one piece, so even no bytes make a gzip file). */
async function* pieces(chunks: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let length = 0;
  let cutAny = false;
  for await (let chunk of chunks) {
    while (length + chunk.length >= size) {
      const cut = size - length;
      yield Buffer.concat([...pending, chunk.subarray(0, cut)], size);
      cutAny = true;
      pending = [];
      length = 0;
      chunk = chunk.subarray(cut);
    }
    if (chunk.length > 0) {
      pending.push(chunk);
      length += chunk.length;
    }
  }
  if (length > 0 || !cutAny) yield Buffer.concat(pending, length);
}
