// The browser host against a real engine in a temporary root: who gets in,
// what it serves, and the websocket protocol end to end through the
// renderer's own transport (run here with the `ws` package's WebSocket).

import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createRemoteClient } from '../../renderer/src/transport/client';
import { websocketPort, type SocketLike } from '../../renderer/src/transport/websocket';
import type { StdioMessage } from '../api';
import { EngineError } from '../errors';
import type { StreamHandlers } from '../rpc/dispatch';
import { tempEngine, type TempEngine } from '../testing/tempEngine';
import { saveStreamToFile } from './byteStream';
import { startHost, type Host } from './server';

let te: TempEngine;
let host: Host;
let site: string;
let streamsClosed = 0;

beforeAll(async () => {
  te = await tempEngine();
  site = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-site-'));
  fs.mkdirSync(path.join(site, 'assets'));
  fs.writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>strata test page</title>');
  fs.writeFileSync(path.join(site, 'assets', 'app.js'), 'console.log("app")');
  fs.symlinkSync('/etc/passwd', path.join(site, 'assets', 'escape.js'));
  // The engine's own handlers, counting the streams the host closes.
  const engine = te.client.engine;
  const streams = Object.fromEntries(
    Object.entries(engine.streams).map(([name, open]) => [
      name,
      (arg: never, cb: never) => {
        const h = (open as (a: never, c: never) => { send(i: never): void; close(): void })(arg, cb);
        return { send: (i: never) => h.send(i), close: () => (streamsClosed++, h.close()) };
      },
    ]),
  ) as unknown as StreamHandlers;
  host = await startHost({ engine: { requests: engine.requests, streams }, rendererDir: site, port: 0 });
});

afterAll(async () => {
  await host?.close();
  await te?.dispose();
  if (site) fs.rmSync(site, { recursive: true, force: true });
});

