// The session's bookkeeping of stream ids, with stand-in handlers so each
// race (input after the end, a reused id, a closed front end) is exact.
// The real engine behind the same session is in server.test.ts.

import { describe, expect, it } from 'vitest';
import type { StreamCallbacks } from '../rpc/client';
import { openSession, type EngineHandlers } from './session';
import type { ServerMessage } from './wire';

function harness() {
  const posted: ServerMessage[] = [];
  const opened: { callbacks: StreamCallbacks<unknown>; inputs: unknown[]; closed: boolean }[] = [];
  const engine = {
    requests: {
      'system.info': async () => ({ version: 'test' }),
      'container.start': async () => {
        throw new Error('boom');
      },
    },
    streams: {
      events: (_arg: unknown, callbacks: StreamCallbacks<unknown>) => {
        const s = { callbacks, inputs: [] as unknown[], closed: false };
        opened.push(s);
        return { send: (i: unknown) => s.inputs.push(i), close: () => (s.closed = true) };
      },
      'container.attach': (_arg: unknown, callbacks: StreamCallbacks<unknown>) => {
        const s = { callbacks, inputs: [] as unknown[], closed: false };
        opened.push(s);
        return { send: (i: unknown) => s.inputs.push(i), close: () => (s.closed = true) };
      },
    },
  } as unknown as EngineHandlers;
  const session = openSession(engine, (m) => posted.push(m));
  return { session, posted, opened };
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

  it("refuses what only the command line may do: read the engine's standard input, write a host path", async () => {
    const { session, posted, opened } = harness();
    session.receive({ kind: 'call', id: 1, name: 'image.load', arg: { path: '/dev/stdin' } });
    session.receive({ kind: 'call', id: 2, name: 'image.import', arg: { path: '/proc/self/fd/0' } });
    session.receive({ kind: 'open', id: 3, name: 'image.build', arg: { context: '-' } });
    session.receive({ kind: 'call', id: 4, name: 'image.saveFile', arg: { refs: ['x'], path: '/etc/passwd' } });
    await tick();
    const refusal = { name: 'EngineError', code: 'InvalidArgument', message: "standard input is the command line's: the app cannot read from it" };
    expect(posted).toEqual([
      { kind: 'error', id: 1, error: refusal },
      { kind: 'error', id: 2, error: refusal },
      { kind: 'end', id: 3, error: refusal },
      {
        kind: 'error',
        id: 4,
        error: { name: 'EngineError', code: 'InvalidArgument', message: 'image.saveFile writes a host path: the app saves through its download instead' },
      },
    ]);
    expect(opened).toHaveLength(0);
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
