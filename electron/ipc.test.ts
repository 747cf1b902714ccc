// The IPC bridge without Electron's binary: 'electron' is replaced by
// stand-ins for ipcMain, dialog and a window's webContents, so the handlers
// serveBridge registers run exactly as main would run them, against a real
// engine behind its real socket (engine/host/engineSocket.ts).

import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEngineSocket, type EngineSocket } from '../engine/host/engineSocket';
import { engineLinkEnv } from '../engine/host/link';
import { decodeMessage, encodeMessage, type ClientMessage, type ServerMessage } from '../engine/host/wire';
import { hostPathRequests, tracesIn } from '../engine/testing/hostPaths';
import { tempEngine, type TempEngine } from '../engine/testing/tempEngine';

const electron = vi.hoisted(() => {
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const listeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
  return {
    handlers,
    listeners,
    module: {
      ipcMain: {
        handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) => handlers.set(channel, fn),
        on: (channel: string, fn: (event: unknown, ...args: unknown[]) => void) => listeners.set(channel, fn),
      },
      app: { getPath: () => os.tmpdir() },
      BrowserWindow: { fromWebContents: () => null },
      dialog: {
        showSaveDialog: async () => ({ canceled: false, filePath: undefined as string | undefined }),
      },
    },
  };
});
vi.mock('electron', () => electron.module);

import { connectEngine, takeEngineLink } from './engineLink';
import { serveBridge } from './ipc';

const appOrigin = 'strata://app/';

/** A window's webContents: what main sends it, decoded. */
class FakeContents extends EventEmitter {
  messages: ServerMessage[] = [];
  statuses: string[] = [];
  send(channel: string, payload: string) {
    if (channel === 'strata:message') this.messages.push(decodeMessage(payload) as ServerMessage);
    else if (channel === 'strata:status') this.statuses.push(payload);
  }
  isDestroyed() {
    return false;
  }
  answer(id: number): ServerMessage | undefined {
    return this.messages.find((m) => m.id === id && m.kind !== 'message');
  }
}

let te: TempEngine;
let socket: EngineSocket;
let dir: string;

beforeAll(async () => {
  te = await tempEngine();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-ipc-'));
  socket = await startEngineSocket({ engine: te.client.engine, owner: { uid: 0, gid: 0 } });
  serveBridge(() => connectEngine({ socket: socket.path, token: socket.token }), appOrigin);
});

