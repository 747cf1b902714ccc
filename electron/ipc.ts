// The IPC side of window.strata (electron/bridge.ts), generic over engine/api.ts:
// one handler for every request, one set of channels for every stream, all
// through the dispatcher that checks names and arguments against the
// contract (engine/rpc/dispatch). Streams are kept per window by the same
// session code as the browser host's websocket, so they close with the page.
// Only the app's own page may use these channels.

import path from 'node:path';
import { app, dialog, ipcMain, BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { asEngineError, EngineError } from '../engine/errors';
import { dispatchRequest } from '../engine/rpc/dispatch';
import { attachmentName } from '../engine/host/download';
import { saveStreamToFile } from '../engine/host/byteStream';
import { openSession, type EngineHandlers, type Session } from '../engine/host/session';
import { channels, type CallOutcome, type SaveOutcome } from './bridge';

function fromApp(event: IpcMainEvent | IpcMainInvokeEvent, appOrigin: string): boolean {
  const url = event.senderFrame?.url ?? '';
  return url.startsWith(appOrigin);
}

const refused = new EngineError('InvalidArgument', 'IPC from outside the app').toPayload();

export function serveBridge(engine: EngineHandlers, appOrigin: string): void {
  const sessions = new Map<WebContents, Session>();

  function sessionOf(contents: WebContents): Session {
    let session = sessions.get(contents);
    if (!session) {
      const s = openSession(engine, (message) => {
        if (!contents.isDestroyed()) contents.send(channels.stream, message);
      });
      const end = () => {
        s.dispose();
        if (sessions.get(contents) === s) sessions.delete(contents);
      };
      // A reload or a closed window leaves nobody to read the streams it opened.
      contents.once('destroyed', end);
      contents.once('did-navigate', end);
      contents.once('render-process-gone', end);
      sessions.set(contents, s);
      session = s;
    }
    return session;
  }

  ipcMain.handle(channels.call, async (event, name: unknown, arg: unknown): Promise<CallOutcome> => {
    if (!fromApp(event, appOrigin)) return { error: refused };
    try {
      return { result: await dispatchRequest(engine.requests, String(name), arg) };
    } catch (err) {
      return { error: asEngineError(err).toPayload() };
    }
  });
  ipcMain.on(channels.open, (event, id: unknown, name: unknown, arg: unknown) => {
    if (fromApp(event, appOrigin)) sessionOf(event.sender).receive({ kind: 'open', id, name, arg });
  });
  ipcMain.on(channels.send, (event, id: unknown, input: unknown) => {
    if (fromApp(event, appOrigin)) sessionOf(event.sender).receive({ kind: 'send', id, input });
  });
  ipcMain.on(channels.close, (event, id: unknown) => {
    if (fromApp(event, appOrigin)) sessionOf(event.sender).receive({ kind: 'close', id });
  });
  ipcMain.handle(channels.save, async (event, name: unknown, arg: unknown, suggestedName: unknown) => {
    if (!fromApp(event, appOrigin)) return { error: refused };
    const window = BrowserWindow.fromWebContents(event.sender);
    const options = { defaultPath: path.join(app.getPath('downloads'), attachmentName(String(suggestedName))) };
    const choice = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
    if (choice.canceled || !choice.filePath) return { outcome: { kind: 'cancelled' } satisfies SaveOutcome };
    try {
      await saveStreamToFile(engine, String(name), arg, choice.filePath);
      return { outcome: { kind: 'saved', path: choice.filePath } satisfies SaveOutcome };
    } catch (err) {
      return { error: asEngineError(err).toPayload() };
    }
  });
}
