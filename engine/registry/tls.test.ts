// HTTPS registries: a CA made by openssl in a certs.d directory under the
// test's config root is trusted; a wrong CA is refused with Go's words; a
// registry under a name only an HTTPS_PROXY knows is reached through it.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proxyFor } from './hosts';
import { startConnectProxy } from './testing/connectProxy';
import { pullAll, registryTestEngine, type RegistryTestEngine } from './testing/harness';
import { dockerArchive, skopeoPush } from './testing/images';
import { makePki, type TestPki } from './testing/pki';
import { startRegistry, type RegistryServer } from './testing/registryServer';

let t: RegistryTestEngine;
let pki: TestPki;
let registry: RegistryServer;
let configDigest: string;

const certsDir = (host: string) => path.join(t.configRoot, 'docker', 'certs.d', host);

beforeAll(async () => {
  t = registryTestEngine();
  pki = makePki(path.join(t.dir, 'pki'), ['registry.test']);
  registry = await startRegistry({ dir: path.join(t.dir, 'registry'), tls: { cert: pki.serverCert, key: pki.serverKey } });
  const img = dockerArchive(t.dir, 'x:1', [{ files: { 'etc/tls': 'over TLS\n' } }]);
  configDigest = img.configDigest;
  skopeoPush(img.archive, `${registry.host}/secure/app:1`);
});

afterAll(async () => {
  await t?.dispose();
  await registry?.stop();
});

describe('TLS', () => {
  it('trusts the CA in certs.d, and refuses a registry whose certificate another CA signed', async () => {
    fs.mkdirSync(certsDir(registry.host), { recursive: true });
    const other = makePki(path.join(t.dir, 'other-pki'));
    fs.writeFileSync(path.join(certsDir(registry.host), 'ca.crt'), other.caPem);
    await expect(pullAll(t.client, { reference: `${registry.host}/secure/app:1` })).rejects.toMatchObject({
      code: 'Unavailable',
      message: `Get "https://${registry.host}/v2/": x509: certificate signed by unknown authority`,
    });
    fs.writeFileSync(path.join(certsDir(registry.host), 'ca.crt'), pki.caPem);
    const ms = await pullAll(t.client, { reference: `${registry.host}/secure/app:1` });
    expect(ms.find((m) => m.type === 'pulled')).toMatchObject({ imageId: configDigest });
  });

  it('reaches a registry by a name only the HTTPS_PROXY resolves, verifying its certificate', async () => {
    const port = registry.host.split(':')[1];
    const proxy = await startConnectProxy({ 'registry.test': '127.0.0.1' });
    const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY };
    process.env.HTTPS_PROXY = proxy.url;
    process.env.NO_PROXY = 'example.invalid';
    try {
      fs.mkdirSync(certsDir(`registry.test:${port}`), { recursive: true });
      fs.writeFileSync(path.join(certsDir(`registry.test:${port}`), 'ca.crt'), pki.caPem);
      await t.client.call('image.remove', { ref: `${registry.host}/secure/app:1` });
      const ms = await pullAll(t.client, { reference: `registry.test:${port}/secure/app:1` });
      expect(ms.find((m) => m.type === 'pulled')).toMatchObject({ imageId: configDigest });
      expect(proxy.tunnels).toContain(`registry.test:${port}`);
    } finally {
      process.env.HTTPS_PROXY = saved.HTTPS_PROXY ?? '';
      process.env.NO_PROXY = saved.NO_PROXY ?? '';
      if (saved.HTTPS_PROXY === undefined) delete process.env.HTTPS_PROXY;
      if (saved.NO_PROXY === undefined) delete process.env.NO_PROXY;
      await proxy.stop();
    }
  });

  it('chooses the proxy as Go does: NO_PROXY names, suffixes, CIDRs and ports; never for loopback', () => {
    const env = { HTTPS_PROXY: 'proxy:3128', NO_PROXY: '.corp.example,10.0.0.0/8,registry.local:5000' };
    expect(proxyFor(new URL('https://registry-1.docker.io/v2/'), env)).toBe('http://proxy:3128');
    expect(proxyFor(new URL('https://a.corp.example/v2/'), env)).toBeUndefined();
    expect(proxyFor(new URL('https://10.1.2.3/v2/'), env)).toBeUndefined();
    expect(proxyFor(new URL('https://registry.local:5000/v2/'), env)).toBeUndefined();
    expect(proxyFor(new URL('https://registry.local:5001/v2/'), env)).toBe('http://proxy:3128');
    expect(proxyFor(new URL('https://127.0.0.1:5000/v2/'), env)).toBeUndefined();
    expect(proxyFor(new URL('http://example.com/'), env)).toBeUndefined();
  });
});
