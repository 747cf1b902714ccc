import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempEngine, type TempEngine } from '../testing/tempEngine';
import { makeLayeredImage } from './layeredImage';

let t: TempEngine;
beforeAll(async () => {
  t = await tempEngine();
  await makeLayeredImage(t.client.engine.images.store, 'tree:v1', [
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
      ],
    },
    { metadata: 'ENV X=1' },
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
});
afterAll(() => t.dispose());

const show = (entries: Array<{ name: string; layer: unknown; hides: unknown[]; mergedWith: unknown[]; deleted: boolean; opaque: boolean }>) =>
  entries.map((e) => `${e.name} @${e.layer} hides[${e.hides}] merges[${e.mergedWith}]${e.deleted ? ' deleted' : ''}${e.opaque ? ' opaque' : ''}`);

describe('image.tree', () => {
  it('lists a merged directory with the layer each entry comes from and what it hides', async () => {
    const etc = await t.client.call('image.tree', { ref: 'tree:v1', path: '/etc' });
    expect(show(etc)).toEqual(['motd @1 hides[0] merges[]', 'old @1 hides[0] merges[] deleted']);
    expect(etc[0]).toMatchObject({ path: '/etc/motd', type: 'file', size: 8 });
  });

  it('merges directories, and shows an opaque one hiding the layers below', async () => {
    const root = await t.client.call('image.tree', { ref: 'tree:v1', path: '/' });
    expect(show(root)).toEqual(['data @0 hides[] merges[]', 'etc @1 hides[] merges[0]', 'var @1 hides[] merges[0]']);
    expect(root[0]).toMatchObject({ type: 'symlink', linkTarget: '/var/cache' });
    const varDir = await t.client.call('image.tree', { ref: 'tree:v1', path: '/var' });
    expect(show(varDir)).toEqual(['cache @1 hides[0] merges[] opaque']);
    const cache = await t.client.call('image.tree', { ref: 'tree:v1', path: '/var/cache' });
    expect(show(cache)).toEqual(['a @1 hides[0] merges[] deleted', 'b @1 hides[] merges[]']);
  });

  it('follows symlinks inside the image, never on the host', async () => {
    const viaLink = await t.client.call('image.tree', { ref: 'tree:v1', path: '/data' });
    expect(viaLink.map((e) => e.path)).toEqual(['/data/a', '/data/b']);
    await expect(t.client.call('image.tree', { ref: 'tree:v1', path: 'etc' })).rejects.toMatchObject({ code: 'InvalidArgument' });
    await expect(t.client.call('image.tree', { ref: 'tree:v1', path: '/etc/motd' })).rejects.toMatchObject({ code: 'InvalidArgument' });
  });
});

describe('container.tree', () => {
  it('shows the file a container created in its writable layer only (the classic experiment)', async () => {
    const { id, exitCode } = await t.run(['sh', '-c', 'echo joy > /happiness.txt'], {});
    expect(exitCode).toBe(0);
    const root = await t.client.call('container.tree', { id, path: '/' });
    expect(show(root.filter((e) => e.name === 'happiness.txt'))).toEqual(['happiness.txt @rw hides[] merges[]']);
    const image = await t.client.call('image.tree', { ref: t.image, path: '/' });
    expect(image.some((e) => e.name === 'happiness.txt')).toBe(false);
  });

  it('labels the writable layer rw, the init layer init and the image layers from the bottom', async () => {
    const { id } = await t.client.call('container.create', { image: 'tree:v1', cmd: ['/bin/true'] });
    // Writing into the upper dir directly, as a process in the container would.
    const upper = `${t.root}/containers/${id}/upper`;
    const fs = await import('node:fs');
    fs.writeFileSync(`${upper}/happiness.txt`, 'joy\n');
    fs.mkdirSync(`${upper}/etc`);
    fs.writeFileSync(`${upper}/etc/motd`, 'mine\n');
    const root = await t.client.call('container.tree', { id, path: '/' });
    expect(show(root)).toContain('happiness.txt @rw hides[] merges[]');
    expect(show(root)).toContain('etc @rw hides[] merges[init,1,0]');
    const etc = await t.client.call('container.tree', { id, path: '/etc' });
    expect(show(etc)).toContain('motd @rw hides[1,0] merges[]');
    // The init layer holds the mount points the launcher binds /etc/hostname and friends onto.
    expect(show(etc)).toContain('hostname @init hides[] merges[]');
    expect(show(etc)).toContain('old @1 hides[0] merges[] deleted');
  });
});
