// The Docker API on the wire, against a real engine: what clients depend on
// byte for byte — ping's headers, version refusals, `{"message"}` errors with
// Docker's status codes, the upgrade to a raw stream (101 UPGRADED), stdcopy
// framing without a tty and none with one, stdin's half-close, wait's
// headers sent before the container starts, and 501 for what Strata lacks.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { tempEngine, type TempEngine } from '../testing/tempEngine';
import { startDockerApi, type DockerApiServer } from './server';
import { demux, request, upgrade } from './testing/wire';

let t: TempEngine;
let api: DockerApiServer;
let sock: string;

beforeAll(async () => {
  t = await tempEngine();
  sock = path.join(t.root, 'docker.sock');
  api = await startDockerApi({ client: t.client, address: { kind: 'unix', path: sock } });
});

afterAll(async () => {
  await api?.close();
  await t?.dispose();
});

const create = async (body: Record<string, unknown>, name?: string) => {
  // No network unless a test asks: the wire is the subject here, not netavark.
  const withNetwork = { ...body, HostConfig: { NetworkMode: 'none', ...((body.HostConfig as object) ?? {}) } };
  const r = await request(sock, 'POST', `/v1.41/containers/create${name ? `?name=${name}` : ''}`, { body: JSON.stringify({ Image: t.image, ...withNetwork }) });
  expect(r.status, r.body.toString()).toBe(201);
  return r.json<{ Id: string }>().Id;
};

describe('the socket and the versions', () => {
  it('is a 0660 socket, and answers ping as dockerd does (HEAD and GET)', async () => {
    expect(fs.statSync(sock).mode & 0o777).toBe(0o660);
    expect(api.address).toBe(`unix://${sock}`);
    for (const method of ['HEAD', 'GET']) {
      const r = await request(sock, method, '/_ping');
      expect(r.status).toBe(200);
      expect(r.headers['api-version']).toBe('1.41');
      expect(r.headers.ostype).toBe('linux');
      expect(r.headers['docker-experimental']).toBe('false');
      expect(r.headers['builder-version']).toBe('1');
      expect(r.body.toString()).toBe(method === 'GET' ? 'OK' : '');
    }
  });

  it('serves 1.24 to 1.41, refuses others in docker words, and answers 404 "page not found" for what it does not know', async () => {
    expect((await request(sock, 'GET', '/v1.24/version')).status).toBe(200);
    expect((await request(sock, 'GET', '/version')).json()).toMatchObject({ ApiVersion: '1.41', MinAPIVersion: '1.24', Os: 'linux' });
    const tooNew = await request(sock, 'GET', '/v1.50/version');
    expect([tooNew.status, tooNew.json()]).toEqual([400, { message: 'client version 1.50 is too new. Maximum supported API version is 1.41' }]);
    const tooOld = await request(sock, 'GET', '/v1.12/version');
    expect(tooOld.status).toBe(400);
    expect(tooOld.json<{ message: string }>().message).toMatch(/^client version 1.12 is too old. Minimum supported API version is 1.24/);
    for (const [method, p] of [['GET', '/v1.41/nosuch'], ['DELETE', '/v1.41/version'], ['POST', '/v1.41/containers/json']]) {
      const r = await request(sock, method, p);
      expect([r.status, r.json()]).toEqual([404, { message: 'page not found' }]);
    }
  });

  it('refuses requests a web page makes (an Origin header), whatever the endpoint', async () => {
    const r = await request(sock, 'GET', '/v1.41/containers/json', { headers: { Origin: 'http://127.0.0.1:8080' } });
    expect(r.status).toBe(403);
  });
});

