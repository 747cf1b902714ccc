// The terminal side of an attached process (run, start -a, exec): its
// stdout and stderr frames go to ours; with -i our stdin goes to it and its
// end closes the process's stdin; with -t our terminal is put in raw mode,
// its size is sent at the start and on every SIGWINCH, and ctrl-p ctrl-q
// detaches (as docker, only with -t -i). The terminal is restored however
// the stream ends.

import type { StdioInput, StdioMessage } from '../api';
import type { StreamCallbacks, StreamHandle } from '../rpc/client';
import { EngineError } from '../errors';
import { OptionError, type Cli } from './session';

export interface AttachOptions {
  /** The process has a terminal: its output is one stream. */
  tty: boolean;
  /** Forward our stdin (-i). */
  stdin: boolean;
  /** Forward these signals to the process instead of dying of them (docker's --sig-proxy, without -t). */
  onSignal?: (signal: NodeJS.Signals) => void;
  /** The detach sequence (--detach-keys), as bytes; ctrl-p ctrl-q when absent. */
  detachKeys?: readonly number[];
}

export interface AttachOutcome {
  /** The process's exit status, when the stream reported it. */
  exit?: number;
  /** The user detached with ctrl-p ctrl-q; the process goes on. */
  detached: boolean;
}

const proxiedSignals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

const controlKeys = ['@', ...'abcdefghijklmnopqrstuvwxyz', '[', '\\', ']', '^', '_'].map((c) => `ctrl-${c}`);

/** docker's term.ToBytes: "ctrl-p,ctrl-q", "a,ctrl-c", "DEL" as the bytes they stand for. */
export function detachKeyBytes(keys: string): number[] {
  return keys.split(',').map((key) => {
    if (key.length === 1) return key.charCodeAt(0);
    const code = controlKeys.indexOf(key);
    if (code >= 0) return code;
    if (key === 'DEL') return 127;
    throw new OptionError(`Invalid detach keys (${keys}) provided`);
  });
}

/** docker's escape proxy for the detach keys (ctrl-p ctrl-q by default): passes everything else through. */
export class DetachKeys {
  private matched = 0;
  constructor(private readonly keys: readonly number[] = [0x10, 0x11]) {}

  /** The bytes to forward, and whether the sequence is complete (bytes after it are dropped). */
  feed(chunk: Uint8Array): { forward: Uint8Array; detach: boolean } {
    const out: number[] = [];
    for (const byte of chunk) {
      if (byte === this.keys[this.matched]) {
        this.matched++;
        if (this.matched === this.keys.length) {
          this.matched = 0;
          return { forward: Uint8Array.from(out), detach: true };
        }
        continue;
      }
      // A started sequence that did not complete: its keys were meant for the process.
      out.push(...this.keys.slice(0, this.matched));
      this.matched = byte === this.keys[0] ? 1 : 0;
      if (this.matched === 0) out.push(byte);
    }
    return { forward: Uint8Array.from(out), detach: false };
  }
}

/** The local terminal's size, sent when a process with a tty starts. */
export function terminalSize(cli: Cli): { rows?: number; cols?: number } {
  const out = cli.stdout;
  return out.isTTY && out.rows && out.columns ? { rows: out.rows, cols: out.columns } : {};
}

/** Checks docker's CheckTty rule: -i -t needs a terminal on stdin. */
export function checkTty(cli: Cli, stdin: boolean, tty: boolean): void {
  if (stdin && tty && !cli.stdin.isTTY) throw new Error('the input device is not a TTY');
}

type Opener = (callbacks: StreamCallbacks<StdioMessage>) => StreamHandle<StdioInput>;

/** Opens the stream and pumps stdio until it ends; rejects with the stream's error. */
export function attachStdio(cli: Cli, open: Opener, options: AttachOptions): Promise<AttachOutcome> {
  return new Promise((resolve, reject) => {
    const { stdin, stdout, stderr } = cli;
    const raw = options.tty && options.stdin && stdin.isTTY === true;
    const cleanups: (() => void)[] = [];
    let exit: number | undefined;
    let finished = false;

    const finish = (error?: EngineError, detached = false) => {
      if (finished) return;
      finished = true;
      for (const cleanup of cleanups.reverse()) cleanup();
      if (error) reject(error);
      else resolve({ exit, detached });
    };

    const handle = open({
      onMessage(message) {
        if ('exit' in message) exit = message.exit;
        else (message.stream === 'stderr' ? stderr : stdout).write(message.data);
      },
      onEnd(error) {
        finish(error ? EngineError.fromPayload(error) : undefined);
      },
    });
    if (finished) return; // the stream ended at once (a start that failed)
    const send = (input: StdioInput) => {
      if (!finished) handle.send(input);
    };

    if (raw) {
      stdin.setRawMode(true);
      const restore = () => stdin.setRawMode(false);
      cleanups.push(restore);
      // Also on a crash or process.exit, never leave the user's terminal raw.
      process.once('exit', restore);
      cleanups.push(() => process.removeListener('exit', restore));
    }

    if (options.stdin) {
      const detachKeys = options.tty ? new DetachKeys(options.detachKeys) : undefined;
      const onData = (chunk: Buffer) => {
        if (!detachKeys) return send({ data: chunk });
        const { forward, detach } = detachKeys.feed(chunk);
        if (forward.length > 0) send({ data: forward });
        if (detach) {
          finish(undefined, true); // first: closing the stream ends it, and this end is a detach
          handle.close();
        }
      };
      const onEnd = () => send({ closeStdin: true });
      stdin.on('data', onData);
      stdin.on('end', onEnd);
      cleanups.push(() => {
        stdin.removeListener('data', onData);
        stdin.removeListener('end', onEnd);
        stdin.pause();
      });
    }

    if (options.tty && stdout.isTTY) {
      const onResize = () => send({ resize: { rows: stdout.rows, cols: stdout.columns } });
      stdout.on('resize', onResize);
      cleanups.push(() => stdout.removeListener('resize', onResize));
    }

    if (options.onSignal && !options.tty) {
      const forward = options.onSignal;
      for (const signal of proxiedSignals) {
        const listener = () => forward(signal);
        process.on(signal, listener);
        cleanups.push(() => process.removeListener(signal, listener));
      }
    }
  });
}
