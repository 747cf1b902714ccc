import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempEngine, type TempEngine } from '../testing/tempEngine';
import { makeLayeredImage } from './layeredImage';

let t: TempEngine;
beforeAll(async () => {
  t = await tempEngine();
  await makeLayeredImage(t.client.engine.images.store, 'files:v1', [
    {
      createdBy: 'base',
      layer: [
        { path: '/etc', dir: true },
        { path: '/etc/motd', file: 'hello\n' },
        { path: '/etc/old', file: 'old\n' },
        { path: '/var', dir: true },
        { path: '/var/cache', dir: true },
        { path: '/var/cache/a', file: 'aaaa' },
      ],
    },
    {
      createdBy: 'change',
      layer: [
        { path: '/etc', dir: true },
        { path: '/etc/motd', file: 'changed\n' },
        { path: '/etc/old', whiteout: true },
        { path: '/etc/new', symlink: 'motd' },
        { path: '/var', dir: true },
        { path: '/var/cache', opaque: true },
        { path: '/var/cache/b', file: 'bb' },
      ],
    },
  ]);
});
afterAll(() => t.dispose());

describe('image.layerFiles', () => {
  it('marks what a layer adds, modifies and deletes compared with the layers below', async () => {
    const files = await t.client.call('image.layerFiles', { ref: 'files:v1', layer: 1 });
    expect(files.map((f) => `${f.kind} ${f.type} ${f.path} ${f.size}`)).toEqual([
      'M dir /etc 0',
      'M file /etc/motd 8',
      'A symlink /etc/new 0',
      'D whiteout /etc/old 0',
      'M dir /var 0',
      'M opaque /var/cache 0',
      'A file /var/cache/b 2',
    ]);
  });

  it('calls everything in the base layer added', async () => {
    const files = await t.client.call('image.layerFiles', { ref: 'files:v1', layer: 0 });
    expect(files.every((f) => f.kind === 'A')).toBe(true);
    expect(files.map((f) => f.path)).toContain('/var/cache/a');
  });

  it('refuses a layer the image does not have', async () => {
    await expect(t.client.call('image.layerFiles', { ref: 'files:v1', layer: 2 })).rejects.toMatchObject({
      code: 'InvalidArgument',
      message: expect.stringContaining('layers 0 to 1'),
    });
  });
});
