// save, judged by the real tools: skopeo reads Strata's archive as a
// docker-archive and (extracted) as an OCI layout, umoci unpacks the layout
// into the same files the committed container had, and what skopeo writes
// back loads into Strata and runs. Round trip: commit, save, rmi, load, run.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lsetxattr, mknod } from '../native';
import { makeWhiteout, markOpaque } from '../fs/overlayFormat';
import { packTree } from '../fs/tarPack';
import { writeToPath } from './outputFile';
import { collect, tempEngine, type TempEngine } from '../testing/tempEngine';
import { tarFiles, tarOf, treeSnapshot } from '../testing/archives';

let t: TempEngine;
let work: string;
let committed: { id: string; container: string };
beforeAll(async () => {
  t = await tempEngine();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-save-'));
  const r = await t.run([
    'sh',
    '-c',
    'mkdir -p /app/bin && echo hello > /app/hello && chown 1000:1000 /app/hello && chmod 4711 /app/bin && ' +
      'ln -s hello /app/link && ln /app/hello /app/hard && mknod /app/tty c 5 0 && mkfifo /app/pipe && rm /etc/group',
  ]);
  const { imageId } = await t.client.call('container.commit', { id: r.id, reference: 'app:v1', message: 'app files' });
  committed = { id: imageId, container: r.id };
});
afterAll(async () => {
  await t?.dispose();
  fs.rmSync(work, { recursive: true, force: true });
});

const call: TempEngine['client']['call'] = (name, arg) => t.client.call(name, arg);
const skopeo = (...args: string[]) => execFileSync('skopeo', ['--insecure-policy', ...args], { encoding: 'utf8', cwd: work });
const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function save(refs: string[], name: string): Promise<string> {
  const file = path.join(work, name);
  await call('image.saveFile', { refs, path: file });
  return file;
}

