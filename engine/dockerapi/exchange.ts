// One request and its answer, whether it came as an ordinary HTTP request or
// as an upgrade (docker and docker-py ask attach and exec start with
// `Connection: Upgrade`, `Upgrade: tcp`): the handlers read the query and
// body, and answer with a full reply, a chunked stream, or a hijacked raw
// connection, without caring which of the two it was.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { goJson } from '../cli/gojson';
import { ApiError, badRequest, messageOf, statusOf } from './errors';
import { maxApiVersion } from './versions';

/** What every answer carries, as dockerd's middleware adds it. */
export function commonHeaders(serverVersion: string): Record<string, string> {
  return {
    'Api-Version': maxApiVersion,
    'Docker-Experimental': 'false',
    Ostype: 'linux',
    Server: `Strata/${serverVersion} (linux)`,
  };
}

const statusText: Record<number, string> = {
  101: 'UPGRADED',
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

/** A chunked answer that a handler writes piece by piece (logs, events, pull progress...). */
export interface ResponseStream {
  /** false when the client is slow: wait for `drained` before writing much more. */
  write(chunk: Uint8Array | string): boolean;
  drained(): Promise<void>;
  end(): void;
  readonly closed: boolean;
}

/** A raw two-way connection after `101 UPGRADED` (or a plain 200 for clients that did not ask to upgrade). */
export interface Hijacked extends ResponseStream {
  /** The client's bytes (stdin) and the end of them (a half-close). */
  onInput(data: (chunk: Buffer) => void, end: () => void): void;
}

/** Where an exchange's bytes go: a ServerResponse, or the raw socket of an upgrade request. */
interface Transport {
  readonly body: Readable;
  reply(status: number, headers: Record<string, string>, body: Buffer): void;
  stream(status: number, headers: Record<string, string>): ResponseStream;
  hijack(contentType: string): Hijacked;
  /** The raw connection as a websocket (attach/ws): binary messages both ways. */
  websocket(): Hijacked;
  onClose(fn: () => void): void;
  /** Cuts the connection: the way to end an answer that failed half-way. */
  abort(): void;
}

export class Exchange {
  /** Route parameters (`{id}` of /containers/{id}/json). */
  params: Record<string, string> = {};
  private answered = false;

  constructor(
    readonly method: string,
    /** The path without its version prefix. */
    readonly path: string,
    readonly query: URLSearchParams,
    readonly version: string,
    readonly headers: IncomingMessage['headers'],
    /** The client asked to upgrade: it can take `101 UPGRADED`. */
    readonly upgrade: boolean,
    private readonly transport: Transport,
    /** commonHeaders() for this server. */
    private readonly common: Record<string, string>,
  ) {}

  get isAnswered(): boolean {
    return this.answered;
  }

  /** The request body as a stream (a build context, an archive to load). */
  get body(): Readable {
    return this.transport.body;
  }

  async bodyBytes(limit = 64 << 20): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.body) {
      size += (chunk as Buffer).length;
      if (size > limit) throw badRequest(`request body larger than ${limit} bytes`);
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  /** The JSON body; an empty body is undefined. */
  async json(): Promise<unknown> {
    const bytes = await this.bodyBytes();
    if (bytes.length === 0) return undefined;
    try {
      return JSON.parse(bytes.toString('utf8'));
    } catch (err) {
      throw badRequest(messageOf(err));
    }
  }

  /** Refuses a body that says it is not JSON, as moby's CheckForJSON. */
  requireJsonContentType(): void {
    const type = this.headers['content-type'];
    if (type === undefined || type === '') return;
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      throw badRequest(`Content-Type specified (${type}) must be 'application/json'`);
    }
  }

  send(status: number, body?: string | Buffer, headers: Record<string, string> = {}): void {
    this.answered = true;
    this.transport.reply(status, { ...this.common, ...headers }, body === undefined ? Buffer.alloc(0) : Buffer.from(body));
  }

  sendJson(status: number, value: unknown): void {
    this.send(status, goJson(value) + '\n', { 'Content-Type': 'application/json' });
  }

  /** `{"message": ...}` with the error's status. */
  fail(err: unknown): void {
    this.sendJson(statusOf(err), { message: messageOf(err) });
  }

  /** Starts a chunked answer; headers go out at once (a client may wait for them, as `wait` does). */
  stream(status = 200, contentType?: string, headers: Record<string, string> = {}): ResponseStream {
    this.answered = true;
    return this.transport.stream(status, { ...this.common, ...(contentType ? { 'Content-Type': contentType } : {}), ...headers });
  }

  hijack(contentType: string): Hijacked {
    this.answered = true;
    return this.transport.hijack(contentType);
  }

  websocket(): Hijacked {
    this.answered = true;
    return this.transport.websocket();
  }

  /** The client went away (or the answer is complete). */
  onClose(fn: () => void): void {
    this.transport.onClose(fn);
  }

  abort(): void {
    this.transport.abort();
  }
}

