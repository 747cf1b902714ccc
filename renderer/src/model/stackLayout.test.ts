import { describe, expect, it } from 'vitest';
import type { StackEntry } from '../../../engine/api';
import { fitText, layoutStack, sizeBarWidth } from './stackLayout';

const layer = (i: number, size = 100): StackEntry => ({ kind: 'layer', layerIndex: i, createdBy: `step ${i}`, created: '', comment: '', size });
const meta = (by: string): StackEntry => ({ kind: 'metadata', layerIndex: null, createdBy: by, created: '', comment: '', size: 0 });

describe('layoutStack', () => {
  const entries = [layer(0), meta('ENV A=1'), layer(1), meta('CMD ["sh"]')];

  it('puts the base layer at the bottom and each entry above the one before', () => {
    const { rows, height } = layoutStack(entries);
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(byKey['layer-0'].y).toBeGreaterThan(byKey['metadata-1'].y);
    expect(byKey['metadata-1'].y).toBeGreaterThan(byKey['layer-2'].y);
    expect(byKey['layer-2'].y).toBeGreaterThan(byKey['metadata-3'].y);
    const bottom = byKey['layer-0'];
    expect(bottom.y + bottom.height).toBeLessThanOrEqual(height);
    expect(rows.map((r) => r.layer)).toEqual([null, 1, null, 0]);
  });

  it('draws metadata steps thinner than layers', () => {
    const { rows } = layoutStack(entries);
    const m = rows.find((r) => r.kind === 'metadata')!;
    const l = rows.find((r) => r.kind === 'layer')!;
    expect(m.height).toBeLessThan(l.height / 2);
  });

  it('puts the writable layer on top of the init layer, on top of the image', () => {
    const { rows, pointers } = layoutStack(entries, { writable: true });
    expect(rows.slice(0, 2).map((r) => r.layer)).toEqual(['rw', 'init']);
    expect(rows[1].height).toBeLessThan(rows[0].height / 2);
    expect(pointers.map((p) => [p.from, p.to])).toEqual([
      ['rw', 'init'],
      ['init', 1],
      [1, 0],
    ]);
    // The pointer skips the metadata marker between layer 1 and layer 0.
    const p = pointers[2];
    expect(p.y2 - p.y1).toBeGreaterThan(rows.find((r) => r.kind === 'metadata')!.height);
  });

  it('handles an image with no layers', () => {
    expect(layoutStack([]).rows).toEqual([]);
    expect(layoutStack([]).pointers).toEqual([]);
  });
});

describe('sizeBarWidth and fitText', () => {
  it('scales bars linearly but keeps small layers visible', () => {
    expect(sizeBarWidth(50, 100, 200)).toBe(100);
    expect(sizeBarWidth(1, 1_000_000, 200)).toBe(3);
    expect(sizeBarWidth(0, 100, 200)).toBe(0);
  });

  it('cuts long labels with an ellipsis', () => {
    expect(fitText('RUN  apk add\n curl', 40)).toBe('RUN apk add curl');
    expect(fitText('abcdefghij', 5)).toBe('abcd…');
  });
});
