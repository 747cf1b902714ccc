// What every handler shares: the engine (through its client, the one path
// in), and the little state the Docker API keeps that the engine does not:
// attach connections waiting for a start, exec instances made before they
// run, and where request bodies are spooled.

import type { EngineClient } from '../rpc/client';
import type { AttachBoard } from './attachBoard';
import type { ExecBoard } from './execBoard';

export interface ApiContext {
  readonly client: EngineClient;
  readonly attach: AttachBoard;
  readonly execs: ExecBoard;
  /** A private directory (0700) for request bodies the engine reads as files. */
  readonly spoolDir: string;
  /** What `/version` and `/info` call the engine. */
  readonly serverVersion: string;
}
