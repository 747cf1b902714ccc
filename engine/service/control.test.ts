// The service as the app's settings drive it: status says where it would
// listen (the settings file's `hosts`), start runs `strata system service`
// as a process of its own on the same store, which docker then reaches,
// stop ends it whoever started it. Addresses other hosts could reach are
// refused before anything listens.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalClient, type LocalClient } from '../rpc/local';
import { strataGroup } from '../dockerapi/listen';
import { parseAddress } from './address';
import { claimTestNetwork } from '../testing/testNetwork';

const run = promisify(execFile);
let dir: string;
let client: LocalClient;
let address: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-service-'));
  address = `unix://${path.join(dir, 'sock', 'docker.sock')}`;
  fs.mkdirSync(path.join(dir, 'etc', 'strata'), { recursive: true });
  // This test process's network settings, and where the service listens.
  fs.writeFileSync(path.join(dir, 'etc', 'strata', 'config.json'), JSON.stringify({ ...claimTestNetwork().keys, hosts: [address] }));
  client = openLocalClient({ root: path.join(dir, 'root'), configRoot: path.join(dir, 'etc') });
});

afterAll(async () => {
  await client.call('dockerApi.stop', {});
  client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the Docker API service', () => {
  it('starts on the configured socket, serves docker on this store, and stops', async () => {
    expect(await client.call('dockerApi.status', {})).toEqual({ running: false, address, dockerHost: address });
    const started = await client.call('dockerApi.start', {});
    expect(started).toMatchObject({ running: true, address, dockerHost: address, access: expect.stringMatching(/^root/) });
    expect(fs.statSync(address.slice('unix://'.length)).mode & 0o777).toBe(0o660);
    // Starting again finds it running.
    expect((await client.call('dockerApi.start', {})).pid).toBe(started.pid);
    const { id } = await client.call('image.bootstrap', {});
    const { stdout } = await run('docker', ['-H', address, 'images', '-q', '--no-trunc'], { env: { ...process.env, DOCKER_CONFIG: path.join(dir, 'cli') } });
    expect(stdout.trim()).toBe(id);
    expect(await client.call('dockerApi.stop', {})).toEqual({ running: false, address, dockerHost: address });
    expect(fs.existsSync(address.slice('unix://'.length))).toBe(false);
  }, 60_000);
});

describe('strata system service --timeout', () => {
  it('serves, then exits once no client has been connected for that long, leaving no socket or state behind', async () => {
    const root = path.join(dir, 'timeout-root');
    const socket = path.join(dir, 'idle.sock');
    const bin = path.resolve(__dirname, '..', '..', 'bin', 'strata');
    const started = Date.now();
    const service = run(process.execPath, [bin, 'system', 'service', '--socket', `unix://${socket}`, '--timeout', '2'], { env: { ...process.env, STRATA_ROOT: root } });
    while (!fs.existsSync(path.join(root, 'run', 'docker-api.json'))) await new Promise((r) => setTimeout(r, 50));
    await run('docker', ['-H', `unix://${socket}`, 'version'], { env: { ...process.env, DOCKER_CONFIG: path.join(dir, 'cli') } });
    const { stdout } = await service;
    expect(stdout).toBe(`Strata: serving the Docker Engine API on unix://${socket} (${strataGroup() === undefined ? 'root only' : 'root and group strata'}); export DOCKER_HOST=unix://${socket}\n`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(fs.existsSync(socket)).toBe(false);
    expect(fs.existsSync(path.join(root, 'run', 'docker-api.json'))).toBe(false);
  }, 60_000);
});

describe('addresses', () => {
  it('takes unix sockets and TCP on 127.0.0.1 only', () => {
    expect(parseAddress('unix:///run/x.sock')).toEqual({ kind: 'unix', path: '/run/x.sock' });
    expect(parseAddress('tcp://127.0.0.1:2376')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 2376 });
    expect(parseAddress('tcp://localhost')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 2375 });
    expect(() => parseAddress('tcp://0.0.0.0:2375')).toThrow(/refusing to listen on 0.0.0.0: .* TCP on 127.0.0.1 only/);
    expect(() => parseAddress('tcp://192.168.1.2:2375')).toThrow(/refusing to listen/);
    expect(() => parseAddress('unix://relative.sock')).toThrow(/must be absolute/);
    expect(() => parseAddress('/run/x.sock')).toThrow(/expected unix:\/\/\/PATH or tcp:\/\/127.0.0.1:PORT/);
  });
});