describe('errors and features Strata lacks', () => {
  it("answers an engine error with its status and Docker's message, and changes nothing", async () => {
    const missing = await request(sock, 'GET', '/v1.41/containers/nosuch/json');
    expect([missing.status, missing.json()]).toEqual([404, { message: 'No such container: nosuch' }]);
    const id = await create({ Cmd: ['true'] }, 'taken');
    const again = await request(sock, 'POST', '/v1.41/containers/create?name=taken', { body: JSON.stringify({ Image: t.image, Cmd: ['true'] }) });
    expect(again.status).toBe(409);
    expect(again.json<{ message: string }>().message).toContain(`is already in use by container "${id}"`);
    const noImage = await request(sock, 'POST', '/v1.41/containers/create', { body: JSON.stringify({ Image: 'nosuch:1' }) });
    expect([noImage.status, noImage.json()]).toEqual([404, { message: 'No such image: nosuch:1' }]);
  });

  it('refuses a setting it cannot honour with 501, naming it, and creates nothing', async () => {
    const before = await t.client.call('container.list', { all: true });
    const r = await request(sock, 'POST', '/v1.41/containers/create', { body: JSON.stringify({ Image: t.image, HostConfig: { CgroupParent: 'mine', MemorySwappiness: -1, RestartPolicy: { Name: 'no' } } }) });
    expect(r.status).toBe(501);
    expect(r.json<{ message: string }>().message).toBe('Strata does not support HostConfig.CgroupParent ("mine")');
    expect(await t.client.call('container.list', { all: true })).toHaveLength(before.length);
    const swarm = await request(sock, 'GET', '/v1.41/swarm');
    expect(swarm.status).toBe(503);
  });

  it('takes the zero values clients send for everything (the docker CLI sends every field)', async () => {
    const r = await request(sock, 'POST', '/v1.41/containers/create', {
      body: JSON.stringify({
        Image: t.image, Cmd: ['true'], Volumes: {}, Labels: {}, OnBuild: null, ExposedPorts: null,
        HostConfig: { Binds: null, LogConfig: { Type: '', Config: {} }, NetworkMode: 'default', PortBindings: {}, RestartPolicy: { Name: 'no', MaximumRetryCount: 0 }, ConsoleSize: [0, 0], MemorySwappiness: -1, Ulimits: [], BlkioWeightDevice: [] },
        NetworkingConfig: { EndpointsConfig: { default: { IPAMConfig: null, Aliases: null, MacAddress: '' } } },
      }),
    });
    expect(r.status, r.body.toString()).toBe(201);
  });
});

