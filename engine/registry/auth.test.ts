// Login, logout and authenticated transfers against real registries: one
// behind htpasswd basic auth, one behind token auth with the test's token
// issuer; credentials kept as the docker CLI keeps them, in config.json or
// through a docker-credential-* helper.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseChallenges } from './auth';
import { lines, pullAll, pushAll, registryTestEngine, type RegistryTestEngine } from './testing/harness';
import { dockerArchive, skopeoPush } from './testing/images';
import { makeSigningKey } from './testing/pki';
import { startRegistry, type RegistryServer } from './testing/registryServer';
import { startTokenServer, type TokenServer } from './testing/tokenServer';

let t: RegistryTestEngine;
let basic: RegistryServer;
let tokened: RegistryServer;
let issuer: TokenServer;
const configFile = () => path.join(t.dockerConfig, 'config.json');

beforeAll(async () => {
  t = registryTestEngine();
  const htpasswd = path.join(t.dir, 'htpasswd');
  fs.writeFileSync(htpasswd, execFileSync('htpasswd', ['-Bbn', 'alice', 's3cret'], { encoding: 'utf8' }));
  basic = await startRegistry({ dir: path.join(t.dir, 'basic'), htpasswd });
  const key = makeSigningKey(path.join(t.dir, 'issuer'));
  issuer = await startTokenServer({ key: key.key, cert: key.cert, users: { bob: 'hunter2' }, anonymousPull: true });
  tokened = await startRegistry({
    dir: path.join(t.dir, 'tokened'),
    token: { realm: issuer.realm, service: issuer.service, issuer: issuer.issuer, rootCertBundle: key.certPath },
  });
  const img = dockerArchive(t.dir, 'x:1', [{ files: { 'etc/hello': 'hello\n' } }]);
  skopeoPush(img.archive, `${basic.host}/team/app:1`, ['--dest-creds', 'alice:s3cret']);
});

afterAll(async () => {
  await t?.dispose();
  await basic?.stop();
  await tokened?.stop();
  await issuer?.stop();
});

describe('challenges', () => {
  it('reads Bearer and Basic challenges with quoted and bare parameters', () => {
    expect(parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/ubuntu:pull"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/ubuntu:pull' } },
    ]);
    expect(parseChallenges(['Basic realm="x y"'])).toEqual([{ scheme: 'basic', params: { realm: 'x y' } }]);
  });
});

describe('basic auth', () => {
  it('asks for credentials, refuses a wrong password in one line storing nothing, keeps the right one 0600', async () => {
    await expect(pullAll(t.client, { reference: `${basic.host}/team/app:1` })).rejects.toMatchObject({ code: 'Unauthorized' });
    await expect(t.client.call('registry.login', { server: basic.host, username: 'alice', password: 'wrong' })).rejects.toMatchObject({
      code: 'Unauthorized',
      message: `login attempt to http://${basic.host}/v2/ failed with status: 401 Unauthorized`,
    });
    expect(fs.existsSync(configFile())).toBe(false);

    expect(await t.client.call('registry.login', { server: basic.host, username: 'alice', password: 's3cret' })).toEqual({
      status: 'Login Succeeded',
      server: basic.host,
      plainTextFile: configFile(),
    });
    expect(fs.statSync(configFile()).mode & 0o777).toBe(0o600);
    expect(fs.statSync(t.dockerConfig).mode & 0o777).toBe(0o700);
    expect(JSON.parse(fs.readFileSync(configFile(), 'utf8'))).toEqual({ auths: { [basic.host]: { auth: Buffer.from('alice:s3cret').toString('base64') } } });

    const ms = await pullAll(t.client, { reference: `${basic.host}/team/app:1` });
    expect(lines(ms).at(-1)).toBe(`Status: Downloaded newer image for ${basic.host}/team/app:1`);

    expect(await t.client.call('registry.logout', { server: basic.host })).toEqual({ server: basic.host, removed: true });
    expect(await t.client.call('registry.logout', { server: basic.host })).toEqual({ server: basic.host, removed: false });
    expect(JSON.parse(fs.readFileSync(configFile(), 'utf8'))).toEqual({ auths: {} });
  });

  it('uses a docker-credential helper named by credsStore', async () => {
    const bin = path.join(t.dir, 'bin');
    const store = path.join(t.dir, 'helper-store');
    fs.mkdirSync(bin, { recursive: true });
    fs.mkdirSync(store, { recursive: true });
    // A helper speaking the protocol: server on stdin for get/erase, JSON for store.
    fs.writeFileSync(
      path.join(bin, 'docker-credential-testfile'),
      `#!/bin/sh
set -e
case "$1" in
  store) cat > "${store}/current.json" ;;
  get) read -r server || true; if [ -f "${store}/current.json" ]; then cat "${store}/current.json"; else echo "credentials not found in native keychain"; exit 1; fi ;;
  erase) rm -f "${store}/current.json" ;;
esac
`,
      { mode: 0o755 },
    );
    fs.mkdirSync(t.dockerConfig, { recursive: true });
    fs.writeFileSync(configFile(), JSON.stringify({ credsStore: 'testfile' }));
    const oldPath = process.env.PATH;
    process.env.PATH = `${bin}:${oldPath}`;
    try {
      const r = await t.client.call('registry.login', { server: basic.host, username: 'alice', password: 's3cret' });
      expect(r.plainTextFile).toBeUndefined();
      expect(JSON.parse(fs.readFileSync(path.join(store, 'current.json'), 'utf8'))).toEqual({ ServerURL: basic.host, Username: 'alice', Secret: 's3cret' });
      expect(fs.readFileSync(configFile(), 'utf8')).not.toContain('s3cret');
      await t.client.call('image.remove', { ref: `${basic.host}/team/app:1` });
      const ms = await pullAll(t.client, { reference: `${basic.host}/team/app:1` });
      expect(ms.some((m) => m.type === 'pulled')).toBe(true);
      await t.client.call('registry.logout', { server: basic.host });
      expect(fs.existsSync(path.join(store, 'current.json'))).toBe(false);
    } finally {
      process.env.PATH = oldPath;
      fs.rmSync(configFile(), { force: true });
    }
  });
});

