// Strata beside Docker and skopeo on one registry: what Strata pushes,
// skopeo inspects and Docker pulls and runs; what both print for the same
// pull is the same; pushing again or to another repository of the same
// registry reuses what is there (HEAD, cross-repository mount).

import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lines, pushAll, registryTestEngine, type RegistryTestEngine } from './testing/harness';
import { startDockerd, type PrivateDocker } from './testing/dockerd';
import { dockerArchive, skopeoManifest, skopeoPush } from './testing/images';
import { startRegistry, type RegistryServer } from './testing/registryServer';

const run = promisify(execFile);
const strata = path.resolve(__dirname, '..', '..', 'bin', 'strata');
let t: RegistryTestEngine;
let registry: RegistryServer;
let docker: PrivateDocker;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  t = registryTestEngine();
  registry = await startRegistry({ dir: path.join(t.dir, 'registry') });
  docker = await startDockerd(path.join(t.dir, 'dockerd'), [registry.host]);
  env = { ...process.env, STRATA_ROOT: t.root, STRATA_CONFIG_ROOT: t.configRoot, DOCKER_CONFIG: t.dockerConfig };
}, 120_000);

afterAll(async () => {
  await docker?.stop();
  await registry?.stop();
  await t?.dispose();
});

/** Docker may skip a layer's "Verifying Checksum" when "Download complete" follows at once (its progress keeps the latest state only). */
const comparable = (out: string) => out.replace(/^[0-9a-f]{12}: Verifying Checksum\n/gm, '');

describe('beside docker', () => {
  it('prints the pull lines docker prints, and `images --digests` as docker lists it', async () => {
    const img = dockerArchive(t.dir, 'x:1', [{ files: { 'bin/busybox': fs.readFileSync('/bin/busybox') } }]);
    skopeoPush(img.archive, `${registry.host}/same/lines:latest`);
    const ref = `${registry.host}/same/lines`;
    const theirs = await docker.docker(['pull', ref]);
    const ours = await run(strata, ['pull', ref], { env });
    expect(comparable(ours.stdout)).toBe(comparable(theirs.stdout));
    const again = await run(strata, ['pull', ref], { env });
    expect(again.stdout).toBe((await docker.docker(['pull', ref])).stdout);
    const fmt = '{{.Repository}} {{.Tag}} {{.Digest}} {{.ID}}';
    expect((await run(strata, ['images', '--digests', '--format', fmt, ref], { env })).stdout).toBe(
      (await docker.docker(['images', '--digests', '--format', fmt, ref])).stdout,
    );
  });

  it('pushes what skopeo inspects and docker pulls and runs; a second push finds the layers there, another repository mounts them', async () => {
    const { reference } = await t.client.call('image.bootstrap', {});
    const target = `${registry.host}/strata/starter:v1`;
    await t.client.call('image.tag', { source: reference, target });
    const ms = await pushAll(t.client, { reference: target });
    const pushed = ms.find((m) => m.type === 'pushed') as { digest: string; size: number };
    const shown = lines(ms);
    expect(shown[0]).toBe(`The push refers to repository [${registry.host}/strata/starter]`);
    expect(shown.filter((l) => l.endsWith(': Preparing')).length).toBeGreaterThan(0);
    expect(shown.at(-1)).toBe(`v1: digest: ${pushed.digest} size: ${pushed.size}`);

    const inspect = await t.client.call('image.inspect', { ref: target });
    const manifest = skopeoManifest(target) as { config: { digest: string }; layers: unknown[] };
    expect(manifest.config.digest).toBe(inspect.Id);
    expect(manifest.layers).toHaveLength(inspect.RootFS.Layers.length);
    expect(inspect.RepoDigests).toContain(`${registry.host}/strata/starter@${pushed.digest}`);

    const pulled = await docker.docker(['pull', target]);
    expect(pulled.stdout).toContain(`Digest: ${pushed.digest}`);
    expect((await docker.docker(['image', 'inspect', '--format', '{{.Id}} {{json .RootFS.Layers}}', target])).stdout.trim()).toBe(
      `${inspect.Id} ${JSON.stringify(inspect.RootFS.Layers)}`,
    );
    const out = await docker.docker(['run', '--rm', '--network', 'none', target, 'echo', 'pushed by strata']);
    expect(out.stdout).toBe('pushed by strata\n');

    const again = lines(await pushAll(t.client, { reference: target }));
    expect(again.filter((l) => l.endsWith(': Layer already exists'))).toHaveLength(inspect.RootFS.Layers.length);
    const other = `${registry.host}/elsewhere/copy:v1`;
    await t.client.call('image.tag', { source: target, target: other });
    const mounted = lines(await pushAll(t.client, { reference: other }));
    expect(mounted.filter((l) => l.endsWith(': Mounted from strata/starter'))).toHaveLength(inspect.RootFS.Layers.length);
    expect(mounted.at(-1)).toBe(`v1: digest: ${pushed.digest} size: ${pushed.size}`);
  });

  it('pushes a layer of many MiB, part random and part text, that docker pulls back byte for byte, the text compressed', async () => {
    const random = randomBytes(5_000_000);
    const text = Buffer.from('strata pushes layers in gzip members\n'.repeat(200_000));
    const img = dockerArchive(t.dir, 'big:1', [{ files: { 'bin/busybox': fs.readFileSync('/bin/busybox'), 'data/random': random, 'data/text': text } }]);
    await t.client.call('image.load', { path: img.archive });
    const target = `${registry.host}/strata/big:v1`;
    await t.client.call('image.tag', { source: 'big:1', target });
    await pushAll(t.client, { reference: target });
    const manifest = skopeoManifest(target) as { layers: Array<{ size: number }> };
    // The random bytes cannot shrink; the text must (it is well over half the tar).
    expect(manifest.layers[0]!.size).toBeLessThan(random.length + fs.statSync('/bin/busybox').size + text.length / 4);
    await docker.docker(['pull', target]);
    const out = await docker.docker(['run', '--rm', '--network', 'none', target, '/bin/busybox', 'sha256sum', '/data/random', '/data/text']);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(out.stdout).toBe(`${sha(random)}  /data/random\n${sha(text)}  /data/text\n`);
  });

  it('run pulls a missing image with docker’s lines on stderr', async () => {
    const img = dockerArchive(t.dir, 'x:1', [{ files: { 'bin/busybox': fs.readFileSync('/bin/busybox'), 'etc/msg': 'pulled by run\n' } }]);
    skopeoPush(img.archive, `${registry.host}/run/me:latest`);
    const r = await run(strata, ['run', '--rm', `${registry.host}/run/me`, '/bin/busybox', 'cat', '/etc/msg'], { env });
    expect(r.stdout).toBe('pulled by run\n');
    const err = r.stderr.split('\n');
    expect(err[0]).toBe(`Unable to find image '${registry.host}/run/me:latest' locally`);
    expect(err[1]).toBe('latest: Pulling from run/me');
    expect(err).toContain(`Status: Downloaded newer image for ${registry.host}/run/me:latest`);
    await expect(run(strata, ['run', '--rm', '--pull', 'never', `${registry.host}/run/other`, 'true'], { env })).rejects.toMatchObject({
      code: 125,
      stderr: `Error: No such image: ${registry.host}/run/other:latest\n`,
    });
  });
});
