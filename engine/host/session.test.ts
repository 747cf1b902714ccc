// The session's bookkeeping of stream ids, with stand-in handlers so each
// race (input after the end, a reused id, a closed front end) is exact.
// The real engine behind the same session is in server.test.ts.

import { describe, expect, it } from 'vitest';
import type { StreamCallbacks } from '../rpc/client';
import { appGrants } from '../rpc/policy';
import { openSession, type EngineHandlers, type SessionOptions } from './session';
import type { ServerMessage } from './wire';

interface Opened {
  callbacks: StreamCallbacks<unknown>;
  inputs: unknown[];
  closed: boolean;
  paused: boolean;
}

function harness(options: Partial<SessionOptions> = {}) {
  const posted: ServerMessage[] = [];
  const opened: Opened[] = [];
  const waiting: Array<() => void> = [];
  const stream = (_arg: unknown, callbacks: StreamCallbacks<unknown>) => {
    const s: Opened = { callbacks, inputs: [], closed: false, paused: false };
    opened.push(s);
    return {
      send: (i: unknown) => s.inputs.push(i),
      close: () => (s.closed = true),
      pause: () => (s.paused = true),
      resume: () => (s.paused = false),
    };
  };
  const engine = {
    requests: {
      'system.info': async () => ({ version: 'test' }),
      'container.start': async () => {
        throw new Error('boom');
      },
      'container.wait': () => new Promise((resolve) => waiting.push(() => resolve({ statusCode: 0 }))),
    },
    streams: { events: stream, 'container.attach': stream, 'image.save': stream },
  } as unknown as EngineHandlers;
  let room = true;
  const session = openSession(
    engine,
    (m) => {
      posted.push(m);
      return room;
    },
    { grants: appGrants, ...options },
  );
  return { session, posted, opened, waiting, full: (full: boolean) => (room = !full) };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('session', () => {
  it('answers calls through the dispatcher, errors as payloads', async () => {
    const { session, posted } = harness();
    session.receive({ kind: 'call', id: 1, name: 'system.info', arg: {} });
    session.receive({ kind: 'call', id: 2, name: 'container.start', arg: { id: 'x' } });
    session.receive({ kind: 'call', id: 3, name: 'system.info', arg: { extra: 1 } });
    await tick();
    expect(posted).toContainEqual({ kind: 'result', id: 1, result: { version: 'test' } });
    expect(posted).toContainEqual({ kind: 'error', id: 2, error: { name: 'EngineError', code: 'Internal', message: 'boom' } });
    expect(posted).toContainEqual({
      kind: 'error',
      id: 3,
      error: { name: 'EngineError', code: 'InvalidArgument', message: 'invalid argument extra: unknown field' },
    });
  });

  it("refuses what the app's policy refuses, before the engine sees it: host paths, the engine's standard input", async () => {
    const { session, posted, opened } = harness();
    session.receive({ kind: 'call', id: 1, name: 'image.load', arg: { path: '/dev/stdin' } });
    session.receive({ kind: 'call', id: 2, name: 'image.import', arg: { path: '/proc/self/fd/0' } });
    session.receive({ kind: 'open', id: 3, name: 'image.build', arg: { context: '-' } });
    session.receive({ kind: 'call', id: 4, name: 'image.saveFile', arg: { refs: ['x'], path: '/etc/passwd' } });
    session.receive({ kind: 'call', id: 5, name: 'container.create', arg: { image: 'x', binds: ['/:/host'] } });
    await tick();
    const stdin = (field: string, name: string) => ({
      name: 'EngineError',
      code: 'InvalidArgument',
      message: `${name} ${field}: the engine's standard input belongs to the command line, not the app`,
    });
    expect(posted).toEqual([
      { kind: 'end', id: 3, error: stdin('context', 'image.build') },
      { kind: 'error', id: 1, error: stdin('path', 'image.load') },
      { kind: 'error', id: 2, error: stdin('path', 'image.import') },
      {
        kind: 'error',
        id: 4,
        error: { name: 'EngineError', code: 'InvalidArgument', message: 'image.saveFile path: the app may not name a host path (the engine writes it as root)' },
      },
      {
        kind: 'error',
        id: 5,
        error: { name: 'EngineError', code: 'InvalidArgument', message: 'container.create binds: the app may not name a host path (the engine binds it as root)' },
      },
    ]);
    expect(opened).toHaveLength(0);
  });

  it('holds a front end to its limits: streams open and requests waiting at once', async () => {
    const { session, posted, opened, waiting } = harness({ limits: { streams: 2, calls: 2 } });
    for (const id of [1, 2, 3]) session.receive({ kind: 'open', id, name: 'events', arg: {} });
    expect(opened).toHaveLength(2);
    expect(posted).toEqual([{ kind: 'end', id: 3, error: { name: 'EngineError', code: 'Unavailable', message: 'too many open streams (at most 2)' } }]);
    session.receive({ kind: 'close', id: 1 });
    session.receive({ kind: 'open', id: 4, name: 'events', arg: {} });
    expect(opened).toHaveLength(3);

    for (const id of [10, 11, 12]) session.receive({ kind: 'call', id, name: 'container.wait', arg: { id: 'c' } });
    await tick();
    expect(posted.at(-1)).toEqual({ kind: 'error', id: 12, error: { name: 'EngineError', code: 'Unavailable', message: 'too many requests at once (at most 2)' } });
    for (const done of waiting.splice(0)) done();
    await tick();
    session.receive({ kind: 'call', id: 13, name: 'container.wait', arg: { id: 'c' } });
    await tick();
    expect(waiting).toHaveLength(1);
  });

  it('pauses a stream while its front end cannot keep up, and resumes it when it drained', () => {
    const { session, opened, full } = harness();
    session.receive({ kind: 'open', id: 1, name: 'container.attach', arg: { id: 'c' } });
    opened[0].callbacks.onMessage({ stream: 'stdout', data: new Uint8Array([1]) });
    expect(opened[0].paused).toBe(false);
    full(true);
    opened[0].callbacks.onMessage({ stream: 'stdout', data: new Uint8Array([2]) });
    expect(opened[0].paused).toBe(true);
    full(false);
    session.drained();
    expect(opened[0].paused).toBe(false);
  });

  it('gives download tickets for byte streams only, and only where there are downloads', async () => {
    const issued: unknown[] = [];
    const withDownloads = harness({ download: (name, arg, filename) => (issued.push([name, arg, filename]), '/download/t') });
    withDownloads.session.receive({ kind: 'download', id: 1, name: 'image.save', arg: { refs: ['x'] }, filename: 'x.tar' });
    withDownloads.session.receive({ kind: 'download', id: 2, name: 'container.exec', arg: { id: 'c', cmd: ['id'] }, filename: 'x' });
    withDownloads.session.receive({ kind: 'download', id: 3, name: 'image.saveFile', arg: { refs: ['x'], path: '/x' }, filename: 'x' });
    expect(issued).toEqual([['image.save', { refs: ['x'] }, 'x.tar']]);
    expect(withDownloads.posted).toEqual([
      { kind: 'result', id: 1, result: { href: '/download/t' } },
      { kind: 'error', id: 2, error: { name: 'EngineError', code: 'InvalidArgument', message: 'container.exec is not a byte stream: it cannot be downloaded' } },
      { kind: 'error', id: 3, error: { name: 'EngineError', code: 'InvalidArgument', message: 'image.saveFile is not a byte stream: it cannot be downloaded' } },
    ]);
    const without = harness();
    without.session.receive({ kind: 'download', id: 1, name: 'image.save', arg: { refs: ['x'] }, filename: 'x.tar' });
    expect(without.posted).toMatchObject([{ kind: 'error', id: 1, error: { code: 'InvalidArgument' } }]);
  });

  it('refuses malformed messages, answering when there is an id to answer', () => {
    const { session, posted } = harness();
    session.receive('nonsense');
    session.receive({ kind: 'call', id: 7 });
    session.receive({ kind: 'explode', id: 8 });
    expect(posted).toEqual([
      { kind: 'error', id: 7, error: { name: 'EngineError', code: 'InvalidArgument', message: 'malformed message' } },
      { kind: 'error', id: 8, error: { name: 'EngineError', code: 'InvalidArgument', message: 'malformed message' } },
    ]);
  });

  it('relays a stream, its input, and its end; nothing after the front end closed it', () => {
    const { session, posted, opened } = harness();
    session.receive({ kind: 'open', id: 5, name: 'container.attach', arg: { id: 'c', stdin: true } });
    opened[0].callbacks.onMessage({ stream: 'stdout', data: new Uint8Array([1]) });
    session.receive({ kind: 'send', id: 5, input: { data: 'aGk=' } });
    // Checked by the stream's input schema: base64 text becomes bytes.
    expect(Buffer.from((opened[0].inputs[0] as { data: Uint8Array }).data).toString()).toBe('hi');
    session.receive({ kind: 'close', id: 5 });
    expect(opened[0].closed).toBe(true);
    opened[0].callbacks.onMessage('late');
    opened[0].callbacks.onEnd();
    expect(posted).toEqual([{ kind: 'message', id: 5, message: { stream: 'stdout', data: new Uint8Array([1]) } }]);
  });

  it('ends a stream whose input is refused, and ignores input for streams that ended', () => {
    const { session, posted, opened } = harness();
    session.receive({ kind: 'open', id: 1, name: 'events', arg: {} });
    session.receive({ kind: 'send', id: 1, input: 'anything' });
    expect(opened[0].closed).toBe(true);
    expect(posted).toEqual([
      { kind: 'end', id: 1, error: { name: 'EngineError', code: 'InvalidArgument', message: 'stream events takes no input' } },
    ]);
    session.receive({ kind: 'send', id: 1, input: 'again' });
    session.receive({ kind: 'send', id: 99, input: 'never opened' });
    expect(posted).toHaveLength(1);
  });

  it('refuses a stream id already open, and an unknown stream, with an end', () => {
    const { session, posted, opened } = harness();
    session.receive({ kind: 'open', id: 1, name: 'events', arg: {} });
    session.receive({ kind: 'open', id: 1, name: 'events', arg: {} });
    session.receive({ kind: 'open', id: 2, name: 'no.such.stream', arg: {} });
    expect(opened).toHaveLength(1);
    expect(posted).toEqual([
      { kind: 'end', id: 1, error: { name: 'EngineError', code: 'InvalidArgument', message: 'stream id 1 is already open' } },
      { kind: 'end', id: 2, error: { name: 'EngineError', code: 'InvalidArgument', message: 'unknown stream: no.such.stream' } },
    ]);
  });

  it('closes every open stream when the front end goes, and then says nothing more', async () => {
    const { session, posted, opened } = harness();
    session.receive({ kind: 'open', id: 1, name: 'events', arg: {} });
    session.receive({ kind: 'open', id: 2, name: 'events', arg: {} });
    session.receive({ kind: 'call', id: 3, name: 'system.info', arg: {} });
    session.dispose();
    expect(opened.map((s) => s.closed)).toEqual([true, true]);
    opened[0].callbacks.onMessage('late');
    session.receive({ kind: 'open', id: 4, name: 'events', arg: {} });
    await tick();
    expect(posted).toEqual([]);
    expect(opened).toHaveLength(2);
  });
});
