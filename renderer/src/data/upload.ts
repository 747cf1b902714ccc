// Sending a file the person picked to the engine (Load, Import): its bytes go
// over the upload stream in pieces, never as a host path, and at most
// `window` bytes run ahead of what the engine has acknowledged, so neither
// side holds a whole image in memory. Resolves with what the file became.

import type { EngineStreams, UploadInput, UploadMessage } from '../../../engine/api';
import type { EngineClient, StreamCallbacks, StreamHandle } from '../../../engine/rpc/client';
import { EngineError } from '../../../engine/errors';

export type UploadStream = 'image.loadStream' | 'image.importStream';
type Result<K extends UploadStream> = EngineStreams[K]['out'] extends UploadMessage<infer R> ? R : never;

export interface UploadProgress {
  /** Bytes the engine has taken in. */
  received: number;
  total: number;
}

/**
 * Bytes of the file per piece: just under 64 KiB and a multiple of 3, so
 * each piece's base64 (4 characters for 3 bytes, 87,380 of them) stands
 * alone and, with the rest of its message, stays well under the longest
 * message the host takes (maxMessageBytes, 128 KiB).
 */
export const pieceBytes = 3 * 21845;
/** The file is read 16 pieces at a time: a browser's file read costs per call, far more than per byte. */
export const readBytes = 16 * pieceBytes;
const window = 4 << 20;
/** Progress is told at most this many times an upload (a redraw each): every piece would redraw the page 16 times a megabyte. */
const progressSteps = 200;

export function uploadFile<K extends UploadStream>(
  client: EngineClient,
  name: K,
  arg: EngineStreams[K]['arg'],
  file: Blob,
  onProgress: (p: UploadProgress) => void,
): { done: Promise<Result<K>>; cancel(): void } {
  let cancel = () => {};
  const done = new Promise<Result<K>>((resolve, reject) => {
    let sent = 0;
    let received = 0;
    let told = 0;
    let finished = false;
    let waiting: (() => void) | null = null;
    let result: Result<K> | undefined;
    const fail = (err: Error) => {
      if (finished) return;
      finished = true;
      reject(err);
    };
    const callbacks: StreamCallbacks<UploadMessage<Result<K>>> = {
      onMessage(m) {
        if ('received' in m) {
          received = m.received;
          if (received - told >= file.size / progressSteps || received === file.size) {
            told = received;
            onProgress({ received, total: file.size });
          }
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
      for (let at = 0; at < file.size; at += readBytes) {
        const block = await blockData(file.slice(at, at + readBytes));
        for (const piece of pieces(block)) {
          await roomAhead();
          if (finished) return;
          sent += piece.bytes;
          // Base64 text where the browser made it (see blockData): what the byte schema takes across JSON bridges.
          stream.send({ data: piece.data as Uint8Array });
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

/** Bytes as the wire carries them: base64 text, or (outside a browser) the bytes. */
export type BlockData = { base64: string } | { bytes: Uint8Array };

/** A block cut into pieces of pieceBytes (the last one shorter), each with the number of file bytes it holds. */
export function* pieces(block: BlockData): Generator<{ data: string | Uint8Array; bytes: number }> {
  if ('bytes' in block) {
    for (let at = 0; at < block.bytes.length; at += pieceBytes) {
      const data = block.bytes.subarray(at, at + pieceBytes);
      yield { data, bytes: data.length };
    }
    return;
  }
  // Every piece but the last is a multiple of 3 bytes: 4 characters for each 3, no padding inside.
  const chars = (pieceBytes / 3) * 4;
  const text = block.base64;
  for (let at = 0; at < text.length; at += chars) {
    const data = text.slice(at, at + chars);
    const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
    yield { data, bytes: (data.length / 4) * 3 - padding };
  }
}

/**
 * A block's bytes as the wire carries them. In a browser, base64 text made
 * by the browser itself (FileReader's data URL): the engine's byte schema
 * takes base64 text across JSON bridges and decodes it natively, where
 * encoding and decoding byte by byte in JavaScript would take most of an
 * upload's time. Elsewhere (Node), the bytes.
 */
function blockData(block: Blob): Promise<BlockData> {
  if (typeof FileReader === 'undefined') return block.arrayBuffer().then((b) => ({ bytes: new Uint8Array(b) }));
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve({ base64: url.slice(url.indexOf(',') + 1) });
    };
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsDataURL(block);
  });
}
