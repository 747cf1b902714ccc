import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempEngine, type TempEngine } from '../testing/tempEngine';
import { imageLayers } from './context';
import { makeLayeredImage } from './layeredImage';
import { WasteCache, wastedPerLayer } from './wasted';

let t: TempEngine;
let dirs: string[];
beforeAll(async () => {
  t = await tempEngine();
  const store = t.client.engine.images.store;
  await makeLayeredImage(store, 'waste:v1', [
    {
      createdBy: 'base',
      layer: [
        { path: '/cache', dir: true },
        { path: '/cache/a', file: 'a'.repeat(100) },
        { path: '/tree', dir: true },
        { path: '/tree/leaf', file: 'l'.repeat(10) },
        { path: '/kept', file: 'k'.repeat(7) },
        { path: '/gone', dir: true },
        { path: '/gone/x', file: 'x'.repeat(20) },
      ],
    },
    {
      createdBy: 'middle',
      layer: [
        { path: '/cache', opaque: true },
        { path: '/cache/b', file: 'b'.repeat(30) },
        { path: '/tree', file: 'now a file' },
        { path: '/gone', whiteout: true },
      ],
    },
    { createdBy: 'top', layer: [{ path: '/gone', dir: true }, { path: '/gone/x', file: 'again' }] },
  ]);
  dirs = imageLayers(store, 'waste:v1').dirs;
});
afterAll(() => t.dispose());

describe('wastedPerLayer', () => {
  it('counts files hidden by an opaque directory, a file over a directory, and a whiteout', () => {
    // Base: /cache/a (opaque above), /tree/leaf (a file replaced /tree), /gone/x (deleted, then re-added above).
    expect(wastedPerLayer(dirs)).toEqual([100 + 10 + 20, 0, 0]);
  });

  it('counts a file with hard links as wasted only once every name for it is hidden', async () => {
    const store = t.client.engine.images.store;
    const applets = [
      { path: '/bin', dir: true as const },
      { path: '/bin/busybox', file: 'b'.repeat(1000) },
      { path: '/bin/ls', hardlink: '/bin/busybox' },
      { path: '/bin/cat', hardlink: '/bin/busybox' },
    ];
    await makeLayeredImage(store, 'links:one-gone', [
      { createdBy: 'applets', layer: applets },
      { createdBy: 'rm /bin/ls', layer: [{ path: '/bin', dir: true }, { path: '/bin/ls', whiteout: true }] },
    ]);
    await makeLayeredImage(store, 'links:all-gone', [
      { createdBy: 'applets', layer: applets },
      { createdBy: 'rm -r /bin', layer: [{ path: '/bin', whiteout: true }] },
    ]);
    await makeLayeredImage(store, 'links:two-of-three', [
      { createdBy: 'applets', layer: applets },
      { createdBy: 'rm', layer: [{ path: '/bin', dir: true }, { path: '/bin/ls', whiteout: true }, { path: '/bin/busybox', file: 'new' }] },
    ]);
    expect(wastedPerLayer(imageLayers(store, 'links:one-gone').dirs)).toEqual([0, 0]);
    expect(wastedPerLayer(imageLayers(store, 'links:two-of-three').dirs)).toEqual([0, 0]);
    expect(wastedPerLayer(imageLayers(store, 'links:all-gone').dirs)).toEqual([1000, 0]);
  });

  it('computes a stack once and serves it from the cache after', () => {
    const cache = new WasteCache(2);
    const first = cache.get('sha256:top', dirs);
    expect(cache.get('sha256:top', [])).toBe(first);
  });
});
