import { describe, expect, it } from 'vitest';
import type { ImageGraphNode } from '../../../engine/api';
import { familyParents, familyTree, layoutFamily, scratchId } from './familyTree';

const img = (id: string, chainIds: string[], parentId = '', created = 0, repoTags: string[] = []): ImageGraphNode => ({
  id,
  chainIds,
  parentId,
  created,
  repoTags,
});

describe('familyTree', () => {
  const base = img('base', ['a'], '', 1, ['starter:latest']);
  const app = img('app', ['a', 'b', 'c'], '', 2, ['app:v1']);
  const mid = img('mid', ['a', 'b'], '', 3);
  const other = img('other', ['x'], '', 4);
  const retag = img('retag', ['a', 'b', 'c'], 'app', 5, ['app:v2']);

  it('finds the image each one is built on from shared layers', () => {
    const p = familyParents([base, app, mid, other]);
    expect(p.get('base')).toBeNull();
    expect(p.get('mid')).toBe('base');
    expect(p.get('app')).toBe('mid');
    expect(p.get('other')).toBeNull();
  });

  it('prefers the parent the config names (a commit without changes shares every layer)', () => {
    expect(familyParents([base, app, retag]).get('retag')).toBe('app');
  });

  it('puts unrelated bases on scratch and counts the layers each child adds', () => {
    const root = familyTree([base, app, other]);
    expect(root.id).toBe(scratchId);
    expect(root.children.map((c) => c.id)).toEqual(['base', 'other']);
    const appNode = root.children[0].children[0];
    expect(appNode.id).toBe('app');
    expect(appNode.added).toBe(2);
  });

  it('survives a cycle of named parents', () => {
    const p = familyParents([img('p', ['a'], 'q'), img('q', ['a'], 'p')]);
    expect([...p.values()].filter((v) => v === null).length).toBeGreaterThan(0);
  });

  it('lays the tree out with roots at the bottom and no two nodes at one place', () => {
    const placed = layoutFamily(familyTree([base, app, mid, other]), 200, 100);
    const y = (id: string) => placed.nodes.find((n) => n.node.id === id)!.y;
    expect(y(scratchId)).toBeGreaterThan(y('base'));
    expect(y('base')).toBeGreaterThan(y('mid'));
    const spots = new Set(placed.nodes.map((n) => `${n.x},${n.y}`));
    expect(spots.size).toBe(placed.nodes.length);
    for (const n of placed.nodes) {
      expect(n.x).toBeGreaterThan(0);
      expect(n.x).toBeLessThan(placed.width);
    }
  });
});
