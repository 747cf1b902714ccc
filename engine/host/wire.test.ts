import { describe, expect, it } from 'vitest';
import { asClientMessage, base64ToBytes, bytesToBase64, decodeMessage, encodeMessage } from './wire';

describe('wire codec', () => {
  it('carries bytes (Uint8Array and Buffer) as base64 and back as Uint8Array', () => {
    const text = encodeMessage({
      kind: 'message',
      id: 3,
      message: { stream: 'stdout', data: Buffer.from('hello\n'), nested: [new Uint8Array([0, 255, 128])] },
    });
    expect(JSON.parse(text).message.data).toEqual({ $bytes: Buffer.from('hello\n').toString('base64') });
    const back = decodeMessage(text) as { message: { data: Uint8Array; nested: Uint8Array[] } };
    expect(back.message.data).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(back.message.data).toString()).toBe('hello\n');
    expect([...back.message.nested[0]]).toEqual([0, 255, 128]);
  });

  it('round-trips every byte value and sizes past one encoding slice', () => {
    const big = new Uint8Array(100_000).map((_, i) => (i * 7) % 256);
    const b64 = bytesToBase64(big);
    expect(b64).toBe(Buffer.from(big).toString('base64'));
    expect(Buffer.from(base64ToBytes(b64)).equals(Buffer.from(big))).toBe(true);
    expect(bytesToBase64(new Uint8Array())).toBe('');
  });

  it('leaves objects that merely look like bytes alone', () => {
    const v = decodeMessage('{"a":{"$bytes":"aGk=","x":1},"b":{"$bytes":5}}') as Record<string, unknown>;
    expect(v.a).toEqual({ $bytes: 'aGk=', x: 1 });
    expect(v.b).toEqual({ $bytes: 5 });
  });

  it('refuses malformed JSON and messages of the wrong shape', () => {
    expect(() => decodeMessage('{')).toThrow();
    expect(asClientMessage({ kind: 'call', id: 1, name: 'system.info', arg: {} })).toBeDefined();
    expect(asClientMessage({ kind: 'call', id: '1', name: 'system.info' })).toBeUndefined();
    expect(asClientMessage({ kind: 'open', id: 1 })).toBeUndefined();
    expect(asClientMessage({ kind: 'result', id: 1 })).toBeUndefined();
    expect(asClientMessage(null)).toBeUndefined();
  });
});
