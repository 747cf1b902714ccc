// The desktop app's launch, for real: the engine socket only the desktop
// user can reach, and "Electron" (a stand-in program, as Electron's binary
// cannot be downloaded here) started as that user, not root, without
// --no-sandbox, reaching the engine with the token it was handed.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { tempEngine, type TempEngine } from '../testing/tempEngine';
import { asUser, desktopEnv, desktopUser, lookupUser, runDesktopApp, type DesktopUser } from './desktop';
import { startEngineSocket } from './engineSocket';
import { engineLinkEnv, engineSocketPath } from './link';
import { handshakeProtocols } from './wire';

let te: TempEngine;
let dir: string;
let nobody: DesktopUser;

beforeAll(async () => {
  te = await tempEngine();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-desktop-'));
  fs.chmodSync(dir, 0o777);
  nobody = lookupUser(65534)!;
});

afterAll(async () => {
  await te?.dispose();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the desktop user', () => {
  const users: Record<number, DesktopUser> = { 1000: { uid: 1000, gid: 1000, name: 'ada', home: '/home/ada', shell: '/bin/bash' } };
  const lookup = (uid: number) => users[uid];

  it('is who ran sudo or pkexec, never root', () => {
    expect(desktopUser({ SUDO_UID: '1000', SUDO_GID: '1000' }, lookup)).toEqual(users[1000]);
    expect(desktopUser({ PKEXEC_UID: '1000' }, lookup)).toEqual(users[1000]);
    expect(desktopUser({ SUDO_UID: '0' }, lookup)).toBeUndefined();
    expect(desktopUser({ SUDO_UID: '1000; rm -rf /' }, lookup)).toBeUndefined();
    expect(desktopUser({}, lookup)).toBeUndefined();
    expect(desktopUser({ SUDO_UID: '4242' }, lookup)).toBeUndefined();
  });

  it('is found in the system’s user database', () => {
    expect(lookupUser(65534)).toMatchObject({ uid: 65534, gid: 65534, name: 'nobody' });
    expect(lookupUser(4242_4242)).toBeUndefined();
  });

  it('gets the desktop session’s variables and its own identity, none of root’s', () => {
    const env = desktopEnv(
      { DISPLAY: ':0', XAUTHORITY: '/home/ada/.Xauthority', LC_ALL: 'C.UTF-8', HOME: '/root', SUDO_COMMAND: 'strata gui', STRATA_ROOT: '/var/lib/strata', LD_PRELOAD: '/x.so' },
      users[1000],
      { socket: '/tmp/s/engine.sock', token: 't' },
    );
    expect(env).toEqual({
      DISPLAY: ':0',
      XAUTHORITY: '/home/ada/.Xauthority',
      LC_ALL: 'C.UTF-8',
      HOME: '/home/ada',
      USER: 'ada',
      LOGNAME: 'ada',
      SHELL: '/bin/bash',
      XDG_RUNTIME_DIR: '/run/user/1000',
      [engineLinkEnv.socket]: '/tmp/s/engine.sock',
      [engineLinkEnv.token]: 't',
    });
  });
});

/** Tries the engine socket as a user (`user` is the setpriv that makes it; root when undefined); resolves to the handshake's status or the connect error. */
async function tryConnect(socket: string, protocols: string[], user?: string[]): Promise<string> {
  const script = `
    const WebSocket = require(${JSON.stringify(require.resolve('ws'))});
    const ws = new WebSocket('ws+unix:' + process.argv[1] + ':${engineSocketPath}', JSON.parse(process.argv[2]));
    ws.on('open', () => { console.log('open'); ws.close(); });
    ws.on('unexpected-response', (_q, r) => { console.log(r.statusCode); process.exit(); });
    ws.on('error', (e) => { console.log(e.code || e.message); process.exit(); });`;
  const argv = [process.execPath, '-e', script, socket, JSON.stringify(protocols)];
  const [command, ...args] = user ? [...user, ...argv] : argv;
  // Not spawnSync: the engine answering is this very process.
  const { stdout } = await promisify(execFile)(command, args, { encoding: 'utf8', cwd: '/' });
  return stdout.trim();
}

