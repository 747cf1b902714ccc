// Docker's exec instances: `POST /containers/{id}/exec` makes one (an id and
// its settings, nothing runs), `POST /exec/{id}/start` runs it as the
// engine's exec stream, `/exec/{id}/json` tells whether it runs and how it
// ended. The engine keeps no such instances, so this board does, until their
// container goes away (or, past a bound, the oldest finished ones).

import { randomBytes } from 'node:crypto';
import type { ExecOptions, StdioInput } from '../api';
import type { StreamHandle } from '../rpc/client';
import type { EventHub } from './eventHub';

export interface ExecConfig {
  AttachStdin: boolean;
  AttachStdout: boolean;
  AttachStderr: boolean;
  Tty: boolean;
  DetachKeys: string;
  Cmd: string[];
  Env: string[];
  WorkingDir: string;
  User: string;
  Privileged: boolean;
}

export interface ExecInstance {
  id: string;
  containerId: string;
  config: ExecConfig;
  running: boolean;
  started: boolean;
  exitCode: number | null;
  /** The running stream, for resizes. */
  handle?: StreamHandle<StdioInput>;
  /** A size asked for before the process started. */
  size?: { rows: number; cols: number };
}

const maxFinished = 1000;

export class ExecBoard {
  private readonly execs = new Map<string, ExecInstance>();

  constructor(hub: EventHub) {
    hub.on((e) => {
      if (e.type !== 'container') return;
      if (e.action === 'destroy') {
        for (const [id, x] of this.execs) if (x.containerId === e.id) this.execs.delete(id);
      }
      // A detached exec's end is not reported by the engine; it ends with its container at the latest.
      if (e.action === 'die') for (const x of this.execs.values()) if (x.containerId === e.id) x.running = false;
    });
  }

  create(containerId: string, config: ExecConfig): ExecInstance {
    const x: ExecInstance = { id: randomBytes(32).toString('hex'), containerId, config, running: false, started: false, exitCode: null };
    this.execs.set(x.id, x);
    this.trim();
    return x;
  }

  get(id: string): ExecInstance | undefined {
    return this.execs.get(id);
  }

  /** The engine's exec options for an instance. */
  options(x: ExecInstance, detach: boolean): ExecOptions {
    const c = x.config;
    return {
      id: x.containerId,
      cmd: c.Cmd,
      ...(c.Env.length ? { env: c.Env } : {}),
      ...(c.WorkingDir ? { workingDir: c.WorkingDir } : {}),
      ...(c.User ? { user: c.User } : {}),
      tty: c.Tty,
      stdin: c.AttachStdin && !detach,
      ...(detach ? { detach: true } : {}),
      ...(x.size ? { rows: x.size.rows, cols: x.size.cols } : {}),
    };
  }

  /** Instances the board holds (for inspect's ExecIDs). */
  ofContainer(containerId: string): string[] {
    return [...this.execs.values()].filter((x) => x.containerId === containerId && x.running).map((x) => x.id);
  }

  private trim(): void {
    const finished = [...this.execs.values()].filter((x) => x.started && !x.running);
    for (const x of finished.slice(0, Math.max(0, finished.length - maxFinished))) this.execs.delete(x.id);
  }
}
