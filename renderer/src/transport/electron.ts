// Electron's preload bridge (`window.strata`) as an EnginePort: the same
// wire messages as the browser host's websocket, as JSON text, relayed by
// the main process to the engine's socket.

import type { StrataBridge } from '../../../electron/bridge';
import { decodeMessage, encodeMessage, type ClientMessage, type ServerMessage } from '../../../engine/host/wire';
import type { EnginePort } from './port';

export function electronPort(bridge: StrataBridge): EnginePort {
  let deliver: (m: ServerMessage) => void = () => {};
  bridge.onMessage((text) => {
    let m: unknown;
    try {
      m = decodeMessage(text);
    } catch {
      return;
    }
    deliver(m as ServerMessage);
  });
  return {
    post: (m: ClientMessage) => bridge.post(encodeMessage(m)),
    onMessage(listener) {
      deliver = listener;
    },
    onStatus: (listener) => bridge.onStatus(listener),
  };
}
