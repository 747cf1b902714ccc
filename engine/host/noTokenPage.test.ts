// A browser opening the app without its token gets a page saying how to get
// a valid link; every other request without it stays a bare 403.

import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineHandlers } from './session';
import { noTokenFile } from './noTokenPage';
import { startHost, type Host } from './server';

let site: string;
let host: Host;
beforeAll(async () => {
  site = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-notoken-'));
  fs.mkdirSync(path.join(site, 'assets'));
  fs.writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>the app</title>');
  fs.writeFileSync(path.join(site, 'assets', 'app.js'), 'console.log("app")');
  // The real page, as the build puts it beside index.html.
  fs.copyFileSync(path.join(__dirname, '..', '..', 'renderer', 'public', noTokenFile), path.join(site, noTokenFile));
  host = await startHost({ engine: { requests: {}, streams: {} } as unknown as EngineHandlers, rendererDir: site, port: 0 });
});
afterAll(async () => {
  await host?.close();
  fs.rmSync(site, { recursive: true, force: true });
});

function request(p: string, opts: { method?: string; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: host.port, path: p, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the page for a link without a valid token', () => {
  it('answers the app’s address without the token, or with a wrong one, with a page that says how to get a valid link', async () => {
    for (const p of ['/', '/index.html', `/?token=${host.token.slice(1)}x`]) {
      const r = await request(p);
      expect(r.status, p).toBe(403);
      expect(r.headers['content-type'], p).toBe('text/html; charset=utf-8');
      expect(r.body, p).toContain('This link needs its access token');
      expect(r.body, p).toContain('strata gui --browser');
      expect(r.body, p).not.toContain(host.token);
      expect(r.body, p).not.toContain('the app</title>');
      // Held to the renderer's own policy: no script may run in it.
      expect(String(r.headers['content-security-policy'])).toContain("script-src 'self'");
    }
  });

  it('answers any top-level document a browser asks for, so an in-app link without the token gets it too', async () => {
    const r = await request('/containers/abc', { headers: { 'sec-fetch-dest': 'document' } });
    expect(r.status).toBe(403);
    expect(r.body).toContain('This link needs its access token');
  });

  it('keeps every other refusal bare: assets, downloads, other methods', async () => {
    for (const [p, method] of [['/assets/app.js', 'GET'], ['/download/image.save', 'GET'], ['/', 'POST'], [`/${noTokenFile}x`, 'GET']]) {
      const r = await request(p, { method });
      expect(r.status, `${method} ${p}`).toBe(403);
      expect(r.body, `${method} ${p}`).toBe('');
    }
    const head = await request('/', { method: 'HEAD' });
    expect(head.status).toBe(403);
    expect(head.body).toBe('');
  });
});