describe('token auth', () => {
  it('pushes with pull,push scope after login, reuses tokens, pulls anonymously with pull scope', async () => {
    await expect(t.client.call('registry.login', { server: tokened.host, username: 'bob', password: 'nope' })).rejects.toMatchObject({
      code: 'Unauthorized',
      message: `Get "http://${tokened.host}/v2/": unauthorized: incorrect username or password`,
    });
    expect(fs.existsSync(configFile())).toBe(false);
    await t.client.call('registry.login', { server: tokened.host, username: 'bob', password: 'hunter2' });
    // The realm handed out a refresh token: that is kept, not the password.
    const kept = JSON.parse(fs.readFileSync(configFile(), 'utf8')).auths[tokened.host];
    expect(kept.identitytoken).toMatch(/^[0-9a-f]{32}$/);
    expect(Buffer.from(kept.auth, 'base64').toString()).toBe('bob:');

    const img = dockerArchive(t.dir, 'team/app:1', [{ files: { 'etc/a': 'a\n' } }, { files: { 'etc/b': 'b\n' } }, { files: { 'etc/c': 'c\n' } }]);
    const [loaded] = await t.client.call('image.load', { path: img.archive });
    await t.client.call('image.tag', { source: loaded!.id, target: `${tokened.host}/team/app:1` });
    issuer.requests.length = 0;
    const pushed = await pushAll(t.client, { reference: `${tokened.host}/team/app:1` });
    expect(lines(pushed).filter((l) => l.endsWith(': Pushed'))).toHaveLength(3);
    // One token for the whole push (pull,push on the repository), traded for the refresh token.
    expect(issuer.requests).toEqual([{ method: 'POST', account: 'bob', scopes: ['repository:team/app:pull,push'], granted: true }]);

    await t.client.call('registry.logout', { server: tokened.host });
    await t.client.call('image.remove', { ref: `${tokened.host}/team/app:1` });
    await t.client.call('image.remove', { ref: 'team/app:1' });
    issuer.requests.length = 0;
    const pulled = await pullAll(t.client, { reference: `${tokened.host}/team/app:1` });
    expect(pulled.find((m) => m.type === 'pulled')).toMatchObject({ imageId: img.configDigest });
    expect(issuer.requests).toEqual([{ method: 'GET', account: null, scopes: ['repository:team/app:pull'], granted: true }]);

    // Anonymous push: the token grants no push, and the registry refuses.
    await expect(pushAll(t.client, { reference: `${tokened.host}/team/app:1` })).rejects.toMatchObject({ code: 'Unauthorized' });
  });
});
