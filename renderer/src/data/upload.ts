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
 * Bytes of the file per piece. As base64 (4 characters for 3 bytes) 64 KiB
 * is 87,384 characters: with the rest of its message, well under the
 * longest message the host takes (maxMessageBytes, 128 KiB).
 */
export const pieceBytes = 64 << 10;
const window = 4 << 20;

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
      for (let at = 0; at < file.size; at += pieceBytes) {
        await roomAhead();
        if (finished) return;
        const piece = file.slice(at, at + pieceBytes);
        const data = await pieceData(piece);
        if (finished) return;
        sent += piece.size;
        // Base64 text where the browser made it (see pieceData): what the byte schema takes across JSON bridges.
        stream.send({ data: data as Uint8Array });
      }
      stream.send({ end: true });
    })().catch((err: Error) => {
      stream.close();
      fail(err);
    });
  });
  return { done, cancel: () => cancel() };
}

/**
 * A piece's bytes as the wire carries them. In a browser, base64 text made
 * by the browser itself (FileReader's data URL): the engine's byte schema
 * takes base64 text across JSON bridges and decodes it natively, where
 * encoding and decoding byte by byte in JavaScript would take most of an
 * upload's time. Elsewhere (Node), the bytes.
 */
function pieceData(piece: Blob): Promise<Uint8Array | string> {
  if (typeof FileReader === 'undefined') return piece.arrayBuffer().then((b) => new Uint8Array(b));
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsDataURL(piece);
  });
}
