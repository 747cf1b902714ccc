// The messages a remote front end and the engine exchange, and their JSON
// form for the browser host's websocket. The renderer's transport imports
// this file too, so it stays free of Node: base64 goes through atob/btoa,
// which both Node and browsers have.
//
//   client → engine: {kind:'call', id, name, arg}      a request
//                    {kind:'open', id, name, arg}      a stream
//                    {kind:'send', id, input}          input into an open stream
//                    {kind:'close', id}                stop listening to a stream
//                    {kind:'download', id, name, arg, filename}
//                                                      a ticket to GET a byte stream as a file
//   engine → client: {kind:'result', id, result}       a request's result ({href} for a download)
//                    {kind:'error', id, error}         a request's failure, {name, message, code}
//                    {kind:'message', id, message}     one message of a stream
//                    {kind:'end', id, error?}          a stream's end, with its error if it failed
//
// Bytes (stdin, stdout, log data) travel as {"$bytes": "<base64>"} and are
// Uint8Array again on the other side.

import type { ErrorPayload } from '../errors';

/**
 * The websocket subprotocol the engine speaks, and the one a client offers
 * beside it to carry its token (`strata.token.<token>`): browsers can put no
 * header on a websocket's handshake, and the URL would show in logs.
 */
export const wireProtocol = 'strata';
export const tokenProtocolPrefix = 'strata.token.';

/**
 * The longest message the host takes from a front end, in bytes of its
 * JSON: sized to what the app sends (engine/host/sockets.ts), and what the
 * app's own pieces are made to fit.
 */
export const maxMessageBytes = 128 * 1024;

/** Input bytes in one message at most: the host refuses big messages, and a paste can be any size. */
export const inputPieceBytes = 16 * 1024;

/** Stream input as messages of at most inputPieceBytes of data each. */
export function inputPieces(input: unknown): unknown[] {
  const data = (input as { data?: unknown } | null)?.data;
  if (!(data instanceof Uint8Array) || data.length <= inputPieceBytes) return [input];
  const pieces: unknown[] = [];
  for (let at = 0; at < data.length; at += inputPieceBytes) pieces.push({ data: data.subarray(at, at + inputPieceBytes) });
  return pieces;
}

/** What a client offers at the handshake. The engine answers with wireProtocol, never the token. */
export function handshakeProtocols(token: string): string[] {
  return [wireProtocol, `${tokenProtocolPrefix}${token}`];
}

export type ClientMessage =
  | { kind: 'call'; id: number; name: string; arg: unknown }
  | { kind: 'open'; id: number; name: string; arg: unknown }
  | { kind: 'send'; id: number; input: unknown }
  | { kind: 'close'; id: number }
  | { kind: 'download'; id: number; name: string; arg: unknown; filename: string };

export type ServerMessage =
  | { kind: 'result'; id: number; result: unknown }
  | { kind: 'error'; id: number; error: ErrorPayload }
  | { kind: 'message'; id: number; message: unknown }
  | { kind: 'end'; id: number; error?: ErrorPayload };

/** The messages that belong to an open stream. */
export type StreamMessage = Extract<ServerMessage, { kind: 'message' | 'end' }>;

const bytesKey = '$bytes';

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  // fromCharCode takes its arguments on the stack: go in slices.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000) as unknown as number[]);
  }
  return btoa(binary);
}

export function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** JSON text of a message, with every Uint8Array (Buffers included) as {"$bytes": base64}. */
export function encodeMessage(message: ClientMessage | ServerMessage): string {
  return JSON.stringify(message, function (this: Record<string, unknown>, key, value) {
    // `this[key]` is the value before toJSON ran: a Buffer would otherwise arrive as {type:'Buffer', data:[...]}.
    const raw = this[key];
    return raw instanceof Uint8Array ? { [bytesKey]: bytesToBase64(raw) } : value;
  });
}

/** The value of a message's JSON text, with {"$bytes": base64} back as Uint8Array. Throws on malformed JSON. */
export function decodeMessage(text: string): unknown {
  return JSON.parse(text, (_key, value) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const keys = Object.keys(value);
      if (keys.length === 1 && keys[0] === bytesKey && typeof value[bytesKey] === 'string') {
        return base64ToBytes(value[bytesKey]);
      }
    }
    return value;
  });
}

const clientKinds = new Set(['call', 'open', 'send', 'close', 'download']);

/** The message if it has the shape of a ClientMessage (its name and arg are checked later, by the dispatcher). */
export function asClientMessage(value: unknown): ClientMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  if (typeof m.kind !== 'string' || !clientKinds.has(m.kind) || !Number.isSafeInteger(m.id)) return undefined;
  if ((m.kind === 'call' || m.kind === 'open' || m.kind === 'download') && typeof m.name !== 'string') return undefined;
  if (m.kind === 'download' && typeof m.filename !== 'string') return undefined;
  return m as ClientMessage;
}
