// How `strata gui` tells the Electron it starts where the engine is: the
// engine socket's path and token, in two environment variables, and the
// websocket path on that socket. Shared by both ends (engine/host/desktop.ts,
// electron/engineLink.ts), so neither loads the other's code.

export interface EngineLink {
  socket: string;
  token: string;
}

export const engineLinkEnv = { socket: 'STRATA_ENGINE_SOCKET', token: 'STRATA_ENGINE_TOKEN' } as const;

export const engineSocketPath = '/ws';
