// The sandboxed preload: puts `window.strata` (electron/bridge.ts) into the
// renderer's world and nothing else. A sandboxed preload may require only
// 'electron', so the channel names are written here and checked against
// bridge.ts by the compiler, not imported from it at run time.

import { contextBridge, ipcRenderer } from 'electron';
import type { channels as Channels, StrataBridge } from './bridge';

const channels: typeof Channels = {
  call: 'strata:call',
  open: 'strata:open',
  send: 'strata:send',
  close: 'strata:close',
  stream: 'strata:stream',
  save: 'strata:save',
};

let streamListener: Parameters<StrataBridge['onStream']>[0] = () => {};
// The event object stays here: handing it to the page would give it ipcRenderer.
ipcRenderer.on(channels.stream, (_event, message) => streamListener(message));

const bridge: StrataBridge = {
  call: (name, arg) => ipcRenderer.invoke(channels.call, name, arg),
  open: (id, name, arg) => ipcRenderer.send(channels.open, id, name, arg),
  send: (id, input) => ipcRenderer.send(channels.send, id, input),
  close: (id) => ipcRenderer.send(channels.close, id),
  onStream: (listener) => {
    streamListener = listener;
  },
  save: (name, arg, suggestedName) => ipcRenderer.invoke(channels.save, name, arg, suggestedName),
};

contextBridge.exposeInMainWorld('strata', bridge);