function headerBlock(status: number, headers: Record<string, string>): string {
  let text = `HTTP/1.1 ${status} ${statusText[status] ?? 'Status'}\r\n`;
  for (const [k, v] of Object.entries(headers)) text += `${k}: ${v}\r\n`;
  return text + '\r\n';
}

/** An ordinary request: Node writes the status line, the headers and the chunking. */
export function httpTransport(req: IncomingMessage, res: ServerResponse): Transport {
  const stream = (status: number, headers: Record<string, string>): ResponseStream => {
    res.writeHead(status, headers);
    res.flushHeaders();
    return {
      write: (chunk) => (res.destroyed ? false : res.write(chunk)),
      drained: () => new Promise((resolve) => (res.writableNeedDrain && !res.destroyed ? res.once('drain', () => resolve()).once('close', () => resolve()) : resolve())),
      end: () => res.end(),
      get closed() {
        return res.destroyed || res.writableEnded;
      },
    };
  };
  return {
    body: req,
    reply(status, headers, body) {
      res.writeHead(status, { ...headers, ...(status === 204 || status === 304 ? {} : { 'Content-Length': String(body.length) }) });
      res.end(req.method === 'HEAD' || status === 204 || status === 304 ? undefined : body);
    },
    stream,
    hijack(contentType) {
      const out = stream(200, { 'Content-Type': contentType });
      return {
        ...out,
        onInput(data, end) {
          req.on('data', data);
          if (req.readableEnded) queueMicrotask(end);
          else req.once('end', end);
        },
      };
    },
    websocket() {
      throw badRequest('attach/ws needs a websocket upgrade');
    },
    onClose: (fn) => void res.once('close', fn),
    abort: () => res.destroy(),
  };
}

/**
 * An upgrade request, answered on its raw socket. The body (exec start's
 * JSON) is the first Content-Length bytes; whatever follows is the hijacked
 * stream's input.
 */