function get(pathAndQuery: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: host.port, path: pathAndQuery, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

const cookieOf = (h: http.IncomingHttpHeaders) => (h['set-cookie']?.[0] ?? '').split(';')[0];

function client(url = `ws://127.0.0.1:${host.port}/ws?token=${host.token}`) {
  const port = websocketPort(url, { WebSocket: WebSocket as unknown as new (url: string) => SocketLike, firstAttempts: 1 });
  return { port, client: createRemoteClient(port) };
}

function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

describe('browser host: access', () => {
  it('prints a 127.0.0.1 URL with a long random token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('gives a request without the token, or with a wrong one, a bare 403', async () => {
    for (const p of ['/', '/index.html', '/assets/app.js', `/?token=${host.token.slice(1)}x`, '/download/container.logs']) {
      const r = await get(p);
      expect(r.status, p).toBe(403);
      expect(r.body, p).toBe('');
    }
  });

  it('serves the page with the token, and its assets with the cookie it set', async () => {
    const page = await get(`/?token=${host.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('strata test page');
    const cookie = cookieOf(page.headers);
    expect(page.headers['set-cookie']?.[0]).toMatch(/HttpOnly; SameSite=Strict/);
    const asset = await get('/assets/app.js', { cookie });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
    expect(asset.body).toBe('console.log("app")');
    expect((await get('/assets/app.js', { 'x-strata-token': host.token })).status).toBe(200);
  });

  it('holds the page to a strict policy and lets no other origin read it', async () => {
    const { headers } = await get(`/?token=${host.token}`, { origin: 'http://evil.example' });
    const csp = String(headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${host.port}`);
    expect(csp).not.toMatch(/unsafe-eval/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers only to its own name (no DNS rebinding)', async () => {
    const r = await get(`/?token=${host.token}`, { host: `evil.example:${host.port}` });
    expect(r.status).toBe(403);
    expect((await get(`/?token=${host.token}`, { host: `localhost:${host.port}` })).status).toBe(200);
  });

  it('never serves a file outside the renderer folder', async () => {
    const auth = { 'x-strata-token': host.token };
    for (const p of ['/../../../../etc/passwd', '/..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/escape.js', '/assets/nothing.js', '/etc/hostname.txt']) {
      const r = await get(p, auth);
      expect(r.body, p).not.toContain('root:');
      // Either nothing, or (for extension-less paths the URL parser folded into the folder) the app itself.
      if (r.status !== 404) expect(r.body, p).toContain('strata test page');
    }
    expect((await get('/assets/escape.js', auth)).status).toBe(404);
    // An in-app route with no extension is the app itself.
    expect((await get('/containers/abc', auth)).body).toContain('strata test page');
  });

  it('upgrades the websocket only with the token and from its own origin', async () => {
    const base = `ws://127.0.0.1:${host.port}/ws`;
    expect(await upgradeStatus(base)).toBe(403);
    expect(await upgradeStatus(`${base}?token=nope`)).toBe(403);
    expect(await upgradeStatus(`${base}?token=${host.token}`, { origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(`ws://127.0.0.1:${host.port}/other?token=${host.token}`)).toBe(403);
    expect(await upgradeStatus(`${base}?token=${host.token}`, { origin: `http://127.0.0.1:${host.port}` })).toBe(101);
    const page = await get(`/?token=${host.token}`);
    expect(await upgradeStatus(base, { cookie: cookieOf(page.headers) })).toBe(101);
  });
});

describe('browser host: the engine over the websocket', () => {
  it('answers a call with its result, and refuses bad ones with the engine kind', async () => {
    const { port, client: c } = client();
    await port.ready;
    const info = await c.call('system.info', {});
    expect(info.root).toBe(te.root);
    const missing = await c.call('container.inspect', { id: 'no-such-container' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(EngineError);
    expect(missing).toMatchObject({ code: 'NotFound' });
    await expect(c.call('image.list', { all: 'yes' } as never)).rejects.toMatchObject({ code: 'InvalidArgument', message: expect.stringContaining('all') });
    await expect(c.call('no.such.request' as never, {} as never)).rejects.toMatchObject({ code: 'InvalidArgument' });
    port.dispose();
  });

  it('streams a container: bytes in through send, bytes out as Uint8Array, then its exit and end', async () => {
    const { port, client: c } = client();
    await port.ready;
    const { id } = await c.call('container.create', { image: te.image, cmd: ['cat'], openStdin: true });
    const out: Uint8Array[] = [];
    let exit = -1;
    const ended = new Promise<unknown>((resolve) => {
      const h = c.open('container.startAttached', { id, stdin: true }, {
        onMessage(m: StdioMessage) {
          if ('exit' in m) exit = m.exit;
          else {
            expect(m.data).toBeInstanceOf(Uint8Array);
            out.push(m.data);
            h.send({ closeStdin: true });
          }
        },
        onEnd: resolve,
      });
      h.send({ data: new TextEncoder().encode('ping over the wire\n') });
    });
    expect(await ended).toBeUndefined();
    expect(Buffer.concat(out).toString()).toBe('ping over the wire\n');
    expect(exit).toBe(0);
    port.dispose();
  });

  it('ends a stream whose argument is wrong with the error, without opening it', async () => {
    const { port, client: c } = client();
    await port.ready;
    const end = await new Promise((resolve) => c.open('container.logs', { id: 5 } as never, { onMessage() {}, onEnd: resolve }));
    expect(end).toMatchObject({ name: 'EngineError', code: 'InvalidArgument' });
    port.dispose();
  });

  it('closes every stream of a socket when the socket closes', async () => {
    const { port, client: c } = client();
    await port.ready;
    const events: unknown[] = [];
    c.open('events', {}, { onMessage: (e) => events.push(e), onEnd() {} });
    c.open('events', {}, { onMessage() {}, onEnd() {} });
    await c.call('container.create', { image: te.image, cmd: ['true'], name: 'seen-live' });
    await expect.poll(() => events.length).toBeGreaterThan(0);
    const before = streamsClosed;
    port.dispose();
    await expect.poll(() => streamsClosed - before).toBe(2);
  });
});

describe('browser host: downloads', () => {
  it('sends a byte stream as a file, and an unknown object as a 404', async () => {
    const run = await te.run(['echo', 'downloaded bytes']);
    const q = new URLSearchParams({ arg: JSON.stringify({ id: run.id }), filename: '../evil"name.log' });
    const r = await get(`/download/container.logs?${q}`, { 'x-strata-token': host.token });
    expect(r.status).toBe(200);
    expect(r.headers['content-disposition']).toBe(`attachment; filename="evilname.log"; filename*=UTF-8''evilname.log`);
    expect(r.body).toBe('downloaded bytes\n');

    const missing = new URLSearchParams({ arg: JSON.stringify({ id: 'nope' }), filename: 'x' });
    const m = await get(`/download/container.logs?${missing}`, { 'x-strata-token': host.token });
    expect(m.status).toBe(404);
    expect(m.body).toMatch(/nope/);
    expect((await get(`/download/container.logs?${q}`)).status).toBe(403);
  });

  it("writes a byte stream to a file (Electron's Save), and leaves no file when the stream fails", async () => {
    const run = await te.run(['echo', 'saved bytes']);
    const file = path.join(site, 'saved.log');
    await saveStreamToFile(te.client.engine, 'container.logs', { id: run.id }, file);
    expect(fs.readFileSync(file, 'utf8')).toBe('saved bytes\n');

    const missing = path.join(site, 'missing.log');
    await expect(saveStreamToFile(te.client.engine, 'container.logs', { id: 'nope' }, missing)).rejects.toMatchObject({ code: 'NotFound' });
    expect(fs.existsSync(missing)).toBe(false);
    await expect(saveStreamToFile(te.client.engine, 'no.such.stream', {}, missing)).rejects.toMatchObject({ code: 'InvalidArgument' });
    expect(fs.existsSync(missing)).toBe(false);
  });
});

describe('browser host: reconnection', () => {
  const Socket = WebSocket as unknown as new (url: string) => SocketLike;

  it('re-makes a dropped socket: what was in flight fails, what comes after waits and goes through', async () => {
    const first = await startHost({ engine: te.client.engine, rendererDir: site, port: 0 });
    const port = websocketPort(`ws://127.0.0.1:${first.port}/ws?token=${first.token}`, { WebSocket: Socket, retryDelays: [50] });
    const c = createRemoteClient(port);
    await port.ready;
    const statuses: string[] = [];
    c.onStatus((s) => statuses.push(s));
    let ended: unknown;
    c.open('events', {}, { onMessage() {}, onEnd: (e) => (ended = e) });
    await first.close();
    await expect.poll(() => statuses).toEqual(['lost']);
    expect(ended).toMatchObject({ code: 'Unavailable' });

    const held = c.call('system.info', {});
    const second = await startHost({ engine: te.client.engine, rendererDir: site, port: first.port, token: first.token });
    try {
      expect((await held).root).toBe(te.root);
      expect(statuses).toEqual(['lost', 'open']);
    } finally {
      port.dispose();
      await second.close();
    }
  });

  it('gives up a first connection that cannot be made', async () => {
    const port = websocketPort(`ws://127.0.0.1:${host.port}/ws?token=wrong`, { WebSocket: Socket, retryDelays: [10], firstAttempts: 2 });
    await expect(port.ready).rejects.toThrow(/cannot reach the Strata host .*token=…/);
  });
});
