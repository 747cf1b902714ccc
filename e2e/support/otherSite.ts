// Another web site on this machine: a server on another port of 127.0.0.1,
// as a dev server or a notebook a user opens would be. Its page may try
// anything a browser lets a page do against the Strata host.

import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OtherSite {
  readonly url: string;
  close(): Promise<void>;
}

export async function serveOtherSite(page: string): Promise<OtherSite> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
