// What a person sees who opens the app's address without a valid token (an
// address without it, a bookmark of an earlier run): a page that says how to
// get one, instead of the browser's bare "HTTP ERROR 403". It is a static
// file of the built renderer (renderer/public/no-token.html) that loads
// nothing else, so it says the same however the token travels, and serving
// it to anyone gives nothing away. Anything else without the token stays a
// bare 403.

import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const noTokenFile = 'no-token.html';

/** A browser opening the app itself: GET (or HEAD) of / or /index.html, or any request for a top-level document. */
export function isAppNavigation(req: IncomingMessage, url: URL): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  return url.pathname === '/' || url.pathname === '/index.html' || req.headers['sec-fetch-dest'] === 'document';
}

/** 403 with the page, under the renderer's own strict headers; a bare 403 when the renderer has no such page. */
export function refuseWithPage(req: IncomingMessage, res: ServerResponse, rendererDir: string, headers: Record<string, string>): void {
  let page: Buffer;
  try {
    page = fs.readFileSync(path.join(rendererDir, noTokenFile));
  } catch {
    res.writeHead(403, { 'Content-Length': '0', 'Cache-Control': 'no-store' });
    res.end();
    return;
  }
  res.writeHead(403, { ...headers, 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(page.length) });
  res.end(req.method === 'HEAD' ? undefined : page);
}
