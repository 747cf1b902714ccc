// A build's progress goes two ways: to whoever opened the build stream, and
// into the engine's event log as `build` events, so the app (or `strata
// events` in another terminal) can draw a build it did not start. Quiet
// builds hold their messages back and send them only if the build fails,
// as `docker build -q` does.

import type { BuildMessage } from '../api';
import { nowNanos, type EventLog } from '../store/events';

export class BuildProgress {
  private held: BuildMessage[] | null;

  constructor(
    private readonly events: EventLog,
    readonly buildId: string,
    private readonly send: (m: BuildMessage) => void,
    quiet: boolean,
  ) {
    this.held = quiet ? [] : null;
  }

  /** The build began: recorded for watchers, nothing to send. */
  started(attributes: Record<string, string>): void {
    this.record('start', attributes);
  }

  /** The build failed before any step (a parse error, a bad context): the stream's error says it. */
  failed(message: string): void {
    this.record('error', { message, step: '0' });
  }

  emit(message: BuildMessage): void {
    const { type, ...rest } = message;
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(rest)) attributes[k] = Array.isArray(v) ? v.join(',') : String(v);
    // An event is one line: an output line is recorded without its newline.
    if (message.type === 'output') attributes.text = message.text.replace(/\r?\n$/, '');
    this.record(type, attributes);
    if (this.held && message.type !== 'built') this.held.push(message);
    else this.send(message);
  }

  private record(action: string, attributes: Record<string, string>): void {
    this.events.record({ type: 'build', action, id: this.buildId, time: nowNanos(), attributes });
  }

  /** A quiet build failed: what it held back is shown after all. */
  release(): void {
    for (const m of this.held ?? []) this.send(m);
    this.held = null;
  }
}

/** Splits a process's output into lines, so each progress message is one line. */
export class LineSplitter {
  private partial = '';

  constructor(private readonly line: (text: string) => void) {}

  push(chunk: string): void {
    const text = this.partial + chunk;
    const end = text.lastIndexOf('\n');
    if (end === -1) {
      this.partial = text;
      return;
    }
    for (const l of text.slice(0, end + 1).split(/(?<=\n)/)) this.line(l);
    this.partial = text.slice(end + 1);
  }

  flush(): void {
    if (this.partial) this.line(this.partial);
    this.partial = '';
  }
}
