// The IPC side of window.strata (electron/bridge.ts). Each window gets its
// own connection to the engine's socket, so its requests and streams are a
// session of their own (engine/host/session.ts) and close with the page; the
// main process relays the page's wire messages to it unread and its answers
// back. What a message may do is decided by the engine, in the app's policy,
// not here: this process holds no more right than the page. Only the app's
// own page may use these channels.

import path from 'node:path';
import { app, dialog, ipcMain, BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type WebSocket from 'ws';
import { asEngineError, invalidArgument } from '../engine/errors';
import { saveStreamToFile } from '../engine/host/byteStream';
import { attachmentName } from '../engine/host/download';
import { channels, type LinkStatus, type SaveOutcome } from './bridge';
import { byteStreamOn } from './engineLink';

function fromApp(event: IpcMainEvent | IpcMainInvokeEvent, appOrigin: string): boolean {
  const url = event.senderFrame?.url ?? '';
  return url.startsWith(appOrigin);
}

const refused = invalidArgument('IPC from outside the app').toPayload();
/** Messages a page may post before its connection opens: more than it sends at start-up. */
const heldMessages = 256;

interface Relay {
  post(text: string): void;
  close(): void;
}

export function serveBridge(connect: () => WebSocket, appOrigin: string): void {
  const relays = new Map<WebContents, Relay>();
  /** Windows whose connection dropped: the next one to open is news to them, as the websocket's reconnection is. */
  const dropped = new WeakSet<WebContents>();

  function relayOf(contents: WebContents): Relay {
    const existing = relays.get(contents);
    if (existing) return existing;
    const ws = connect();
    const held: string[] = [];
    const tell = (channel: string, payload: string | LinkStatus) => {
      if (!contents.isDestroyed()) contents.send(channel, payload);
    };
    ws.on('open', () => {
      for (const text of held.splice(0)) ws.send(text);
      if (dropped.delete(contents)) tell(channels.status, 'open');
    });
    ws.on('message', (data) => tell(channels.message, data.toString()));
    ws.on('error', () => undefined);
    // The engine went (or refused the page): the page hears so, and its next message connects again.
    ws.on('close', () => {
      if (relays.get(contents) === relay) relays.delete(contents);
      dropped.add(contents);
      tell(channels.status, 'lost');
    });
    const relay: Relay = {
      post(text) {
        if (ws.readyState === ws.OPEN) ws.send(text);
        else if (held.length < heldMessages) held.push(text);
        else ws.terminate();
      },
      close: () => ws.close(),
    };
    const end = () => {
      if (relays.get(contents) === relay) relays.delete(contents);
      relay.close();
    };
    // A reload or a closed window leaves nobody to read the streams it opened.
    contents.once('destroyed', end);
    contents.once('did-navigate', end);
    contents.once('render-process-gone', end);
    relays.set(contents, relay);
    return relay;
  }

  ipcMain.on(channels.post, (event, text: unknown) => {
    if (fromApp(event, appOrigin) && typeof text === 'string') relayOf(event.sender).post(text);
  });
  ipcMain.handle(channels.save, async (event, name: unknown, arg: unknown, suggestedName: unknown) => {
    if (!fromApp(event, appOrigin)) return { error: refused };
    const window = BrowserWindow.fromWebContents(event.sender);
    const options = { defaultPath: path.join(app.getPath('downloads'), attachmentName(String(suggestedName))) };
    const choice = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
    if (choice.canceled || !choice.filePath) return { outcome: { kind: 'cancelled' } satisfies SaveOutcome };
    try {
      // Written by this process, as the desktop user, where the user chose: the engine names no host path.
      await saveStreamToFile(byteStreamOn(connect, String(name), arg), choice.filePath);
      return { outcome: { kind: 'saved', path: choice.filePath } satisfies SaveOutcome };
    } catch (err) {
      return { error: asEngineError(err).toPayload() };
    }
  });
}
