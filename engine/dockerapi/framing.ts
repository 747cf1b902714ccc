// The bytes of a container's output on the wire. With a tty there is one
// stream and it goes as it is. Without one, stdout and stderr share the
// connection in moby's stdcopy frames: 1 byte stream (0 stdin, 1 stdout,
// 2 stderr), 3 zero bytes, a 4-byte big-endian length, then the payload.

import { compareVersions } from './versions';

export const rawStream = 'application/vnd.docker.raw-stream';
export const multiplexedStream = 'application/vnd.docker.multiplexed-stream';

const streamByte = { stdin: 0, stdout: 1, stderr: 2 } as const;

export function frame(stream: keyof typeof streamByte, data: Uint8Array): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt8(streamByte[stream], 0);
  header.writeUInt32BE(data.length, 4);
  return Buffer.concat([header, data]);
}

/** What a stream of container output is labelled: API 1.42 named the framed kind; 1.41 calls both raw. */
export function outputContentType(version: string, tty: boolean): string {
  return !tty && compareVersions(version, '1.42') >= 0 ? multiplexedStream : rawStream;
}

/** One piece of output as the wire carries it for this connection. */
export function outputBytes(tty: boolean, stream: 'stdout' | 'stderr', data: Uint8Array): Uint8Array {
  return tty ? data : frame(stream, data);
}
