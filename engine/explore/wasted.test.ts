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

  it('computes a stack once and serves it from the cache after', () => {
    const cache = new WasteCache(2);
    const first = cache.get('sha256:top', dirs);
    expect(cache.get('sha256:top', [])).toBe(first);
  });
});
