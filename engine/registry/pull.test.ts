// Pulls from Debian's docker-registry on 127.0.0.1, of images skopeo put
// there from archives made with GNU tar: by tag and digest, a shared base,
// a multi-platform index, an interrupted blob, a corrupt blob, Ctrl-C.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullMessage } from '../api';
import { collect } from '../testing/tempEngine';
import { rootSnapshot } from '../testing/archives';
import { chainIds } from '../oci/digest';
import { request } from 'undici';
import { startFlakyProxy } from './testing/flakyProxy';
import { lines, pullAll, registryTestEngine, type RegistryTestEngine } from './testing/harness';
import { dockerArchive, skopeoPush, type BuiltImage } from './testing/images';
import { startRegistry, type RegistryServer } from './testing/registryServer';

const busybox = fs.readFileSync('/bin/busybox');
let t: RegistryTestEngine;
let registry: RegistryServer;
let base: BuiltImage;
let child: BuiltImage;

/** Everything a pull could have written, but the downloads kept for a retry. */
const snapshot = () => {
  const s = rootSnapshot(t.client);
  return { ...s, files: s.files.filter((f) => !f.startsWith('downloads')) };
};

beforeAll(async () => {
  t = registryTestEngine();
  registry = await startRegistry({ dir: path.join(t.dir, 'registry') });
  const random = (n: number, seed: string) => Buffer.concat(Array.from({ length: Math.ceil(n / 32) }, (_, i) => require('node:crypto').createHash('sha256').update(`${seed}${i}`).digest()));
  base = dockerArchive(t.dir, 'test/base:1', [
    { files: { 'bin/busybox': busybox }, createdBy: 'ADD busybox /bin/' },
    { files: { 'etc/motd': 'shared middle\n', 'data/blob': random(2_000_000, 'mid') }, createdBy: 'ADD middle /' },
  ]);
  child = dockerArchive(t.dir, 'test/child:1', [
    { files: { 'bin/busybox': busybox }, createdBy: 'ADD busybox /bin/' },
    { files: { 'etc/motd': 'shared middle\n', 'data/blob': random(2_000_000, 'mid') }, createdBy: 'ADD middle /' },
    { files: { 'etc/child': 'only the child\n' }, createdBy: 'ADD child /etc/' },
  ]);
  skopeoPush(base.archive, `${registry.host}/test/base:1`);
  skopeoPush(child.archive, `${registry.host}/test/child:1`);
});

afterAll(async () => {
  await t?.dispose();
  await registry?.stop();
});

const layerLines = (ms: PullMessage[], status: string) => ms.filter((m) => m.type === 'layer' && m.status === status).map((m) => (m as { digest: string }).digest);

