import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempEngine, type TempEngine } from '../testing/tempEngine';
import { makeLayeredImage } from './layeredImage';

let t: TempEngine;
beforeAll(async () => {
  t = await tempEngine();
  const store = t.client.engine.images.store;
  const base = [{ path: '/a', file: 'a' }];
  await makeLayeredImage(store, 'family:base', [{ createdBy: 'base', layer: base }]);
  await makeLayeredImage(store, 'family:child', [
    { createdBy: 'base', layer: base },
    { createdBy: 'more', layer: [{ path: '/b', file: 'b' }] },
  ]);
});
afterAll(() => t.dispose());

describe('image.graph', () => {
  it('gives every image the ChainIDs of its stack, bottom first', async () => {
    const { nodes } = await t.client.call('image.graph', {});
    const byTag = (tag: string) => nodes.find((n) => n.repoTags.includes(tag))!;
    const base = byTag('family:base');
    const child = byTag('family:child');
    expect(base.chainIds).toHaveLength(1);
    expect(child.chainIds).toHaveLength(2);
    // Sharing the bottom of the stack is what makes child a descendant of base.
    expect(child.chainIds[0]).toBe(base.chainIds[0]);
    expect(byTag(t.image).chainIds.length).toBeGreaterThan(0);
    expect(nodes).toHaveLength(3);
  });
});
