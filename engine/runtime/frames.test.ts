import { describe, expect, it } from 'vitest';
import { FrameDecoder, encodeInput } from './frames';

const frame = (type: number, payload: Buffer) => {
  const h = Buffer.alloc(5);
  h.writeUInt8(type, 0);
  h.writeUInt32BE(payload.length, 1);
  return Buffer.concat([h, payload]);
};

describe('shim frames', () => {
  it('decodes output and exit across arbitrary chunk boundaries', () => {
    const exit = Buffer.alloc(4);
    exit.writeInt32BE(137, 0);
    const bytes = Buffer.concat([frame(1, Buffer.from('hello\n')), frame(2, Buffer.from('oops')), frame(3, exit)]);
    const d = new FrameDecoder();
    const out = [];
    for (let i = 0; i < bytes.length; i += 3) out.push(...d.push(bytes.subarray(i, i + 3)));
    expect(out.map((m) => ('exit' in m ? m.exit : `${m.stream}:${Buffer.from(m.data).toString()}`))).toEqual([
      'stdout:hello\n',
      'stderr:oops',
      137,
    ]);
  });
  it('encodes stdin, resize and close', () => {
    expect(encodeInput({ data: Buffer.from('ls\n') })).toEqual(frame(0, Buffer.from('ls\n')));
    expect(encodeInput({ resize: { rows: 40, cols: 120 } })).toEqual(frame(4, Buffer.from([0, 40, 0, 120])));
    expect(encodeInput({ closeStdin: true })).toEqual(frame(5, Buffer.alloc(0)));
  });
});
