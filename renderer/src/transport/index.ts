// The renderer's way to the engine, whichever shell it runs in.
export { connectEngine, NotConnected, type AppEngine, type SaveOutcome } from './connect';
export type { PortStatus } from './port';