export function upgradeTransport(req: IncomingMessage, socket: Socket, head: Buffer): Transport {
  const length = Number(req.headers['content-length'] ?? 0);
  if (!Number.isSafeInteger(length) || length < 0) throw new ApiError(400, 'invalid Content-Length');
  const body = new PassThrough();
  let bodyLeft = length;
  let inputData: ((chunk: Buffer) => void) | undefined;
  let inputEnd: (() => void) | undefined;
  const early: Buffer[] = [];
  let ended = false;
  const take = (chunk: Buffer) => {
    if (bodyLeft > 0) {
      const part = chunk.subarray(0, bodyLeft);
      bodyLeft -= part.length;
      body.write(part);
      if (bodyLeft === 0) body.end();
      chunk = chunk.subarray(part.length);
    }
    if (chunk.length === 0) return;
    if (inputData) inputData(chunk);
    else early.push(chunk);
  };
  if (length === 0) body.end();
  socket.on('data', take);
  socket.on('end', () => {
    ended = true;
    if (bodyLeft > 0) body.end();
    inputEnd?.();
  });
  socket.on('error', () => socket.destroy());
  if (head.length) take(head);

  const chunked = (): ResponseStream => ({
    write: (chunk) => {
      const data = Buffer.from(chunk);
      if (socket.destroyed || data.length === 0) return !socket.destroyed;
      return socket.write(Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]));
    },
    drained: () => drained(socket),
    end: () => socket.end('0\r\n\r\n'),
    get closed() {
      return socket.destroyed || socket.writableEnded;
    },
  });
  return {
    body,
    reply(status, headers, bytes) {
      const withLength = status === 204 || status === 304 ? headers : { ...headers, 'Content-Length': String(bytes.length) };
      socket.end(Buffer.concat([Buffer.from(headerBlock(status, { ...withLength, Connection: 'close' })), req.method === 'HEAD' ? Buffer.alloc(0) : bytes]));
    },
    stream(status, headers) {
      socket.write(headerBlock(status, { ...headers, 'Transfer-Encoding': 'chunked', Connection: 'close' }));
      return chunked();
    },
    hijack(contentType) {
      socket.setNoDelay(true);
      socket.write(headerBlock(101, { 'Content-Type': contentType, Connection: 'Upgrade', Upgrade: 'tcp' }));
      return {
        write: (chunk) => (socket.destroyed ? false : socket.write(chunk)),
        drained: () => drained(socket),
        end: () => socket.end(),
        get closed() {
          return socket.destroyed || socket.writableEnded;
        },
        onInput(data, end) {
          inputData = data;
          inputEnd = end;
          for (const chunk of early.splice(0)) data(chunk);
          if (ended) end();
        },
      };
    },
    websocket() {
      throw badRequest('attach/ws needs a websocket upgrade');
    },
    onClose: (fn) => void socket.once('close', fn),
    abort: () => socket.destroy(),
  };
}

const webSockets = new WebSocketServer({ noServer: true, perMessageDeflate: false });

/** A websocket upgrade (attach/ws): the ws library takes the socket; errors before it still answer in HTTP. */
export function websocketTransport(req: IncomingMessage, socket: Socket, head: Buffer): Transport {
  const refuse = (status: number, headers: Record<string, string>, bytes: Buffer) =>
    socket.end(Buffer.concat([Buffer.from(headerBlock(status, { ...headers, 'Content-Length': String(bytes.length), Connection: 'close' })), bytes]));
  const unsupported = () => {
    throw badRequest('only attach/ws takes a websocket');
  };
  return {
    body: Readable.from([]),
    reply: refuse,
    stream: unsupported,
    hijack: unsupported,
    websocket() {
      let ws: WebSocket | undefined;
      const pending: Buffer[] = [];
      let ending = false;
      let inputData: ((chunk: Buffer) => void) | undefined;
      let inputEnd: (() => void) | undefined;
      webSockets.handleUpgrade(req, socket, head, (client) => {
        ws = client;
        client.on('message', (data: Buffer) => inputData?.(Buffer.from(data)));
        client.on('close', () => inputEnd?.());
        for (const p of pending.splice(0)) client.send(p);
        if (ending) client.close();
      });
      return {
        write(chunk) {
          const data = Buffer.from(chunk);
          if (ws) ws.send(data);
          else pending.push(data);
          return true;
        },
        drained: () => Promise.resolve(),
        end() {
          ending = true;
          ws?.close();
        },
        get closed() {
          return socket.destroyed;
        },
        onInput(data, end) {
          inputData = data;
          inputEnd = end;
        },
      };
    },
    onClose: (fn) => void socket.once('close', fn),
    abort: () => socket.destroy(),
  };
}

function drained(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (!socket.writableNeedDrain || socket.destroyed) return resolve();
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.once('drain', done).once('close', done);
  });
}
