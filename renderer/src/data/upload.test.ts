// An upload's pieces must each fit one websocket message the host takes: a
// bigger one makes the host drop the whole connection, every stream on it.

import { describe, expect, it } from 'vitest';
import { bytesToBase64, encodeMessage, maxMessageBytes } from '../../../engine/host/wire';
import { pieceBytes } from './upload';

describe('upload pieces', () => {
  it('fit one message of the host, sent as the browser sends them (base64 text)', () => {
    const data = bytesToBase64(new Uint8Array(pieceBytes).fill(0xff));
    const message = encodeMessage({ kind: 'send', id: Number.MAX_SAFE_INTEGER, input: { data } });
    expect(new TextEncoder().encode(message).length).toBeLessThanOrEqual(maxMessageBytes);
  });
});
