// What a running command holds: the terminal's streams and, opened on first
// use, the engine in this process. Help and version never open the engine.

import { oneLine } from '../errors';
import type { EngineClient } from '../rpc/client';
import type { LocalClient } from '../rpc/local';

/** A command-line value the CLI itself refuses (a relative bind source, an unreadable env file): exit 125. */
export class OptionError extends Error {
  constructor(message: string) {
    super(oneLine(message));
  }
}

/** The engine could not be opened here (not root, an unreadable root): every command exits 1, as docker's do without a daemon. */
export class EngineUnreachable extends Error {}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// The process's streams are made on first use: stderr (a socket when it is a
// pipe) and stdin cost a listing milliseconds, and most commands never touch them.
const madeStreams = new Set<NodeJS.WriteStream>();

/** process.stdout or stderr; a closed pipe (`strata ps | head -1`) ends the command quietly, as SIGPIPE ends docker. */
function processStream(name: 'stdout' | 'stderr'): NodeJS.WriteStream {
  const stream = process[name];
  if (!madeStreams.has(stream)) {
    madeStreams.add(stream);
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }
  return stream;
}

/** Calls `done` once what was written to the process's streams has been handed over. */
export function whenFlushed(done: () => void): void {
  const streams = [...madeStreams];
  const next = (): void => {
    const stream = streams.shift();
    if (stream) stream.write('', next);
    else done();
  };
  next();
}

export class Cli {
  private local: LocalClient | undefined;

  constructor(
    private readonly outStream?: NodeJS.WriteStream,
    private readonly errStream?: NodeJS.WriteStream,
    private readonly inStream?: NodeJS.ReadStream,
    readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  get stdout(): NodeJS.WriteStream {
    return this.outStream ?? processStream('stdout');
  }

  get stderr(): NodeJS.WriteStream {
    return this.errStream ?? processStream('stderr');
  }

  get stdin(): NodeJS.ReadStream {
    return this.inStream ?? process.stdin;
  }

  /** The engine, opened in this process with its default root ($STRATA_ROOT or /var/lib/strata). */
  get client(): EngineClient {
    if (!this.local) {
      // Required here, not imported above: the engine (SQLite, the store) loads only for commands that use it.
      const { openLocalClient } = require('../rpc/local') as typeof import('../rpc/local');
      try {
        this.local = openLocalClient();
      } catch (err) {
        throw new EngineUnreachable(messageOf(err));
      }
    }
    return this.local;
  }

  out(text: string | Uint8Array): void {
    this.stdout.write(text);
  }

  err(text: string | Uint8Array): void {
    this.stderr.write(text);
  }

  /** Strata has no daemon, so where docker says "Error response from daemon: X" we say "Error: X". */
  error(err: unknown): void {
    this.err(`Error: ${messageOf(err)}\n`);
  }

  close(): void {
    const local = this.local;
    this.local = undefined;
    local?.close();
  }
}
