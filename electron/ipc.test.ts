// The IPC bridge without Electron's binary: 'electron' is replaced by
// stand-ins for ipcMain, dialog and a window's webContents, so the handlers
// serveBridge registers run exactly as main would run them.

import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EngineError } from '../engine/errors';
import type { StreamCallbacks } from '../engine/rpc/client';
import type { EngineHandlers } from '../engine/host/session';

const electron = vi.hoisted(() => {
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const listeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
  return {
    handlers,
    listeners,
    savePath: { value: undefined as string | undefined },
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

import { serveBridge } from './ipc';

const appOrigin = 'strata://app/';

class FakeContents extends EventEmitter {
  sent: unknown[] = [];
  send(channel: string, message: unknown) {
    this.sent.push([channel, message]);
  }
  isDestroyed() {
    return false;
  }
}

function eventFrom(contents: FakeContents, url = `${appOrigin}index.html`) {
  return { sender: contents, senderFrame: { url } };
}

let closed: number;
let dir: string;

beforeEach(() => {
  closed = 0;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-ipc-'));
  const engine = {
    requests: {
      'system.info': async () => ({ version: 'test' }),
      'container.inspect': async () => {
        throw new EngineError('NotFound', 'No such container: x');
      },
    },
    streams: {
      'container.logs': (arg: { id: string }, cb: StreamCallbacks<unknown>) => {
        queueMicrotask(() => {
          if (arg.id === 'gone') return cb.onEnd({ name: 'EngineError', code: 'NotFound', message: 'No such container: gone' });
          cb.onMessage({ stream: 'stdout', time: '', data: new TextEncoder().encode('line one\n') });
          cb.onMessage({ stream: 'stdout', time: '', data: new TextEncoder().encode('line two\n') });
          cb.onEnd();
        });
        return { send() {}, close: () => closed++ };
      },
      events: (_arg: unknown, cb: StreamCallbacks<unknown>) => {
        queueMicrotask(() => cb.onMessage({ type: 'container', action: 'pause', id: 'c', time: 1, attributes: {} }));
        return { send() {}, close: () => closed++ };
      },
    },
  } as unknown as EngineHandlers;
  electron.handlers.clear();
  electron.listeners.clear();
  serveBridge(engine, appOrigin);
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('Electron IPC bridge', () => {
  it('answers strata:call with the result or the error payload, through the dispatcher', async () => {
    const call = electron.handlers.get('strata:call')!;
    const contents = new FakeContents();
    expect(await call(eventFrom(contents), 'system.info', {})).toEqual({ result: { version: 'test' } });
    expect(await call(eventFrom(contents), 'container.inspect', { id: 'x' })).toEqual({
      error: { name: 'EngineError', code: 'NotFound', message: 'No such container: x' },
    });
    expect(await call(eventFrom(contents), 'system.info', { bogus: true })).toMatchObject({ error: { code: 'InvalidArgument' } });
  });

  it('refuses every channel to a frame that is not the app', async () => {
    const contents = new FakeContents();
    const foreign = eventFrom(contents, 'https://example.com/');
    expect(await electron.handlers.get('strata:call')!(foreign, 'system.info', {})).toMatchObject({ error: { code: 'InvalidArgument' } });
    electron.listeners.get('strata:open')!(foreign, 1, 'events', {});
    await tick();
    expect(contents.sent).toEqual([]);
  });

  it('streams to the window that opened them, and closes them when it goes', async () => {
    const contents = new FakeContents();
    electron.listeners.get('strata:open')!(eventFrom(contents), 1, 'events', {});
    electron.listeners.get('strata:open')!(eventFrom(contents), 2, 'events', {});
    await tick();
    expect(contents.sent).toContainEqual(['strata:stream', { kind: 'message', id: 1, message: expect.objectContaining({ action: 'pause' }) }]);
    electron.listeners.get('strata:close')!(eventFrom(contents), 1);
    expect(closed).toBe(1);
    contents.emit('destroyed');
    expect(closed).toBe(2);
  });

  it('saves a byte stream where the dialog says, and reports a cancel or a failure', async () => {
    const save = electron.handlers.get('strata:save')!;
    const contents = new FakeContents();
    const file = path.join(dir, 'out.log');
    electron.module.dialog.showSaveDialog = async () => ({ canceled: false, filePath: file });
    expect(await save(eventFrom(contents), 'container.logs', { id: 'c' }, 'c.log')).toEqual({ outcome: { kind: 'saved', path: file } });
    expect(fs.readFileSync(file, 'utf8')).toBe('line one\nline two\n');

    const failed = path.join(dir, 'failed.log');
    electron.module.dialog.showSaveDialog = async () => ({ canceled: false, filePath: failed });
    expect(await save(eventFrom(contents), 'container.logs', { id: 'gone' }, 'x.log')).toMatchObject({ error: { code: 'NotFound' } });
    expect(fs.existsSync(failed)).toBe(false);

    electron.module.dialog.showSaveDialog = async () => ({ canceled: true, filePath: undefined });
    expect(await save(eventFrom(contents), 'container.logs', { id: 'c' }, 'c.log')).toEqual({ outcome: { kind: 'cancelled' } });
  });
});
