// The browser host against a real engine in a temporary root: who gets in,
// what it serves, and the websocket protocol end to end through the
// renderer's own transport (run here with the `ws` package's WebSocket).
// A page of another site in a real browser is e2e/security.spec.ts.

import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createRemoteClient, type RemoteClient } from '../../renderer/src/transport/client';
import { websocketPort, type SocketLike } from '../../renderer/src/transport/websocket';
import type { StdioMessage } from '../api';
import { EngineError } from '../errors';
import type { StreamHandlers } from '../rpc/dispatch';
import { dispatchStream } from '../rpc/dispatch';
import { hostPathRequests, tracesIn } from '../testing/hostPaths';
import { tempEngine, type TempEngine } from '../testing/tempEngine';
import { saveStreamToFile } from './byteStream';
import { startHost, type Host } from './server';
import { socketLimits } from './sockets';
import { handshakeProtocols } from './wire';

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
        const h = (open as (a: never, c: never) => { send(i: never): void; close(): void; pause?(): void; resume?(): void })(arg, cb);
        return { send: (i: never) => h.send(i), close: () => (streamsClosed++, h.close()), pause: () => h.pause?.(), resume: () => h.resume?.() };
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

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function request(method: string, pathAndQuery: string, headers: Record<string, string> = {}, port = host.port): Promise<Reply> {
  return new Promise((resolve, reject) => {
    // A connection of its own each time (no keep-alive pool), so every request meets the host's checks anew.
    const req = http.request({ host: '127.0.0.1', port, method, path: pathAndQuery, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const get = (p: string, headers: Record<string, string> = {}) => request('GET', p, headers);
const Socket = WebSocket as unknown as new (url: string, protocols?: string[]) => SocketLike;

function client(target: Host = host, protocols = handshakeProtocols(target.token)) {
  const port = websocketPort(`ws://127.0.0.1:${target.port}/ws`, { WebSocket: Socket, protocols, firstAttempts: 1 });
  return { port, client: createRemoteClient(port) };
}

function upgrade(url: string, protocols: string[] = [], headers: Record<string, string> = {}): Promise<{ status: number; protocol?: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, protocols, { headers });
    ws.on('open', () => {
      resolve({ status: 101, protocol: ws.protocol });
      ws.close();
    });
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.on('error', () => resolve({ status: -1 }));
  });
}

/** Runs a command in a new container to its end; resolves to its id. */
async function ran(cmd: string[]): Promise<string> {
  return (await te.run(cmd)).id;
}

describe('browser host: access', () => {
  it('prints a 127.0.0.1 URL with a long random token in its fragment, which no request carries', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('serves the app itself to its own page, with no token and never a cookie', async () => {
    for (const p of ['/', '/index.html', `/?token=${host.token}`]) {
      const page = await get(p, { 'sec-fetch-site': 'none' });
      expect(page.status, p).toBe(200);
      expect(page.body.toString()).toContain('strata test page');
      expect(page.headers['set-cookie'], p).toBeUndefined();
    }
    const asset = await get('/assets/app.js', { 'sec-fetch-site': 'same-origin', origin: `http://127.0.0.1:${host.port}` });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
    expect(asset.body.toString()).toBe('console.log("app")');
  });

  it('refuses every request a page of another site or port makes, whatever it carries', async () => {
    const other = 'http://127.0.0.1:1';
    for (const headers of [
      { origin: other },
      { origin: 'null' },
      { origin: `http://localhost:${host.port + 1}` },
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site', cookie: `strata_token_${host.port}=${host.token}` },
    ]) {
      for (const p of ['/', '/assets/app.js', '/download/anything', '/ws']) {
        const r = await get(p, headers);
        expect(r.status, `${p} ${JSON.stringify(headers)}`).toBe(403);
        expect(r.body.length).toBe(0);
      }
    }
  });

  it('holds the page to a strict policy and lets no other origin read it', async () => {
    const { headers } = await get('/');
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
    expect((await get('/', { host: `evil.example:${host.port}` })).status).toBe(403);
    expect((await get('/', { host: `localhost:${host.port}` })).status).toBe(200);
  });

  it('does nothing but GET and HEAD', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      expect((await request(method, '/download/x')).status, method).toBe(405);
      expect((await request(method, '/')).status, method).toBe(405);
    }
    expect((await request('HEAD', '/')).status).toBe(200);
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const p of ['/../../../../etc/passwd', '/..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/escape.js', '/assets/nothing.js', '/etc/hostname.txt']) {
      const r = await get(p);
      expect(r.body.toString(), p).not.toContain('root:');
      // Either nothing, or (for extension-less paths the URL parser folded into the folder) the app itself.
      if (r.status !== 404) expect(r.body.toString(), p).toContain('strata test page');
    }
    expect((await get('/assets/escape.js')).status).toBe(404);
    // An in-app route with no extension is the app itself.
    expect((await get('/containers/abc')).body.toString()).toContain('strata test page');
  });

  it('opens the websocket only to its own page offering the token as a subprotocol, and never echoes it', async () => {
    const base = `ws://127.0.0.1:${host.port}/ws`;
    const own = { origin: `http://127.0.0.1:${host.port}`, 'sec-fetch-site': 'same-origin' };
    const token = handshakeProtocols(host.token);
    expect(await upgrade(base, token, own)).toEqual({ status: 101, protocol: 'strata' });
    expect(await upgrade(base, token)).toEqual({ status: 101, protocol: 'strata' });
    expect((await upgrade(base)).status).toBe(403);
    expect((await upgrade(`${base}?token=${host.token}`, [], own)).status).toBe(403);
    expect((await upgrade(base, ['strata', 'strata.token.nope'], own)).status).toBe(403);
    expect((await upgrade(base, [`strata.token.${host.token}`], own)).status).toBe(403);
    expect((await upgrade(base, token, { origin: `http://127.0.0.1:${host.port + 1}` })).status).toBe(403);
    expect((await upgrade(base, token, { 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await upgrade(base, token, { host: `evil.example:${host.port}` })).status).toBe(403);
    expect((await upgrade(base, [], { cookie: `strata_token_${host.port}=${host.token}` })).status).toBe(403);
    expect((await upgrade(`ws://127.0.0.1:${host.port}/other`, token)).status).toBe(404);
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

  it('refuses every request that names a host path or the engine’s standard input, under any name, and does none of it', async () => {
    const dir = path.join(site, 'host-paths');
    const { port, client: c } = client();
    await port.ready;
    const containers = (await c.call('container.list', { all: true })).length;
    for (const r of hostPathRequests(dir)) {
      const error =
        r.kind === 'call'
          ? await c.call(r.name as never, r.arg as never).then(() => undefined, (e: unknown) => e)
          : await new Promise((resolve) => c.open(r.name as never, r.arg as never, { onMessage() {}, onEnd: resolve }));
      const label = `${r.name} ${JSON.stringify(r.arg)}`;
      expect(error, label).toMatchObject({ code: 'InvalidArgument', message: expect.stringMatching(r.refusal) });
      expect((error as Error).message, label).not.toContain('first-line-of-a-host-file');
    }
    expect(tracesIn(dir)).toEqual([]);
    expect((await c.call('container.list', { all: true })).length).toBe(containers);
    port.dispose();
  });
});

/** Runs `cmd` in a running container through the host, gathering stdout; `stall` pauses the reading socket once. */
async function execThroughHost(c: RemoteClient, id: string, cmd: string[], stall?: () => Promise<void>) {
  let bytes = 0;
  let exit = -1;
  let stalled = false;
  const end = await new Promise((resolve) =>
    c.open('container.exec', { id, cmd }, {
      onMessage(m: StdioMessage) {
        if ('exit' in m) exit = m.exit;
        else bytes += m.data.length;
        if (stall && !stalled && bytes > 1 << 20) {
          stalled = true;
          void stall();
        }
      },
      onEnd: resolve,
    }),
  );
  return { end, bytes, exit };
}

describe('browser host: output of any size', () => {
  const size = 50 * 1024 * 1024;

  it('carries an exec that prints 50 MB whole, as the command line does', async () => {
    const { port, client: c } = client();
    await port.ready;
    const { id } = await c.call('container.create', { image: te.image, cmd: ['sleep', '600'] });
    await c.call('container.start', { id });
    expect(await execThroughHost(c, id, ['head', '-c', String(size), '/dev/zero'])).toEqual({ end: undefined, bytes: size, exit: 0 });
    port.dispose();
  });

  it('waits for a reader that stops reading for a while, and loses nothing', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, handshakeProtocols(host.token));
    const port = websocketPort('unused', { WebSocket: (function () { return ws; }) as unknown as typeof Socket, firstAttempts: 1 });
    const c = createRemoteClient(port);
    await port.ready;
    const { id } = await c.call('container.create', { image: te.image, cmd: ['sleep', '600'] });
    await c.call('container.start', { id });
    const raw = (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    const stall = async () => {
      raw.pause();
      await new Promise((r) => setTimeout(r, 3000));
      raw.resume();
    };
    expect(await execThroughHost(c, id, ['head', '-c', String(size), '/dev/zero'], stall)).toEqual({ end: undefined, bytes: size, exit: 0 });
    port.dispose();
  });
});

describe('browser host: downloads', () => {
  it('sends a byte stream as a file, once, for a ticket asked for over the websocket', async () => {
    const id = await ran(['echo', 'downloaded bytes']);
    const { port, client: c } = client();
    await port.ready;
    const href = await c.download('container.logs', { id }, '../evil"name.log');
    expect(href).toMatch(/^\/download\/[A-Za-z0-9_-]{32}$/);
    const r = await get(href, { 'sec-fetch-site': 'same-origin' });
    expect(r.status).toBe(200);
    expect(r.headers['content-disposition']).toBe(`attachment; filename="evilname.log"; filename*=UTF-8''evilname.log`);
    expect(r.body.toString()).toBe('downloaded bytes\n');
    expect((await get(href)).status).toBe(404);

    const missing = await c.download('container.logs', { id: 'nope' }, 'x');
    const m = await get(missing);
    expect(m.status).toBe(404);
    expect(m.body.toString()).toMatch(/nope/);
    port.dispose();
  });

  it('voids the tickets of a connection that went, and any address that is not a ticket', async () => {
    const id = await ran(['echo', 'x']);
    const { port, client: c } = client();
    await port.ready;
    const href = await c.download('container.logs', { id }, 'x.log');
    port.dispose();
    await expect.poll(() => host.connections).toBe(0);
    expect((await get(href)).status).toBe(404);
    // The old form: a stream and its argument in the address.
    const q = new URLSearchParams({ arg: JSON.stringify({ id: 'x', cmd: ['touch', '/pwned'] }) });
    expect((await get(`/download/container.exec?${q}`)).status).toBe(404);
    expect((await get(`/download/container.logs?arg=${encodeURIComponent(JSON.stringify({ id }))}`)).status).toBe(404);
  });

  it('gives no ticket for what is not a byte stream, nor for a host path', async () => {
    const { port, client: c } = client();
    await port.ready;
    for (const [name, arg] of [
      ['container.exec', { id: 'x', cmd: ['touch', '/pwned'] }],
      ['container.startAttached', { id: 'x' }],
      ['container.attach', { id: 'x' }],
      ['image.build', { context: '-' }],
      ['events', {}],
      ['container.create', { image: 'starter', cmd: ['id'] }],
      ['container.remove', { id: 'x', force: true }],
      ['image.saveFile', { refs: ['x'], path: '/tmp/x.tar' }],
    ] as const) {
      await expect(c.download(name as never, arg, 'x'), name).rejects.toMatchObject({ code: 'InvalidArgument', message: `${name} is not a byte stream: it cannot be downloaded` });
    }
    port.dispose();
  });

  it("writes a byte stream to a file (Electron's Save), and leaves no file when the stream fails", async () => {
    const id = await ran(['echo', 'saved bytes']);
    const streams = te.client.engine.streams;
    const file = path.join(site, 'saved.log');
    await saveStreamToFile((cb) => dispatchStream(streams, 'container.logs', { id }, cb), file);
    expect(fs.readFileSync(file, 'utf8')).toBe('saved bytes\n');

    const missing = path.join(site, 'missing.log');
    await expect(saveStreamToFile((cb) => dispatchStream(streams, 'container.logs', { id: 'nope' }, cb), missing)).rejects.toMatchObject({ code: 'NotFound' });
    expect(fs.existsSync(missing)).toBe(false);
    await expect(saveStreamToFile((cb) => dispatchStream(streams, 'no.such.stream', {}, cb), missing)).rejects.toMatchObject({ code: 'InvalidArgument' });
    expect(fs.existsSync(missing)).toBe(false);
  });
});

describe('browser host: limits', () => {
  it('takes a few connections at once, and another once one went', async () => {
    const small = await startHost({ engine: te.client.engine, rendererDir: site, limits: { ...socketLimits, connections: 2 } });
    try {
      const a = client(small);
      const b = client(small);
      await Promise.all([a.port.ready, b.port.ready]);
      const base = `ws://127.0.0.1:${small.port}/ws`;
      expect((await upgrade(base, handshakeProtocols(small.token))).status).toBe(503);
      a.port.dispose();
      await expect.poll(() => small.connections).toBe(1);
      const c = client(small);
      await c.port.ready;
      expect((await c.client.call('system.info', {})).root).toBe(te.root);
      b.port.dispose();
      c.port.dispose();
    } finally {
      await small.close();
    }
  });

  it('holds at most 64 HTTP connections at once, and serves again once they went', async () => {
    const idle = await Promise.all(
      Array.from({ length: 64 }, () => new Promise<net.Socket>((resolve) => {
        const c = net.connect(host.port, '127.0.0.1', () => resolve(c));
      })),
    );
    try {
      await expect.poll(() => get('/').then((r) => String(r.status), (e: NodeJS.ErrnoException) => e.code)).toMatch(/ECONNRESET|EPIPE/);
    } finally {
      for (const c of idle) c.destroy();
    }
    await expect.poll(() => get('/').then((r) => String(r.status), (e: NodeJS.ErrnoException) => e.code)).toBe('200');
  });

  it('closes a connection that sends a message bigger than the app ever does, and serves the others', async () => {
    for (const message of ['x'.repeat(socketLimits.messageBytes + 1), `[${'{},'.repeat(16 * 1024 * 1024 / 3)}{}]`]) {
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, handshakeProtocols(host.token));
      await new Promise((r) => ws.once('open', r));
      const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
      ws.send(message);
      expect(await closed).toBe(1009);
    }
    const { port, client: c } = client();
    await port.ready;
    expect((await c.call('system.info', {})).root).toBe(te.root);
    port.dispose();
  });

  it('ends a stream opened past the per-connection limit', async () => {
    const { port, client: c } = client();
    await port.ready;
    const ends: unknown[] = [];
    for (let i = 0; i <= 32; i++) c.open('events', {}, { onMessage() {}, onEnd: (e) => ends.push(e) });
    await expect.poll(() => ends.length).toBe(1);
    expect(ends[0]).toMatchObject({ code: 'Unavailable', message: 'too many open streams (at most 32)' });
    port.dispose();
  });
});

describe('browser host: reconnection', () => {
  it('re-makes a dropped socket: what was in flight fails, what comes after waits and goes through', async () => {
    const first = await startHost({ engine: te.client.engine, rendererDir: site, port: 0 });
    const port = websocketPort(`ws://127.0.0.1:${first.port}/ws`, { WebSocket: Socket, protocols: handshakeProtocols(first.token), retryDelays: [50] });
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

  it('gives up a first connection that cannot be made, and never names the token', async () => {
    const port = websocketPort(`ws://127.0.0.1:${host.port}/ws`, { WebSocket: Socket, protocols: handshakeProtocols('wrong'), retryDelays: [10], firstAttempts: 2 });
    const failure = await port.ready.catch((e: Error) => e.message);
    expect(failure).toBe(`cannot reach the Strata host at ws://127.0.0.1:${host.port}/ws`);
  });
});