describe('streams', () => {
  it('sends wait\'s headers before the container starts, attaches from the first byte with 101 UPGRADED, and frames stdout and stderr', async () => {
    const id = await create({ Cmd: ['sh', '-c', 'echo out; echo err >&2; exit 3'], AttachStdout: true, AttachStderr: true });
    const attached = await upgrade(sock, 'POST', `/v1.41/containers/${id}/attach?stdout=1&stderr=1&stream=1`);
    expect(attached.head.split('\r\n')).toEqual(['HTTP/1.1 101 UPGRADED', 'Content-Type: application/vnd.docker.raw-stream', 'Connection: Upgrade', 'Upgrade: tcp']);
    attached.socket.end(); // no stdin: the client half-closes at once, as docker run does
    const waited = await upgrade(sock, 'POST', `/v1.41/containers/${id}/wait?condition=next-exit`);
    // The headers came while the container has not started.
    expect(waited.head).toMatch(/^HTTP\/1.1 200 OK/);
    expect((await t.client.call('container.inspect', { id })).State.Status).toBe('created');
    expect((await request(sock, 'POST', `/v1.41/containers/${id}/start`)).status).toBe(204);
    const frames = demux(await attached.rest());
    expect(frames.filter((f) => f.stream === 1).map((f) => f.data).join('')).toBe('out\n');
    expect(frames.filter((f) => f.stream === 2).map((f) => f.data).join('')).toBe('err\n');
    const body = (await waited.rest()).toString();
    expect(body).toContain('{"Error":null,"StatusCode":3}');
    expect((await request(sock, 'POST', `/v1.41/containers/${id}/start`)).status).toBe(204);
  });

  it('gives a tty container raw output, and passes stdin until its half-close', async () => {
    const id = await create({ Cmd: ['cat'], OpenStdin: true, StdinOnce: true, AttachStdin: true, AttachStdout: true });
    const attached = await upgrade(sock, 'POST', `/v1.41/containers/${id}/attach?stdin=1&stdout=1&stream=1`);
    expect((await request(sock, 'POST', `/v1.41/containers/${id}/start`)).status).toBe(204);
    attached.socket.write('hello\n');
    attached.socket.end(); // stdin closes: cat ends
    expect(demux(await attached.rest())).toEqual([{ stream: 1, data: 'hello\n' }]);
    const tty = await create({ Cmd: ['sh', '-c', 'echo on a tty'], Tty: true });
    const raw = await upgrade(sock, 'POST', `/v1.41/containers/${tty}/attach?stdout=1&stream=1`);
    expect((await request(sock, 'POST', `/v1.41/containers/${tty}/start`)).status).toBe(204);
    expect((await raw.rest()).toString()).toBe('on a tty\r\n');
  });

  it('attaches over a websocket (attach/ws): raw bytes both ways', async () => {
    const id = await create({ Cmd: ['sh', '-c', 'read line; echo "got $line"'], OpenStdin: true, AttachStdin: true, AttachStdout: true });
    expect((await request(sock, 'POST', `/v1.41/containers/${id}/start`)).status).toBe(204);
    const ws = new WebSocket(`ws+unix://${sock}:/v1.41/containers/${id}/attach/ws?stream=1&stdin=1&stdout=1`);
    const received: Buffer[] = [];
    ws.on('message', (d: Buffer) => received.push(Buffer.from(d)));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.send(Buffer.from('hello\n'));
    await new Promise((resolve) => ws.once('close', resolve));
    expect(Buffer.concat(received).toString()).toBe('got hello\n');
  });

  it('answers start of a running container and stop of a stopped one with 304', async () => {
    const id = await create({ Cmd: ['sleep', '100'] });
    expect((await request(sock, 'POST', `/v1.41/containers/${id}/start`)).status).toBe(204);
    expect((await request(sock, 'POST', `/v1.41/containers/${id}/start`)).status).toBe(304);
    expect((await request(sock, 'POST', `/v1.41/containers/${id}/kill`)).status).toBe(204);
    expect((await request(sock, 'POST', `/v1.41/containers/${id}/stop`)).status).toBe(304);
    const kill = await request(sock, 'POST', `/v1.41/containers/${id}/kill`);
    expect(kill.status).toBe(409);
  });

  it('runs an exec over the hijacked stream and reports how it ended', async () => {
    const id = await create({ Cmd: ['sleep', '100'] });
    await request(sock, 'POST', `/v1.41/containers/${id}/start`);
    const made = await request(sock, 'POST', `/v1.41/containers/${id}/exec`, { body: JSON.stringify({ Cmd: ['sh', '-c', 'echo x; echo y >&2; exit 4'], AttachStdout: true, AttachStderr: true }) });
    expect(made.status).toBe(201);
    const execId = made.json<{ Id: string }>().Id;
    const stream = await upgrade(sock, 'POST', `/v1.41/exec/${execId}/start`, JSON.stringify({ Detach: false, Tty: false }));
    expect(stream.head).toMatch(/^HTTP\/1.1 101 UPGRADED/);
    stream.socket.end();
    expect(demux(await stream.rest())).toEqual([{ stream: 1, data: 'x\n' }, { stream: 2, data: 'y\n' }]);
    const inspected = (await request(sock, 'GET', `/v1.41/exec/${execId}/json`)).json<{ Running: boolean; ExitCode: number; ContainerID: string }>();
    expect(inspected).toMatchObject({ Running: false, ExitCode: 4, ContainerID: id });
    expect((await request(sock, 'GET', '/v1.41/exec/nosuch/json')).status).toBe(404);
  });

  it('serves logs framed, with timestamps, tail, since and until', async () => {
    const id = await create({ Cmd: ['sh', '-c', 'echo one; echo two >&2; echo three'] });
    const waited = await upgrade(sock, 'POST', `/v1.41/containers/${id}/wait?condition=next-exit`);
    await request(sock, 'POST', `/v1.41/containers/${id}/start`);
    await waited.rest();
    const all = await request(sock, 'GET', `/v1.41/containers/${id}/logs?stdout=1&stderr=1`);
    // Two pipes: the order between stdout and stderr lines is the monitor's, as with dockerd.
    const frames = demux(all.body);
    expect(frames.filter((f) => f.stream === 1)).toEqual([{ stream: 1, data: 'one\n' }, { stream: 1, data: 'three\n' }]);
    expect(frames.filter((f) => f.stream === 2)).toEqual([{ stream: 2, data: 'two\n' }]);
    const last = demux((await request(sock, 'GET', `/v1.41/containers/${id}/logs?stdout=1&stderr=1&tail=1`)).body);
    expect(last).toHaveLength(1);
    expect(frames.at(-1)).toEqual(last[0]);
    const stdoutOnly = await request(sock, 'GET', `/v1.41/containers/${id}/logs?stdout=1`);
    expect(demux(stdoutOnly.body).map((f) => f.data)).toEqual(['one\n', 'three\n']);
    const stamped = demux((await request(sock, 'GET', `/v1.41/containers/${id}/logs?stdout=1&timestamps=1`)).body);
    expect(stamped[0].data).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z one\n$/);
    const future = Math.ceil(Date.now() / 1000) + 60;
    expect((await request(sock, 'GET', `/v1.41/containers/${id}/logs?stdout=1&since=${future}`)).body.length).toBe(0);
    expect((await request(sock, 'GET', `/v1.41/containers/${id}/logs?stdout=1&until=1`)).body.length).toBe(0);
    const none = await request(sock, 'GET', `/v1.41/containers/${id}/logs`);
    expect([none.status, none.json()]).toEqual([400, { message: 'Bad parameters: you must choose at least one stream' }]);
  });

  it('waits for an --rm container to be removed, and replays its events between since and until', async () => {
    const from = Date.now() / 1000;
    const id = await create({ Cmd: ['true'], HostConfig: { AutoRemove: true } });
    const waited = await upgrade(sock, 'POST', `/v1.41/containers/${id}/wait?condition=removed`);
    await request(sock, 'POST', `/v1.41/containers/${id}/start`);
    expect((await waited.rest()).toString()).toContain('{"Error":null,"StatusCode":0}');
    expect((await request(sock, 'GET', `/v1.41/containers/${id}/json`)).status).toBe(404);
    const until = Date.now() / 1000 + 0.5;
    const events = await request(sock, 'GET', `/v1.41/events?since=${from}&until=${until}&filters=${encodeURIComponent(JSON.stringify({ container: [id] }))}`);
    const actions = events.body.toString().trim().split('\n').map((l) => JSON.parse(l) as { Type: string; Action: string; id: string });
    expect(actions.map((e) => e.Action)).toEqual(['create', 'start', 'die', 'destroy']);
    expect(actions.every((e) => e.Type === 'container' && e.id === id)).toBe(true);
  });
});

describe('TCP, when asked', () => {
  it('listens on 127.0.0.1 only, and refuses a request naming another host (DNS rebinding)', async () => {
    const tcp = await startDockerApi({ client: t.client, address: { kind: 'tcp', host: '127.0.0.1', port: 0 } });
    try {
      const port = Number(new URL(tcp.address.replace('tcp:', 'http:')).port);
      expect(tcp.address).toBe(`tcp://127.0.0.1:${port}`);
      const get = (host: string) =>
        new Promise<number>((resolve, reject) => http.get({ host: '127.0.0.1', port, path: '/_ping', headers: { Host: host } }, (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        }).on('error', reject));
      expect(await get(`127.0.0.1:${port}`)).toBe(200);
      expect(await get(`evil.example:${port}`)).toBe(403);
    } finally {
      await tcp.close();
    }
  });
});