describe('the engine socket', () => {
  it('lets in only its owner, with the token', async () => {
    const socket = await startEngineSocket({ engine: te.client.engine, owner: nobody });
    try {
      const st = fs.statSync(socket.path);
      expect([st.uid, st.mode & 0o777]).toEqual([65534, 0o600]);
      const parent = fs.statSync(path.dirname(socket.path));
      expect([parent.uid, parent.mode & 0o777]).toEqual([0, 0o711]);
      const owner = asUser(nobody, []);
      expect(await tryConnect(socket.path, handshakeProtocols(socket.token), owner)).toBe('open');
      expect(await tryConnect(socket.path, handshakeProtocols('wrong'), owner)).toBe('403');
      expect(await tryConnect(socket.path, [], owner)).toBe('403');
      const stranger = ['setpriv', '--reuid=65533', '--regid=65533', '--clear-groups', '--'];
      expect(await tryConnect(socket.path, handshakeProtocols(socket.token), stranger)).toBe('EACCES');
    } finally {
      await socket.close();
    }
    expect(fs.existsSync(path.dirname(socket.path))).toBe(false);
  });

  it('refuses a handshake that says it comes from a web page', async () => {
    const socket = await startEngineSocket({ engine: te.client.engine, owner: { uid: 0, gid: 0 } });
    try {
      const status = await new Promise((resolve) => {
        const ws = new WebSocket(`ws+unix:${socket.path}:${engineSocketPath}`, handshakeProtocols(socket.token), { headers: { origin: 'http://127.0.0.1:8000' } });
        ws.on('unexpected-response', (_q, r) => resolve(r.statusCode));
        ws.on('open', () => resolve(101));
      });
      expect(status).toBe(403);
    } finally {
      await socket.close();
    }
  });
});

describe('the desktop app', () => {
  it('starts "Electron" as the desktop user, with its sandbox, linked to the engine', async () => {
    const report = path.join(dir, 'report.json');
    // Stands in for Electron: says who it runs as and with what, then asks the engine over its link.
    const fake = path.join(dir, 'electron');
    fs.writeFileSync(
      fake,
      `#!${process.execPath}
const fs = require('fs');
const WebSocket = require(${JSON.stringify(require.resolve('ws'))});
const env = process.env;
const ws = new WebSocket('ws+unix:' + env.${engineLinkEnv.socket} + ':${engineSocketPath}', ['strata', 'strata.token.' + env.${engineLinkEnv.token}]);
ws.on('open', () => ws.send(JSON.stringify({ kind: 'call', id: 1, name: 'system.info', arg: {} })));
ws.on('message', (data) => {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  fs.writeFileSync(${JSON.stringify(report)}, JSON.stringify({
    uid: process.getuid(), gid: process.getgid(), groups: process.getgroups(), args: process.argv.slice(2),
    capEff: /CapEff:\\s*(\\w+)/.exec(status)[1], home: env.HOME, strataRoot: env.STRATA_ROOT ?? null, socket: env.${engineLinkEnv.socket},
    answer: JSON.parse(data.toString()),
  }));
  ws.close();
});
`,
      { mode: 0o755 },
    );
    const code = await runDesktopApp({ binary: fake, appDir: '/opt/strata', engine: te.client.engine, user: nobody, env: { ...process.env, STRATA_ROOT: te.root } });
    expect(code).toBe(0);
    const seen = JSON.parse(fs.readFileSync(report, 'utf8'));
    expect(seen).toMatchObject({ uid: 65534, gid: 65534, groups: [65534], args: ['/opt/strata'], capEff: '0000000000000000', home: '/nonexistent', strataRoot: null });
    expect(seen.answer).toMatchObject({ kind: 'result', id: 1, result: { root: te.root } });
    // The socket went with the app.
    expect(fs.existsSync(path.dirname(seen.socket))).toBe(false);
  });
});
