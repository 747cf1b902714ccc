// The sandboxed preload: puts `window.strata` (electron/bridge.ts) into the
// renderer's world and nothing else. A sandboxed preload may require only
// 'electron', so the channel names are written here and checked against
// bridge.ts by the compiler, not imported from it at run time.

import { contextBridge, ipcRenderer } from 'electron';
import type { channels as Channels, StrataBridge } from './bridge';

const channels: typeof Channels = {
  post: 'strata:post',
  message: 'strata:message',
  status: 'strata:status',
  save: 'strata:save',
};

let messageListener: Parameters<StrataBridge['onMessage']>[0] = () => {};
let statusListener: Parameters<StrataBridge['onStatus']>[0] = () => {};
// The event objects stay here: handing one to the page would give it ipcRenderer.
ipcRenderer.on(channels.message, (_event, text) => messageListener(text));
ipcRenderer.on(channels.status, (_event, status) => statusListener(status));

const bridge: StrataBridge = {
  post: (text) => ipcRenderer.send(channels.post, text),
  onMessage: (listener) => {
    messageListener = listener;
  },
  onStatus: (listener) => {
    statusListener = listener;
  },
  save: (name, arg, suggestedName) => ipcRenderer.invoke(channels.save, name, arg, suggestedName),
};

contextBridge.exposeInMainWorld('strata', bridge);
