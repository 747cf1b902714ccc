// Attach as Docker's clients use it. `docker run` and compose attach to a
// container that does not run yet and then start it, expecting every byte
// from the first; the engine gives that with one stream that starts the
// container attached (container.startAttached). So an attach to a stopped
// container waits on this board, and the start that follows (through this
// service) becomes that stream, its output fanned out to every waiting
// connection. An attach to a running container is the engine's attach.

import type { StdioInput, StdioMessage } from '../api';
import { EngineError, type ErrorPayload } from '../errors';
import type { EngineClient, StreamHandle } from '../rpc/client';
import { DetachScanner } from './detachKeys';
import type { EventHub } from './eventHub';
import type { Hijacked } from './exchange';
import { outputBytes } from './framing';
import { pace } from './pacing';

export interface AttachRequest {
  /** The container's full id. */
  id: string;
  /** Output goes unframed (a tty, or a websocket). */
  tty: boolean;
  /**
   * The client's half-close closes the container's stdin: only without a
   * terminal, as dockerd's StdinOnce (a detaching `docker run -it` must not end the shell).
   */
  closesStdin: boolean;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  detachKeys: number[];
  out: Hijacked;
  onClose(fn: () => void): void;
}

/** One client connection attached to a container's stdio. */
class Attachment {
  private handle: StreamHandle<StdioInput> | undefined;
  private release: (() => void) | undefined;
  private ended = false;
  private readonly scanner: DetachScanner;

  constructor(readonly req: AttachRequest) {
    this.scanner = new DetachScanner(req.detachKeys);
  }

  get wantsStdin(): boolean {
    return this.req.stdin;
  }

  /** Connects this client to a stream; `release` lets go of it (a shared stream stays open for the others). */
  bind(handle: StreamHandle<StdioInput>, release: () => void): void {
    this.handle = handle;
    this.release = release;
    this.req.onClose(() => this.detach());
    this.req.out.onInput(
      (chunk) => {
        if (!this.req.stdin || this.ended) return;
        const { pass, detach } = this.scanner.scan(chunk);
        if (pass.length) handle.send({ data: pass });
        if (detach) this.detach();
      },
      () => {
        if (this.req.stdin && this.req.closesStdin && !this.ended) handle.send({ closeStdin: true });
      },
    );
  }

  output(m: StdioMessage): void {
    if (this.ended || 'exit' in m) return;
    if ((m.stream === 'stdout' && !this.req.stdout) || (m.stream === 'stderr' && !this.req.stderr)) return;
    // A slow reader holds the container's output back, as with dockerd (the process blocks on its pipe).
    pace(this.req.out, this.req.out.write(outputBytes(this.req.tty, m.stream, m.data)), this.handle);
  }

  /** The stream ended (the process exited): the connection ends too. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.req.out.end();
  }

  /** The client left or typed the detach keys: it stops listening, the container goes on. */
  detach(): void {
    if (this.ended) return;
    this.end();
    this.release?.();
  }
}

export class AttachBoard {
  private readonly waiting = new Map<string, Attachment[]>();

  constructor(
    private readonly client: EngineClient,
    private readonly hub: EventHub,
  ) {}

  /** Attaches a client: at once to a running container, else when it is next started through this service. */
  attach(req: AttachRequest, isRunning: boolean): void {
    const a = new Attachment(req);
    if (!isRunning) {
      const list = this.waiting.get(req.id) ?? [];
      list.push(a);
      this.waiting.set(req.id, list);
      req.onClose(() => {
        const left = (this.waiting.get(req.id) ?? []).filter((x) => x !== a);
        if (left.length) this.waiting.set(req.id, left);
        else this.waiting.delete(req.id);
      });
      return;
    }
    const handle = this.client.open('container.attach', { id: req.id, stdin: req.stdin }, {
      onMessage: (m) => a.output(m),
      onEnd: () => a.end(),
    });
    a.bind(handle, () => handle.close());
  }

  /** Whether a client waits to be attached when the container starts. */
  hasWaiting(id: string): boolean {
    return (this.waiting.get(id)?.length ?? 0) > 0;
  }

  /**
   * Starts a container that clients wait on, attached from its first byte;
   * resolves once it runs (its start event), rejects with the engine's
   * error if it could not start.
   */
  startAttached(id: string): Promise<void> {
    const clients = this.waiting.get(id) ?? [];
    this.waiting.delete(id);
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (err?: ErrorPayload) => {
        if (settled) return;
        settled = true;
        stopListening();
        if (err) reject(EngineError.fromPayload(err));
        else resolve();
      };
      const stopListening = this.hub.on((e) => {
        if (e.type === 'container' && e.id === id && e.action === 'start') settle();
      });
      let open = clients.length;
      const handle = this.client.open('container.startAttached', { id, stdin: clients.some((c) => c.wantsStdin) }, {
        onMessage: (m) => {
          for (const c of clients) c.output(m);
        },
        onEnd: (err) => {
          for (const c of clients) c.end();
          settle(err);
        },
      });
      for (const c of clients) c.bind(handle, () => --open === 0 && handle.close());
    });
  }
}