afterAll(async () => {
  await socket?.close();
  await te?.dispose();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function eventFrom(contents: FakeContents, url = `${appOrigin}index.html`) {
  return { sender: contents, senderFrame: { url } };
}

const post = (contents: FakeContents, m: ClientMessage, url?: string) => electron.listeners.get('strata:post')!(eventFrom(contents, url), encodeMessage(m));

describe('Electron IPC bridge', () => {
  it('relays the page’s wire messages to the engine and its answers back', async () => {
    const contents = new FakeContents();
    post(contents, { kind: 'call', id: 1, name: 'system.info', arg: {} });
    post(contents, { kind: 'call', id: 2, name: 'container.inspect', arg: { id: 'nope' } });
    await expect.poll(() => contents.answer(2)).toBeDefined();
    await expect.poll(() => contents.answer(1)).toMatchObject({ kind: 'result', result: { root: te.root } });
    expect(contents.answer(2)).toMatchObject({ kind: 'error', error: { code: 'NotFound' } });
    expect(contents.statuses).toEqual([]);
  });

  it('tells a window its link dropped, and that it is back when its next message connects again', async () => {
    const contents = new FakeContents();
    // A message the engine refuses by closing the connection: bigger than the app ever sends.
    electron.listeners.get('strata:post')!(eventFrom(contents), 'x'.repeat(200 * 1024));
    await expect.poll(() => contents.statuses).toEqual(['lost']);
    post(contents, { kind: 'call', id: 1, name: 'system.info', arg: {} });
    await expect.poll(() => contents.answer(1)).toMatchObject({ kind: 'result' });
    expect(contents.statuses).toEqual(['lost', 'open']);
    contents.emit('destroyed');
  });

  it('refuses every channel to a frame that is not the app', async () => {
    const contents = new FakeContents();
    post(contents, { kind: 'call', id: 1, name: 'system.info', arg: {} }, 'https://example.com/');
    const save = electron.handlers.get('strata:save')!;
    expect(await save(eventFrom(contents, 'https://example.com/'), 'image.save', { refs: ['starter'] }, 'x.tar')).toMatchObject({ error: { code: 'InvalidArgument' } });
    await new Promise((r) => setTimeout(r, 100));
    expect(contents.messages).toEqual([]);
    expect(contents.statuses).toEqual([]);
  });

  it('gives each window its own session, whose streams close when the window goes', async () => {
    const a = new FakeContents();
    const b = new FakeContents();
    post(a, { kind: 'open', id: 1, name: 'events', arg: {} });
    post(b, { kind: 'open', id: 1, name: 'events', arg: {} });
    // Both streams are open once a request sent after them is answered.
    post(a, { kind: 'call', id: 2, name: 'system.info', arg: {} });
    post(b, { kind: 'call', id: 2, name: 'system.info', arg: {} });
    await expect.poll(() => Boolean(a.answer(2) && b.answer(2))).toBe(true);
    const { id } = await te.client.call('container.create', { image: te.image, cmd: ['true'] });
    await expect.poll(() => a.messages.some((m) => m.kind === 'message')).toBe(true);
    await expect.poll(() => b.messages.some((m) => m.kind === 'message')).toBe(true);
    a.emit('destroyed');
    await expect.poll(() => a.statuses.at(-1)).toBe('lost');
    const before = b.messages.length;
    await te.client.call('container.remove', { id });
    await expect.poll(() => b.messages.length).toBeGreaterThan(before);
    expect(b.statuses).toEqual([]);
    b.emit('destroyed');
  });

  it('refuses every request that names a host path or the engine’s standard input, under any name, and does none of it', async () => {
    const where = path.join(dir, 'host-paths');
    const contents = new FakeContents();
    const requests = hostPathRequests(where);
    requests.forEach((r, i) => post(contents, { kind: r.kind, id: i + 1, name: r.name, arg: r.arg }));
    await expect.poll(() => requests.every((_r, i) => contents.answer(i + 1))).toBe(true);
    requests.forEach((r, i) => {
      const answer = contents.answer(i + 1) as { error?: { message: string; code: string } };
      expect(answer.error, r.name).toMatchObject({ code: 'InvalidArgument', message: expect.stringMatching(r.refusal) });
      expect(answer.error!.message).not.toContain('first-line-of-a-host-file');
    });
    expect(tracesIn(where)).toEqual([]);
    contents.emit('destroyed');
  });

  it('saves a byte stream where the dialog says, writing it itself, and reports a cancel or a failure', async () => {
    const { id } = await te.run(['echo', 'saved through main']);
    const save = electron.handlers.get('strata:save')!;
    const contents = new FakeContents();
    const file = path.join(dir, 'out.log');
    electron.module.dialog.showSaveDialog = async () => ({ canceled: false, filePath: file });
    expect(await save(eventFrom(contents), 'container.logs', { id }, 'c.log')).toEqual({ outcome: { kind: 'saved', path: file } });
    expect(fs.readFileSync(file, 'utf8')).toBe('saved through main\n');

    const failed = path.join(dir, 'failed.log');
    electron.module.dialog.showSaveDialog = async () => ({ canceled: false, filePath: failed });
    expect(await save(eventFrom(contents), 'container.logs', { id: 'gone' }, 'x.log')).toMatchObject({ error: { code: 'NotFound' } });
    expect(fs.existsSync(failed)).toBe(false);
    // Saving is for byte streams held to the app's policy, like everything else.
    expect(await save(eventFrom(contents), 'image.build', { context: '-' }, 'x')).toMatchObject({ error: { code: 'InvalidArgument' } });
    expect(fs.existsSync(failed)).toBe(false);

    electron.module.dialog.showSaveDialog = async () => ({ canceled: true, filePath: undefined });
    expect(await save(eventFrom(contents), 'container.logs', { id }, 'c.log')).toEqual({ outcome: { kind: 'cancelled' } });
  });
});

describe('the link to the engine', () => {
  it('is taken out of the environment, so nothing main starts inherits it', () => {
    const env: NodeJS.ProcessEnv = { [engineLinkEnv.socket]: '/run/x.sock', [engineLinkEnv.token]: 'secret', HOME: '/home/u' };
    expect(takeEngineLink(env)).toEqual({ socket: '/run/x.sock', token: 'secret' });
    expect(env).toEqual({ HOME: '/home/u' });
    expect(takeEngineLink({})).toBeUndefined();
  });
});