describe('save', () => {
  it("writes Docker 25+'s archive: an OCI layout and manifest.json naming the same blobs", async () => {
    const file = await save(['app:v1'], 'app.tar');
    const files = await tarFiles(fs.readFileSync(file));
    expect(JSON.parse(files.get('oci-layout')!.toString())).toEqual({ imageLayoutVersion: '1.0.0' });
    const index = JSON.parse(files.get('index.json')!.toString());
    expect(index.manifests).toHaveLength(1);
    expect(index.manifests[0].annotations).toEqual({
      'io.containerd.image.name': 'docker.io/library/app:v1',
      'org.opencontainers.image.ref.name': 'v1',
    });
    const manifest = JSON.parse(files.get(`blobs/sha256/${index.manifests[0].digest.slice(7)}`)!.toString());
    const [item] = JSON.parse(files.get('manifest.json')!.toString());
    expect(item.RepoTags).toEqual(['app:v1']);
    expect(item.Config).toBe(`blobs/sha256/${committed.id.slice(7)}`);
    expect(manifest.config.digest).toBe(committed.id);
    const config = JSON.parse(files.get(item.Config)!.toString());
    // Layers: uncompressed tars named by their diff ids, the same list both ways.
    expect(item.Layers).toEqual(config.rootfs.diff_ids.map((d: string) => `blobs/sha256/${d.slice(7)}`));
    expect(manifest.layers.map((l: { digest: string }) => l.digest)).toEqual(config.rootfs.diff_ids);
    for (const [name, bytes] of files) if (name.startsWith('blobs/sha256/')) expect(sha256(bytes)).toBe(`sha256:${name.slice(13)}`);
    expect(JSON.parse(files.get('repositories')!.toString())).toEqual({ app: { v1: config.rootfs.diff_ids.at(-1).slice(7) } });
  });

  it('is deterministic and stores a layer shared by several images once', async () => {
    await call('image.tag', { source: 'app:v1', target: 'app:v2' });
    const a = fs.readFileSync(await save(['app', t.image], 'all-1.tar'));
    const b = fs.readFileSync(await save(['app', t.image], 'all-2.tar'));
    expect(a.equals(b)).toBe(true);
    const files = await tarFiles(a);
    const manifest = JSON.parse(files.get('manifest.json')!.toString());
    expect(manifest.map((m: { RepoTags: string[] }) => m.RepoTags)).toEqual([['app:v1', 'app:v2'], [t.image]]);
    // The starter's layer is the base of both images and is in the archive once.
    const base = manifest[1].Layers[0];
    expect(manifest[0].Layers[0]).toBe(base);
    expect([...files.keys()].filter((n) => n === base)).toHaveLength(1);
    // The parent link travels when the parent travels too.
    expect(manifest[0].Parent).toBe(await t.client.engine.images.access.resolve(t.image));
  });

  it('is read by skopeo as a docker-archive and, extracted, as an OCI layout', async () => {
    const file = await save(['app:v1'], 'skopeo.tar');
    const inspected = JSON.parse(skopeo('inspect', `docker-archive:${file}:app:v1`));
    const config = t.client.engine.images.store.images.getImage(committed.id).config;
    expect(inspected.Layers).toEqual(config.rootfs.diff_ids);
    const layout = path.join(work, 'layout');
    fs.mkdirSync(layout);
    execFileSync('tar', ['-xf', file, '-C', layout]);
    expect(JSON.parse(skopeo('inspect', `oci:${layout}:v1`)).Layers).toEqual(config.rootfs.diff_ids);
  });

  it('is unpacked by umoci into the files, modes and owners of the container it was committed from', async () => {
    // A small base (umoci is slow on the starter's hundreds of hard links) and a container whose
    // writable layer the test fills itself: every kind of entry, a deletion and an opaque dir.
    const base = path.join(work, 'base.tar');
    fs.writeFileSync(base, tarOf([
      { name: 'etc/', type: 'dir' },
      { name: 'etc/passwd', body: 'root:x:0:0::/root:/bin/sh\n' },
      { name: 'etc/motd', body: 'bye\n' },
      { name: 'opt/', type: 'dir' },
      { name: 'opt/old', body: 'hidden by an opaque dir\n' },
    ]));
    await call('image.import', { path: base, reference: 'tiny:base' });
    const { id } = await call('container.create', { image: 'tiny:base', cmd: ['none'] });
    const upper = path.join(t.root, 'containers', id, 'upper');
    fs.mkdirSync(path.join(upper, 'app'));
    fs.writeFileSync(path.join(upper, 'app', 'hello'), 'hello\n');
    fs.chownSync(path.join(upper, 'app', 'hello'), 1000, 1000);
    fs.chmodSync(path.join(upper, 'app', 'hello'), 0o4711);
    lsetxattr(path.join(upper, 'app', 'hello'), 'user.origin', Buffer.from('strata'));
    fs.symlinkSync('hello', path.join(upper, 'app', 'link'));
    fs.linkSync(path.join(upper, 'app', 'hello'), path.join(upper, 'app', 'hard'));
    mknod(path.join(upper, 'app', 'tty'), 0o20620, 5, 0);
    fs.chmodSync(path.join(upper, 'app', 'tty'), 0o620); // past the umask
    mknod(path.join(upper, 'app', 'pipe'), 0o10600, 0, 0);
    fs.mkdirSync(path.join(upper, 'etc'));
    makeWhiteout(path.join(upper, 'etc', 'motd'));
    fs.mkdirSync(path.join(upper, 'opt'));
    markOpaque(path.join(upper, 'opt'));
    fs.writeFileSync(path.join(upper, 'opt', 'new'), 'new\n');
    await call('container.commit', { id, reference: 'tiny:files' });

    const file = await save(['tiny:files'], 'tiny.tar');
    const layout = path.join(work, 'tiny-layout');
    fs.mkdirSync(layout);
    execFileSync('tar', ['-xf', file, '-C', layout]);
    execFileSync('umoci', ['unpack', '--image', `${layout}:files`, path.join(work, 'bundle')], { stdio: 'ignore' });
    // The container's files: its writable layer over its image's layers, merged as overlay does.
    const union = path.join(work, 'union');
    fs.mkdirSync(union);
    const tree = path.join(work, 'tree.tar');
    await writeToPath(tree, packTree([upper, ...t.client.engine.images.access.layers(await t.client.engine.images.access.resolve('tiny:base')).dirs]));
    execFileSync('tar', ['--xattrs', '--xattrs-include=*', '-xpf', tree, '-C', union]);
    const umoci = treeSnapshot(path.join(work, 'bundle', 'rootfs'));
    expect(umoci).toEqual(treeSnapshot(union));
    expect(umoci['app/hello']).toMatch(/^104711 1000 1000 6 aGVsbG8K 0 user.origin=737472617461$/);
    expect(umoci['app/tty']).toMatch(/^20620 0 0 0  1280 $/);
    expect(Object.keys(umoci).filter((k) => k.startsWith('etc/') || k.startsWith('opt/'))).toEqual(['etc/passwd', 'opt/new']);
  });

  it('round trip: commit, save, rmi, load, run gives the same image id and files', async () => {
    const file = await save(['app:v1'], 'round.tar');
    await call('image.remove', { ref: 'app:v2' });
    const removed = await call('image.remove', { ref: 'app:v1', force: true });
    expect(removed).toContainEqual({ untagged: 'app:v1' });
    await expect(call('image.inspect', { ref: 'app:v1' })).rejects.toThrow(/No such image/);
    const loaded = await call('image.load', { path: file });
    expect(loaded).toEqual([{ id: committed.id, repoTags: ['app:v1'], replaced: [] }]);
    const { id } = await call('container.create', { image: 'app:v1', cmd: ['sh', '-c', 'cat /app/hard; stat -c "%u %a" /app/hello /app/bin'] });
    expect((await collect(t.client, id)).stdout).toBe('hello\n1000 644\n0 4711\n');
  });

  it("loads what skopeo writes from Strata's archive: a docker-archive and a gzip OCI layout, and runs them", async () => {
    const file = await save(['app:v1'], 'for-skopeo.tar');
    skopeo('copy', '-q', `docker-archive:${file}:app:v1`, `docker-archive:${path.join(work, 'sk.tar')}:sk/app:v1`);
    skopeo('copy', '-q', `docker-archive:${file}:app:v1`, `oci:${path.join(work, 'sk-oci')}:sk/oci:v1`);
    execFileSync('tar', ['-cf', path.join(work, 'sk-oci.tar'), '-C', path.join(work, 'sk-oci'), '.']);
    const fromArchive = await call('image.load', { path: path.join(work, 'sk.tar') });
    expect(fromArchive).toEqual([{ id: committed.id, repoTags: ['sk/app:v1'], replaced: [] }]);
    const fromLayout = await call('image.load', { path: path.join(work, 'sk-oci.tar') });
    expect(fromLayout[0]!.repoTags).toEqual(['sk/oci:v1']);
    for (const image of ['sk/app:v1', 'sk/oci:v1']) {
      const { id } = await call('container.create', { image, cmd: ['cat', '/app/hello'] });
      expect((await collect(t.client, id)).stdout).toBe('hello\n');
    }
  });

  it('streams the archive for the app, the same bytes as the file', async () => {
    const file = fs.readFileSync(await save([t.image], 'starter.tar'));
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) =>
      t.client.open('image.save', { refs: [t.image] }, {
        onMessage: (m) => chunks.push(Buffer.from(m.data)),
        onEnd: (err) => (err ? reject(new Error(err.message)) : resolve()),
      }),
    );
    expect(Buffer.concat(chunks).equals(file)).toBe(true);
  });
});
