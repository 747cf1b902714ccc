// The one thing both shells give the renderer: a duplex of wire messages
// (engine/host/wire.ts) with the engine. Electron's preload bridge and the
// browser host's websocket are each adapted to this, and one client
// (./client.ts) turns it into the EngineClient the app uses.

import type { ClientMessage, ServerMessage } from '../../../engine/host/wire';

/** 'open': messages flow. 'lost': the connection dropped and is being re-made (browser host only). */
export type PortStatus = 'open' | 'lost';

export interface EnginePort {
  /** Sends a message to the engine (held while the connection is being re-made). */
  post(message: ClientMessage): void;
  /** The one receiver of the engine's messages. */
  onMessage(listener: (message: ServerMessage) => void): void;
  /** The one receiver of status changes. */
  onStatus(listener: (status: PortStatus) => void): void;
}