describe('pull', () => {
  it('pulls by tag: Docker’s lines, the image id and ChainIDs Docker computes, RepoDigests, and the image runs', async () => {
    const ms = await pullAll(t.client, { reference: `${registry.host}/test/base:1` });
    const pulled = ms.find((m) => m.type === 'pulled')!;
    expect(pulled).toMatchObject({ imageId: base.configDigest, upToDate: false });
    const shown = lines(ms);
    expect(shown[0]).toBe('1: Pulling from test/base');
    expect(shown.filter((l) => l.endsWith(': Pulling fs layer'))).toHaveLength(2);
    expect(shown.filter((l) => l.endsWith(': Pull complete'))).toHaveLength(2);
    expect(shown.slice(-2)).toEqual([`Digest: ${(pulled as { digest: string }).digest}`, `Status: Downloaded newer image for ${registry.host}/test/base:1`]);

    const inspect = await t.client.call('image.inspect', { ref: `${registry.host}/test/base:1` });
    expect(inspect.Id).toBe(base.configDigest);
    expect(inspect.RootFS.Layers).toEqual(base.diffIds);
    expect(inspect.RepoDigests).toEqual([`${registry.host}/test/base@${(pulled as { digest: string }).digest}`]);
    const stack = await t.client.call('image.stack', { ref: base.configDigest });
    expect(stack.entries.filter((e) => e.kind === 'layer').map((e) => e.chainId)).toEqual(chainIds(base.diffIds));
    const list = await t.client.call('image.list', {});
    expect(list.find((i) => i.id === base.configDigest)?.repoDigests).toEqual(inspect.RepoDigests);

    const { id } = await t.client.call('container.create', { image: `${registry.host}/test/base:1`, cmd: ['/bin/busybox', 'cat', '/etc/motd'] });
    expect(await collect(t.client, id)).toMatchObject({ stdout: 'shared middle\n', exitCode: 0 });

    const again = await pullAll(t.client, { reference: `${registry.host}/test/base:1` });
    expect(lines(again)).toEqual(['1: Pulling from test/base', `Digest: ${(pulled as { digest: string }).digest}`, `Status: Image is up to date for ${registry.host}/test/base:1`]);
  });

  it('pulls by digest, verified; a digest the registry does not have is not found', async () => {
    const head = await request(`http://${registry.host}/v2/test/child/manifests/1`, { method: 'HEAD', headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' } });
    const digest = String(head.headers['docker-content-digest']);
    const ms = await pullAll(t.client, { reference: `${registry.host}/test/child@${digest}` });
    expect(lines(ms)[0]).toBe(`${digest}: Pulling from test/child`);
    // Only the layer the base does not have is downloaded.
    expect(layerLines(ms, 'Already exists')).toHaveLength(2);
    expect(layerLines(ms, 'Pulling fs layer')).toHaveLength(1);
    const image = ms.find((m) => m.type === 'image') as Extract<PullMessage, { type: 'image' }>;
    expect(image.layers.map((l) => l.exists)).toEqual([true, true, false]);
    expect(image.layers[0]!.sharedWith).toEqual([`${registry.host}/test/base:1`]);
    const inspect = await t.client.call('image.inspect', { ref: `${registry.host}/test/child@${digest}` });
    expect(inspect).toMatchObject({ Id: child.configDigest, RepoTags: [], RepoDigests: [`${registry.host}/test/child@${digest}`] });

    const missing = `${registry.host}/test/child@sha256:${'0'.repeat(64)}`;
    await expect(pullAll(t.client, { reference: missing })).rejects.toMatchObject({
      code: 'NotFound',
      message: `manifest for ${missing} not found: manifest unknown: manifest unknown`,
    });
  });

  it('picks this machine’s image from an amd64 + arm64 index, and another with --platform', async () => {
    const amd = dockerArchive(t.dir, 'multi:amd64', [{ files: { 'bin/busybox': busybox, 'etc/arch': 'amd64\n' } }], { architecture: 'amd64' });
    const arm = dockerArchive(t.dir, 'multi:arm64', [{ files: { 'etc/arch': 'arm64\n' } }], { architecture: 'arm64' });
    skopeoPush(amd.archive, `${registry.host}/test/multi:amd64`);
    skopeoPush(arm.archive, `${registry.host}/test/multi:arm64`);
    const entry = async (tag: string, platform: object) => {
      const res = await request(`http://${registry.host}/v2/test/multi/manifests/${tag}`, { headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' } });
      const bytes = Buffer.from(await res.body.arrayBuffer());
      return { mediaType: String(res.headers['content-type']), size: bytes.length, digest: String(res.headers['docker-content-digest']), platform };
    };
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [await entry('arm64', { os: 'linux', architecture: 'arm64', variant: 'v8' }), await entry('amd64', { os: 'linux', architecture: 'amd64' })],
    });
    const put = await request(`http://${registry.host}/v2/test/multi/manifests/both`, { method: 'PUT', headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' }, body: index });
    expect(put.statusCode).toBe(201);
    const mine = process.arch === 'arm64' ? arm : amd;
    const other = process.arch === 'arm64' ? amd : arm;
    const ms = await pullAll(t.client, { reference: `${registry.host}/test/multi:both` });
    expect(ms.find((m) => m.type === 'pulled')).toMatchObject({ imageId: mine.configDigest });
    const otherPlatform = process.arch === 'arm64' ? 'linux/amd64' : 'linux/arm64';
    const ms2 = await pullAll(t.client, { reference: `${registry.host}/test/multi:both`, platform: otherPlatform });
    expect(ms2.find((m) => m.type === 'image')).toMatchObject({ platform: process.arch === 'arm64' ? 'linux/amd64' : 'linux/arm64/v8' });
    expect(ms2.find((m) => m.type === 'pulled')).toMatchObject({ imageId: other.configDigest });
    await expect(pullAll(t.client, { reference: `${registry.host}/test/multi:both`, platform: 'linux/s390x' })).rejects.toMatchObject({
      code: 'NotFound',
      message: 'no matching manifest for linux/s390x in the manifest list entries',
    });
  });

  it('resumes a blob whose connection dropped, with a Range request', async () => {
    const big = dockerArchive(t.dir, 'test/big:1', [{ files: { 'data/big': fs.readFileSync('/bin/busybox').subarray(0, 500_000), 'data/rnd': require('node:crypto').randomBytes(3_000_000) } }]);
    skopeoPush(big.archive, `${registry.host}/test/big:1`);
    const proxy = await startFlakyProxy(registry.host, { dropAfter: 1_000_000 });
    try {
      const ms = await pullAll(t.client, { reference: `${proxy.host}/test/big:1` });
      expect(ms.find((m) => m.type === 'pulled')).toMatchObject({ imageId: big.configDigest });
      expect(proxy.dropped.length).toBeGreaterThan(0);
      // It resumes after the bytes it had taken in when the connection dropped (some may still have been in flight).
      const starts = proxy.seen.flatMap((r) => (r.range === undefined ? [] : [Number(/^bytes=(\d+)-$/.exec(r.range)?.[1])]));
      expect(starts.length).toBeGreaterThan(0);
      for (const start of starts) expect(start > 500_000 && start <= 1_000_000).toBe(true);
    } finally {
      await proxy.stop();
    }
  });

  it('refuses a blob whose bytes do not match its digest, and nothing lands', async () => {
    const bad = dockerArchive(t.dir, 'test/bad:1', [{ files: { 'etc/bad': 'will be corrupted\n', 'data/x': Buffer.alloc(100_000, 7) } }]);
    skopeoPush(bad.archive, `${registry.host}/test/bad:1`);
    // Flip bytes of the stored layer blob in the registry's own storage.
    const blobs = path.join(t.dir, 'registry', 'storage', 'docker', 'registry', 'v2', 'blobs', 'sha256');
    const manifest = JSON.parse(execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/test/bad:1`], { encoding: 'utf8' }));
    const layer = manifest.layers[0].digest.slice(7);
    const data = path.join(blobs, layer.slice(0, 2), layer, 'data');
    const bytes = fs.readFileSync(data);
    bytes[bytes.length - 20] ^= 0xff;
    fs.writeFileSync(data, bytes);
    const before = snapshot();
    await expect(pullAll(t.client, { reference: `${registry.host}/test/bad:1` })).rejects.toMatchObject({
      message: `filesystem layer verification failed for digest sha256:${layer}`,
    });
    expect(snapshot()).toEqual(before);
    expect(fs.readdirSync(path.join(t.root, 'downloads')).filter((n) => n.includes(layer))).toEqual([]);
  });

  it('cancelled mid-download leaves the store as it was, and the retry resumes', async () => {
    const slow = dockerArchive(t.dir, 'test/slow:1', [{ files: { 'data/a': require('node:crypto').randomBytes(6_000_000) } }, { files: { 'data/b': require('node:crypto').randomBytes(6_000_000) } }]);
    skopeoPush(slow.archive, `${registry.host}/test/slow:1`);
    // Slowed, so the cancel lands mid-download however busy the machine is (layers unpack as they arrive).
    const proxy = await startFlakyProxy(registry.host, { bytesPerSecond: 20_000_000 });
    try {
      const before = snapshot();
      const cancelAt = (m: PullMessage) => m.type === 'layer' && m.status === 'Downloading' && (m.current ?? 0) > 500_000;
      await expect(pullAll(t.client, { reference: `${proxy.host}/test/slow:1` }, cancelAt)).rejects.toMatchObject({ message: 'pull cancelled' });
      expect(snapshot()).toEqual(before);
      const partial = fs.readdirSync(path.join(t.root, 'downloads')).filter((n) => n.endsWith('.partial') || /^[0-9a-f]{64}$/.test(n));
      expect(partial.length).toBeGreaterThan(0);
      const ms = await pullAll(t.client, { reference: `${proxy.host}/test/slow:1` });
      expect(ms.find((m) => m.type === 'pulled')).toMatchObject({ imageId: slow.configDigest });
      expect(proxy.seen.some((r) => r.range !== undefined)).toBe(true);
    } finally {
      await proxy.stop();
    }
  });

  it('gets a blob the image lists twice once, and stacks both of its layers', async () => {
    const again = dockerArchive(t.dir, 'test/again:1', [
      { files: { 'etc/again': 'twice\n' }, createdBy: 'ADD again /etc/' },
      { files: { 'etc/between': 'between\n' }, createdBy: 'ADD between /etc/' },
      { files: { 'etc/again': 'twice\n' }, createdBy: 'ADD again /etc/' },
    ]);
    expect(again.diffIds[0]).toBe(again.diffIds[2]);
    skopeoPush(again.archive, `${registry.host}/test/again:1`);
    const ms = await pullAll(t.client, { reference: `${registry.host}/test/again:1` });
    expect(layerLines(ms, 'Pulling fs layer')).toHaveLength(2);
    expect(layerLines(ms, 'Pull complete')).toHaveLength(3);
    const inspect = await t.client.call('image.inspect', { ref: `${registry.host}/test/again:1` });
    expect(inspect.RootFS.Layers).toEqual(again.diffIds);
    // The top layer is its own dir (its ChainID names the two below it), with the blob's files.
    const top = path.join(t.root, 'layers', chainIds(again.diffIds)[2]!.slice(7), 'diff');
    expect(fs.readFileSync(path.join(top, 'etc', 'again'), 'utf8')).toBe('twice\n');
  });

  it('pulls every tag with allTags', async () => {
    const ms = await pullAll(t.client, { reference: `${registry.host}/test/multi`, allTags: true });
    // In the order the registry lists them.
    expect(lines(ms).filter((l) => l.includes('Pulling from')).sort()).toEqual(['amd64: Pulling from test/multi', 'arm64: Pulling from test/multi', 'both: Pulling from test/multi']);
    const tags = (await t.client.call('image.list', { all: true })).flatMap((i) => i.repoTags).filter((r) => r.includes('/test/multi:'));
    expect(tags.sort()).toEqual(['amd64', 'arm64', 'both'].map((x) => `${registry.host}/test/multi:${x}`));
  });
});
