import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../engine/errors';
import type { ClientMessage, ServerMessage } from '../../../engine/host/wire';
import { createRemoteClient } from './client';
import { electronPort } from './electron';
import type { EnginePort, PortStatus } from './port';

/** A port whose other end is the test. */
function fakePort() {
  const sent: ClientMessage[] = [];
  let deliver: (m: ServerMessage) => void = () => {};
  let status: (s: PortStatus) => void = () => {};
  const port: EnginePort = {
    post: (m) => sent.push(m),
    onMessage: (l) => (deliver = l),
    onStatus: (l) => (status = l),
  };
  return { port, sent, reply: (m: ServerMessage) => deliver(m), setStatus: (s: PortStatus) => status(s) };
}

describe('remote client', () => {
  it('numbers calls and resolves each with its own result', async () => {
    const f = fakePort();
    const client = createRemoteClient(f.port);
    const a = client.call('image.list', { all: true });
    const b = client.call('container.list', {});
    expect(f.sent).toEqual([
      { kind: 'call', id: 1, name: 'image.list', arg: { all: true } },
      { kind: 'call', id: 2, name: 'container.list', arg: {} },
    ]);
    f.reply({ kind: 'result', id: 2, result: ['c'] });
    f.reply({ kind: 'result', id: 1, result: ['i'] });
    expect(await a).toEqual(['i']);
    expect(await b).toEqual(['c']);
  });

  it('rethrows errors as EngineError with the engine kind', async () => {
    const f = fakePort();
    const client = createRemoteClient(f.port);
    const p = client.call('container.start', { id: 'nope' });
    f.reply({ kind: 'error', id: 1, error: { name: 'EngineError', code: 'NotFound', message: 'No such container: nope' } });
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect(err).toMatchObject({ name: 'EngineError', code: 'NotFound', message: 'No such container: nope' });
  });

  it('delivers stream messages until the end, and sends input and close', () => {
    const f = fakePort();
    const client = createRemoteClient(f.port);
    const got: unknown[] = [];
    let ended: unknown = 'not yet';
    const h = client.open('container.logs', { id: 'x', follow: true }, { onMessage: (m) => got.push(m), onEnd: (e) => (ended = e) });
    f.reply({ kind: 'message', id: 1, message: { stream: 'stdout', data: new Uint8Array([104]) } });
    f.reply({ kind: 'end', id: 1, error: { name: 'EngineError', code: 'Conflict', message: 'gone' } });
    f.reply({ kind: 'message', id: 1, message: 'after the end' });
    expect(got).toHaveLength(1);
    expect(ended).toEqual({ name: 'EngineError', code: 'Conflict', message: 'gone' });

    const s = client.open('container.exec', { id: 'x', cmd: ['sh'] }, { onMessage() {}, onEnd() {} });
    s.send({ data: new Uint8Array([1]) });
    s.close();
    s.send({ data: new Uint8Array([2]) });
    h.close(); // already ended: nothing to send
    expect(f.sent.slice(1)).toEqual([
      { kind: 'open', id: 2, name: 'container.exec', arg: { id: 'x', cmd: ['sh'] } },
      { kind: 'send', id: 2, input: { data: new Uint8Array([1]) } },
      { kind: 'close', id: 2 },
    ]);
  });

  it('fails what was in flight when the connection drops, and tells the app', async () => {
    const f = fakePort();
    const client = createRemoteClient(f.port);
    const statuses: PortStatus[] = [];
    client.onStatus((s) => statuses.push(s));
    const p = client.call('system.info', {});
    let ended: unknown;
    client.open('events', {}, { onMessage() {}, onEnd: (e) => (ended = e) });
    f.setStatus('lost');
    await expect(p).rejects.toMatchObject({ code: 'Unavailable' });
    expect(ended).toMatchObject({ code: 'Unavailable' });
    f.setStatus('open');
    expect(statuses).toEqual(['lost', 'open']);
  });

  it('maps an unknown error kind to Internal rather than trusting it', async () => {
    const f = fakePort();
    const client = createRemoteClient(f.port);
    const p = client.call('system.info', {});
    f.reply({ kind: 'error', id: 1, error: { name: 'EngineError', code: 'Bogus' as never, message: 'x' } });
    await expect(p).rejects.toMatchObject({ code: 'Internal', message: 'x' });
  });
});

describe('electron port', () => {
  it('relays wire messages as JSON text both ways, bytes included, and the link status', async () => {
    let toPage: (text: string) => void = () => {};
    let status: (s: PortStatus) => void = () => {};
    const posted: string[] = [];
    const client = createRemoteClient(
      electronPort({
        post: (text) => posted.push(text),
        onMessage: (l) => (toPage = l),
        onStatus: (l) => (status = l),
        save: async () => ({ outcome: { kind: 'cancelled' } }),
      }),
    );
    const info = client.call('system.info', {});
    expect(posted).toEqual(['{"kind":"call","id":1,"name":"system.info","arg":{}}']);
    toPage('{"kind":"result","id":1,"result":{"version":"0.1.0"}}');
    expect(await info).toEqual({ version: '0.1.0' });

    const got: unknown[] = [];
    const h = client.open('container.attach', { id: 'c', stdin: true }, { onMessage: (m) => got.push(m), onEnd() {} });
    h.send({ data: new Uint8Array([104, 105]) });
    expect(JSON.parse(posted[2])).toEqual({ kind: 'send', id: 2, input: { data: { $bytes: 'aGk=' } } });
    toPage('{"kind":"message","id":2,"message":{"stream":"stdout","data":{"$bytes":"aGk="}}}');
    toPage('not json');
    expect(got).toEqual([{ stream: 'stdout', data: new Uint8Array([104, 105]) }]);

    const statuses: PortStatus[] = [];
    client.onStatus((s) => statuses.push(s));
    status('lost');
    expect(statuses).toEqual(['lost']);
  });
});

describe('stream input', () => {
  it('goes in pieces small enough for the host (a big paste is many messages)', () => {
    const f = fakePort();
    const client = createRemoteClient(f.port);
    const h = client.open('container.attach', { id: 'x', stdin: true }, { onMessage() {}, onEnd() {} });
    const paste = new Uint8Array(40 * 1024).fill(97);
    h.send({ data: paste });
    h.send({ resize: { rows: 2, cols: 3 } });
    const sent = f.sent.slice(1) as Array<{ input: { data?: Uint8Array } }>;
    expect(sent.map((m) => m.input.data?.length)).toEqual([16384, 16384, 8192, undefined]);
    expect(sent.slice(0, 3).flatMap((m) => [...m.input.data!])).toEqual([...paste]);
  });
});

describe('downloads', () => {
  it('asks the host for a ticket and answers with its address', async () => {
    const f = fakePort();
    const client = createRemoteClient(f.port);
    const href = client.download('image.save', { refs: ['a'] }, 'a.tar');
    expect(f.sent).toEqual([{ kind: 'download', id: 1, name: 'image.save', arg: { refs: ['a'] }, filename: 'a.tar' }]);
    f.reply({ kind: 'result', id: 1, result: { href: '/download/t1' } });
    expect(await href).toBe('/download/t1');
  });
});
