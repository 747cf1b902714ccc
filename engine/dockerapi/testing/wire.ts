// Talking to the Docker API over its unix socket the way clients do, for
// tests that check the wire itself: status lines, headers, bodies, the
// upgrade to a raw stream and what flows on it.

import http from 'node:http';
import net from 'node:net';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  json<T = unknown>(): T;
}

export function request(socketPath: string, method: string, path: string, opts: { body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, method, path, headers: { Host: 'docker', ...(opts.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body.toString()) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

export interface RawStream {
  /** The status line and headers, as sent. */
  head: string;
  socket: net.Socket;
  /** Everything read after the head until the connection ended. */
  rest(): Promise<Buffer>;
}

/** Sends a request with `Connection: Upgrade` and reads the answer's head; the socket then carries the raw stream. */
export function upgrade(socketPath: string, method: string, path: string, body = ''): Promise<RawStream> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    let buf = Buffer.alloc(0);
    const after: Buffer[] = [];
    let ended = false;
    const waiters: ((b: Buffer) => void)[] = [];
    socket.on('error', reject);
    socket.on('end', () => {
      ended = true;
      for (const w of waiters.splice(0)) w(Buffer.concat(after));
    });
    const onHead = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onHead);
      socket.on('data', (c: Buffer) => after.push(c));
      if (buf.length > end + 4) after.push(buf.subarray(end + 4));
      resolve({
        head: buf.subarray(0, end).toString(),
        socket,
        rest: () => (ended ? Promise.resolve(Buffer.concat(after)) : new Promise((r) => waiters.push(r))),
      });
    };
    socket.on('data', onHead);
    socket.write(
      `${method} ${path} HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });
}

/** Splits a multiplexed stream into its frames: [stream byte, payload]. */
export function demux(bytes: Buffer): { stream: number; data: string }[] {
  const frames: { stream: number; data: string }[] = [];
  let at = 0;
  while (at + 8 <= bytes.length) {
    const size = bytes.readUInt32BE(at + 4);
    frames.push({ stream: bytes[at], data: bytes.subarray(at + 8, at + 8 + size).toString() });
    at += 8 + size;
  }
  return frames;
}
