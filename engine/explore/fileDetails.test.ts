import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempEngine, type TempEngine } from '../testing/tempEngine';
import { imageLayers } from './context';
import { makeLayeredImage } from './layeredImage';
import { previewBytes } from './fileDetails';

let t: TempEngine;
let dirs: string[]; // bottom first
beforeAll(async () => {
  t = await tempEngine();
  const store = t.client.engine.images.store;
  await makeLayeredImage(store, 'details:v1', [
    {
      createdBy: 'base',
      layer: [
        { path: '/etc', dir: true },
        { path: '/etc/motd', file: 'hello\n' },
        { path: '/etc/old', file: 'old\n' },
        { path: '/var', dir: true },
        { path: '/var/cache', dir: true },
        { path: '/var/cache/a', file: 'aaaa' },
        { path: '/data', symlink: '/var/cache' },
        { path: '/big', file: Buffer.alloc(previewBytes + 100, 0x41) },
      ],
    },
    {
      createdBy: 'change',
      layer: [
        { path: '/etc', dir: true },
        { path: '/etc/motd', file: 'changed\n' },
        { path: '/etc/old', whiteout: true },
        { path: '/var', dir: true },
        { path: '/var/cache', opaque: true },
        { path: '/var/cache/b', file: 'bb' },
      ],
    },
  ]);
  dirs = imageLayers(store, 'details:v1').dirs;
});
afterAll(() => t.dispose());

const text = (data: Uint8Array | undefined) => Buffer.from(data ?? []).toString();

describe('image.file', () => {
  it('gives the layer a file comes from, its host path, the copies it hides and its content', async () => {
    const f = await t.client.call('image.file', { ref: 'details:v1', path: '/etc/motd' });
    expect(f).toMatchObject({ path: '/etc/motd', name: 'motd', type: 'file', size: 8, layer: 1, deleted: false, uid: 0, gid: 0 });
    expect(f.hostPath).toBe(path.join(dirs[1], 'etc/motd'));
    expect(fs.readFileSync(f.hostPath, 'utf8')).toBe('changed\n');
    expect(f.hides).toEqual([{ layer: 0, hostPath: path.join(dirs[0], 'etc/motd'), type: 'file', size: 6 }]);
    expect(f.preview).toMatchObject({ truncated: false });
    expect(text(f.preview?.data)).toBe('changed\n');
    expect(f.mode & 0o777).toBe(0o644);
  });

  it('shows a deleted path with the whiteout that deletes it', async () => {
    const f = await t.client.call('image.file', { ref: 'details:v1', path: '/etc/old' });
    expect(f).toMatchObject({ deleted: true, layer: 1, type: 'file', hostPath: path.join(dirs[1], 'etc/old') });
    expect(fs.lstatSync(f.hostPath).isCharacterDevice()).toBe(true); // overlay's whiteout: a 0/0 device
    expect(f.hides.map((h) => h.hostPath)).toEqual([path.join(dirs[0], 'etc/old')]);
    expect(f.preview).toBeUndefined();
  });

  it('names the opaque directory that hides a lower layer’s file', async () => {
    const f = await t.client.call('image.file', { ref: 'details:v1', path: '/var/cache/a' });
    expect(f).toMatchObject({ deleted: true, layer: 1, hostPath: path.join(dirs[1], 'var/cache') });
  });

  it('resolves symlinks inside the image, and shows a link as the link', async () => {
    const viaLink = await t.client.call('image.file', { ref: 'details:v1', path: '/data/b' });
    expect(viaLink.hostPath).toBe(path.join(dirs[1], 'var/cache/b'));
    const link = await t.client.call('image.file', { ref: 'details:v1', path: '/data' });
    expect(link).toMatchObject({ type: 'symlink', linkTarget: '/var/cache', layer: 0 });
    expect(link.preview).toBeUndefined();
  });

  it('previews the first bytes of a big file and says there is more', async () => {
    const f = await t.client.call('image.file', { ref: 'details:v1', path: '/big' });
    expect(f.size).toBe(previewBytes + 100);
    expect(f.preview?.data.length).toBe(previewBytes);
    expect(f.preview?.truncated).toBe(true);
  });

  it('refuses the root and a path no layer has', async () => {
    await expect(t.client.call('image.file', { ref: 'details:v1', path: '/' })).rejects.toMatchObject({ code: 'InvalidArgument' });
    await expect(t.client.call('image.file', { ref: 'details:v1', path: '/etc/none' })).rejects.toMatchObject({ code: 'NotFound' });
    await expect(t.client.call('image.file', { ref: 'details:v1', path: 'etc/motd' })).rejects.toMatchObject({ code: 'InvalidArgument' });
  });
});

describe('container.file', () => {
  it('finds the file a container wrote in its writable layer and in no image layer', async () => {
    const { id } = await t.run(['sh', '-c', 'echo joy > /happiness.txt']);
    const f = await t.client.call('container.file', { id, path: '/happiness.txt' });
    expect(f).toMatchObject({ layer: 'rw', hides: [], deleted: false, size: 4 });
    expect(f.hostPath).toBe(path.join(t.root, 'containers', id, 'upper', 'happiness.txt'));
    expect(text(f.preview?.data)).toBe('joy\n');
  });

  it('shows a changed image file copied up into the writable layer, hiding the image’s copy', async () => {
    const { id } = await t.run(['sh', '-c', 'echo root2 >> /etc/passwd']);
    const f = await t.client.call('container.file', { id, path: '/etc/passwd' });
    expect(f.layer).toBe('rw');
    expect(f.hides.map((h) => h.layer)).toEqual([0]);
    expect(text(f.preview?.data)).toMatch(/root2\n$/);
  });
});
