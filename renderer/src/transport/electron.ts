// Electron's preload bridge (`window.strata`) as an EnginePort. IPC carries
// Uint8Array as it is (structured clone), so no encoding here; the one
// translation is a call's invoke outcome into a result or error message.

import type { StrataBridge } from '../../../electron/bridge';
import type { ClientMessage, ServerMessage } from '../../../engine/host/wire';
import type { EnginePort } from './port';

export function electronPort(bridge: StrataBridge): EnginePort {
  let deliver: (m: ServerMessage) => void = () => {};
  bridge.onStream((m) => deliver(m));
  return {
    post(m: ClientMessage) {
      if (m.kind === 'call') {
        bridge.call(m.name, m.arg).then(
          (outcome) =>
            deliver('error' in outcome ? { kind: 'error', id: m.id, error: outcome.error } : { kind: 'result', id: m.id, result: outcome.result }),
          (err: unknown) =>
            deliver({ kind: 'error', id: m.id, error: { name: 'EngineError', code: 'Internal', message: String((err as Error)?.message ?? err) } }),
        );
      } else if (m.kind === 'open') bridge.open(m.id, m.name, m.arg);
      else if (m.kind === 'send') bridge.send(m.id, m.input);
      else bridge.close(m.id);
    },
    onMessage(listener) {
      deliver = listener;
    },
    // The main process lives as long as the window: the connection never drops.
    onStatus() {},
  };
}
