import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serializeConfig, type OciImageConfig } from '../oci/config';
import { openDb, type Db } from './db';
import { sha256Digest } from '../oci/digest';
import { openStore, type Store } from './store';

let root: string;
let db: Db;
let store: Store;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-images-'));
  db = openDb(path.join(root, 'strata.db'));
  store = openStore(db, root);
});
afterEach(() => {
  db.close();
  fs.rmSync(root, { recursive: true, force: true });
});

async function layer(parent: string | null, files: Record<string, string>) {
  const pack = tar.pack();
  for (const [name, content] of Object.entries(files)) pack.entry({ name, mode: 0o644, mtime: new Date(0) }, content);
  pack.finalize();
  return store.layers.registerLayer(parent, Readable.from(pack));
}

function config(diffIds: string[], extra: Partial<OciImageConfig> = {}): Buffer {
  return serializeConfig({
    architecture: 'amd64',
    os: 'linux',
    created: '2024-01-02T03:04:05.123456789Z',
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: diffIds.map(() => ({ created_by: 'test' })),
    ...extra,
  });
}

const none = (ref: string) => expect.objectContaining({ code: 'NotFound', message: `No such image: ${ref}` });

describe('ImageStore', () => {
  it('stores an image as its config blob and a row naming its top layer', async () => {
    const base = await layer(null, { a: '12345' });
    const top = await layer(base.chainId, { b: '123' });
    const bytes = config([base.diffId, top.diffId], { config: { Cmd: ['sh'], Labels: { team: 'strata' } } });
    const { id, created } = store.images.createImage(bytes);
    expect(created).toBe(true);
    expect(id).toBe(sha256Digest(bytes));
    expect(fs.readFileSync(path.join(root, 'blobs', 'sha256', id.slice(7)))).toEqual(bytes);
    const image = store.images.getImage(id);
    expect(image).toMatchObject({ id, topLayer: top.chainId, parent: '', repoTags: [] });
    expect(image.created).toBeCloseTo(1704164645123456789, -4);
    expect(image.config.config?.Cmd).toEqual(['sh']);
    expect(store.images.imageSize(id)).toBe(base.size + top.size);
    expect(store.images.configBytes(id)).toEqual(bytes);
    expect(store.images.createImage(bytes)).toEqual({ id, created: false });
  });

  it('refuses a config whose layers are not in the store, or a missing parent', async () => {
    const missing = sha256Digest('not a layer');
    expect(() => store.images.createImage(config([missing]))).toThrow(/not in the store/);
    const base = await layer(null, { a: '1' });
    expect(() => store.images.createImage(config([base.diffId]), { parent: sha256Digest('x') })).toThrow(
      expect.objectContaining({ code: 'NotFound' }),
    );
    expect(db.prepare('SELECT count(*) AS n FROM images').get()).toEqual({ n: 0 });
    expect(fs.readdirSync(store.blobs.dir)).toEqual([]);
  });

  it('resolves tags, full ids and unique prefixes as Docker does', async () => {
    const base = await layer(null, { a: '1' });
    const { id } = store.images.createImage(config([base.diffId]));
    const hex = id.slice(7);
    expect(store.images.tag('busybox', id)).toEqual({ ref: 'busybox:latest', previous: null });
    store.images.tag('docker.io/library/busybox:1.36', id);
    store.images.tag('localhost:5000/x/y:1', id);
    for (const ref of ['busybox', 'busybox:latest', 'docker.io/library/busybox:latest', 'library/busybox:1.36', 'localhost:5000/x/y:1']) {
      expect(store.images.resolveImage(ref).id).toBe(id);
    }
    for (const ref of [id, hex, hex.slice(0, 12), hex.slice(0, 1), `sha256:${hex.slice(0, 5)}`]) {
      expect(store.images.resolveImage(ref).id).toBe(id);
    }
    expect(store.images.getImage(id).repoTags).toEqual(['busybox:1.36', 'busybox:latest', 'localhost:5000/x/y:1']);
    expect(() => store.images.resolveImage('nosuch')).toThrow(none('nosuch:latest'));
    expect(() => store.images.resolveImage('busybox:2')).toThrow(none('busybox:2'));
    expect(() => store.images.resolveImage('0'.repeat(64))).toThrow(none(`sha256:${'0'.repeat(64)}`));
    expect(() => store.images.resolveImage('FOO')).toThrow(
      expect.objectContaining({ code: 'InvalidArgument', message: 'invalid reference format: repository name must be lowercase' }),
    );
  });

  it('prefers a tag over an id prefix, and refuses an ambiguous prefix', async () => {
    const base = await layer(null, { a: '1' });
    // Make images until two ids share their first hex digit.
    const byFirst = new Map<string, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const { id } = store.images.createImage(config([base.diffId], { author: `n${i}` }));
      const earlier = byFirst.get(id[7]);
      if (earlier) pair = [earlier, id];
      byFirst.set(id[7], id);
    }
    const prefix = pair[0][7];
    expect(() => store.images.resolveImage(prefix)).toThrow(
      expect.objectContaining({ code: 'InvalidArgument', message: `multiple images found with provided prefix: ${prefix}` }),
    );
    store.images.tag(prefix, pair[1]); // a repository named like the prefix
    expect(store.images.resolveImage(prefix).id).toBe(pair[1]);
  });

  it('moves a tag, untags, and refuses tags Docker refuses', async () => {
    const base = await layer(null, { a: '1' });
    const a = store.images.createImage(config([base.diffId], { author: 'a' })).id;
    const b = store.images.createImage(config([base.diffId], { author: 'b' })).id;
    store.images.tag('app', a);
    expect(store.images.tag('app:latest', b)).toEqual({ ref: 'app:latest', previous: a });
    expect(store.images.resolveImage('app').id).toBe(b);
    expect(store.images.untag('app')).toEqual({ ref: 'app:latest', imageId: b });
    expect(() => store.images.untag('app')).toThrow(none('app:latest'));
    expect(() => store.images.tag('App', a)).toThrow(/must be lowercase/);
    expect(() => store.images.tag(`x@sha256:${'a'.repeat(64)}`, a)).toThrow('refusing to create a tag with a digest reference');
    expect(() => store.images.tag(a.slice(7), a)).toThrow(/cannot specify 64-byte hexadecimal strings/);
    expect(() => store.images.tag('ok', sha256Digest('nope'))).toThrow(expect.objectContaining({ code: 'NotFound' }));
    expect(db.prepare('SELECT count(*) AS n FROM tags').get()).toEqual({ n: 0 });
  });

  it('lists top-level images, and intermediate ones with all', async () => {
    const base = await layer(null, { a: '12345' });
    const top = await layer(base.chainId, { b: '12' });
    const parent = store.images.createImage(config([base.diffId], { created: '2024-01-01T00:00:00Z' })).id;
    const child = store.images.createImage(config([base.diffId, top.diffId], { created: '2024-01-02T00:00:00Z', config: { Labels: { k: 'v' } } }), {
      parent,
    }).id;
    const dangling = store.images.createImage(config([base.diffId], { created: '2024-01-03T00:00:00Z', author: 'x' })).id;
    store.images.tag('app:1', child);
    expect(store.images.children(parent)).toEqual([child]);

    const top1 = store.images.listImages();
    expect(top1.map((i) => i.id)).toEqual([dangling, child]);
    expect(top1[1]).toEqual({
      id: child,
      repoTags: ['app:1'],
      repoDigests: [],
      parentId: parent,
      created: Date.UTC(2024, 0, 2) / 1000,
      added: expect.any(Number),
      size: base.size + top.size,
      layers: 2,
      containers: 0,
      labels: { k: 'v' },
    });
    // Made long after its config says it was created: the store says when it got it.
    expect(Math.abs(top1[1].added - Date.now() / 1000)).toBeLessThan(600);
    expect(top1[0].repoTags).toEqual([]);
    expect(store.images.listImages({ all: true }).map((i) => i.id)).toEqual([dangling, child, parent]);
  });

  it('finds an image by the manifest digest it was pulled as, and forgets that with the image', async () => {
    const base = await layer(null, { a: 'digested' });
    const { id } = store.images.createImage(config([base.diffId]));
    const digest = `sha256:${'ab'.repeat(32)}`;
    expect(store.images.addRepoDigest('localhost:5000/x/y', digest, id)).toBe(`localhost:5000/x/y@${digest}`);
    expect(store.images.resolveId(`localhost:5000/x/y@${digest}`)).toBe(id);
    expect(() => store.images.resolveId(`localhost:5000/x/z@${digest}`)).toThrow(/No such image/);
    expect(store.images.listImages({ all: true }).find((i) => i.id === id)?.repoDigests).toEqual([`localhost:5000/x/y@${digest}`]);
    expect(store.images.untag(`localhost:5000/x/y@${digest}`)).toEqual({ ref: `localhost:5000/x/y@${digest}`, imageId: id });
    store.images.addRepoDigest('localhost:5000/x/y', digest, id);
    expect(store.images.deleteImage(id).untagged).toEqual([`localhost:5000/x/y@${digest}`]);
    expect(store.images.repoDigestsOf(id)).toEqual([]);
  });

  it('deletes an image with its tags and config; its layers stay until swept', async () => {
    const base = await layer(null, { a: '1' });
    const { id } = store.images.createImage(config([base.diffId]));
    store.images.tag('a', id);
    store.images.tag('b', id);
    expect(store.layers.removeUnusedLayers()).toEqual([]);
    expect(store.images.deleteImage(id)).toEqual({ untagged: ['a:latest', 'b:latest'] });
    expect(store.images.has(id)).toBe(false);
    expect(store.blobs.has(id)).toBe(false);
    expect(() => store.images.resolveImage('a')).toThrow(none('a:latest'));
    expect(store.layers.removeUnusedLayers().map((l) => l.chainId)).toEqual([base.chainId]);
  });
});
