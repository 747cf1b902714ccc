// An upload's pieces must each fit one websocket message the host takes (a
// bigger one makes the host drop the whole connection, every stream on it),
// and together carry the file's bytes exactly, however a read block ends.

import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, encodeMessage, maxMessageBytes } from '../../../engine/host/wire';
import { pieceBytes, pieces, readBytes } from './upload';

const bytesOf = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7919 + (i >> 8)) & 0xff);

describe('upload pieces', () => {
  it('fit one message of the host, sent as the browser sends them (base64 text)', () => {
    for (const { data } of pieces({ base64: bytesToBase64(bytesOf(readBytes)) })) {
      const message = encodeMessage({ kind: 'send', id: Number.MAX_SAFE_INTEGER, input: { data } });
      expect(new TextEncoder().encode(message).length).toBeLessThanOrEqual(maxMessageBytes);
    }
  });

  it('carry a block’s bytes exactly, each piece base64 of its own, as text or as bytes', () => {
    for (const n of [0, 1, 2, 3, 4, pieceBytes - 1, pieceBytes, pieceBytes + 1, pieceBytes + 2, 5 * pieceBytes + 4, readBytes - 1, readBytes]) {
      const block = bytesOf(n);
      for (const data of [{ base64: bytesToBase64(block) }, { bytes: block }]) {
        const got = [...pieces(data)];
        const decoded = got.map((p) => (typeof p.data === 'string' ? base64ToBytes(p.data) : p.data));
        expect(decoded.map((d) => d.length), `${n}`).toEqual(got.map((p) => p.bytes));
        const joined = new Uint8Array(n);
        decoded.reduce((at, d) => (joined.set(d, at), at + d.length), 0);
        expect(joined.every((b, i) => b === block[i]), `${n}`).toBe(true);
        expect(got.every((p) => p.bytes <= pieceBytes)).toBe(true);
      }
    }
  });
});
