// A reverse proxy in front of a test registry that drops the connection in
// the middle of a blob: the first GET of each blob (without a Range header)
// is cut after `dropAfter` bytes; or that slows blobs to `bytesPerSecond`,
// so a pull can be watched. It records every request, so a test can see
// that the client came back with a Range.

import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  range?: string;
}

export interface FlakyProxy {
  host: string;
  seen: SeenRequest[];
  /** Blobs whose transfer was cut. */
  dropped: string[];
  stop(): Promise<void>;
}

export async function startFlakyProxy(target: string, opts: { dropAfter?: number; bytesPerSecond?: number }): Promise<FlakyProxy> {
  const dropAfter = opts.dropAfter ?? Number.MAX_SAFE_INTEGER;
  const [targetHost, targetPort] = target.split(':');
  const seen: SeenRequest[] = [];
  const dropped: string[] = [];
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    const range = typeof req.headers.range === 'string' ? req.headers.range : undefined;
    seen.push({ method: req.method ?? 'GET', path, ...(range ? { range } : {}) });
    const blob = /\/blobs\/(sha256:[0-9a-f]{64})$/.exec(path)?.[1];
    const cut = req.method === 'GET' && blob !== undefined && !range && !dropped.includes(blob) && opts.dropAfter !== undefined;
    const slow = req.method === 'GET' && blob !== undefined && opts.bytesPerSecond !== undefined;
    const upstream = http.request({ host: targetHost, port: Number(targetPort), method: req.method, path, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      if (slow) {
        up.pause();
        up.on('data', (chunk: Buffer) => {
          res.write(chunk);
          up.pause();
          setTimeout(() => up.resume(), (chunk.length / opts.bytesPerSecond!) * 1000);
        });
        up.on('end', () => res.end());
        up.resume();
        return;
      }
      if (!cut || up.statusCode !== 200) {
        up.pipe(res);
        return;
      }
      let sent = 0;
      up.on('data', (chunk: Buffer) => {
        if (sent >= dropAfter) return;
        const part = chunk.subarray(0, Math.max(0, dropAfter - sent));
        sent += part.length;
        res.write(part);
        if (sent >= dropAfter) {
          dropped.push(blob!);
          up.destroy();
          // Flush what was written, then drop the connection without ending the response.
          res.socket?.end(() => res.socket?.destroy());
        }
      });
      up.on('end', () => res.end());
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    seen,
    dropped,
    stop: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
