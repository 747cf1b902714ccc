// The frame protocol between the engine and strata-shim's monitor (and exec
// shim): 1 byte type, 4 bytes big-endian length, payload. The same frames run
// over the socket handed to the shim at start and over run/<id>/attach.sock.

import type { StdioInput, StdioMessage } from '../api';

export const enum FrameType {
  Stdin = 0,
  Stdout = 1,
  Stderr = 2,
  Exit = 3,
  Resize = 4,
  CloseStdin = 5,
}

export function encodeInput(input: StdioInput): Buffer {
  if ('data' in input) return frame(FrameType.Stdin, Buffer.from(input.data));
  if ('resize' in input) {
    const p = Buffer.alloc(4);
    p.writeUInt16BE(Math.max(0, Math.min(65535, input.resize.rows)), 0);
    p.writeUInt16BE(Math.max(0, Math.min(65535, input.resize.cols)), 2);
    return frame(FrameType.Resize, p);
  }
  return frame(FrameType.CloseStdin, Buffer.alloc(0));
}

function frame(type: FrameType, payload: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt8(type, 0);
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

/** Splits a byte stream from the shim into messages, across chunk boundaries. */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): StdioMessage[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: StdioMessage[] = [];
    while (this.pending.length >= 5) {
      const len = this.pending.readUInt32BE(1);
      if (this.pending.length < 5 + len) break;
      const type = this.pending.readUInt8(0);
      const payload = this.pending.subarray(5, 5 + len);
      this.pending = this.pending.subarray(5 + len);
      if (type === FrameType.Stdout) out.push({ stream: 'stdout', data: payload });
      else if (type === FrameType.Stderr) out.push({ stream: 'stderr', data: payload });
      else if (type === FrameType.Exit) out.push({ exit: payload.readInt32BE(0) });
    }
    return out;
  }
}
