import { describe, expect, it } from 'vitest';
import type { StackEntry } from '../../../engine/api';
import { sizeMap } from './sizeMap';

const layer = (i: number, size: number, wasted = 0): StackEntry => ({
  kind: 'layer',
  layerIndex: i,
  createdBy: '',
  created: '',
  comment: '',
  size,
  wasted,
});

describe('sizeMap', () => {
  it('splits the stack by bytes and counts wasted bytes', () => {
    const m = sizeMap([
      layer(0, 600, 100),
      { kind: 'metadata', layerIndex: null, createdBy: 'ENV A=1', created: '', comment: '', size: 0 },
      layer(1, 300, 0),
      layer(2, 100, 50),
    ]);
    expect(m.total).toBe(1000);
    expect(m.wasted).toBe(150);
    expect(m.efficiency).toBeCloseTo(0.85);
    expect(m.segments.map((s) => [s.layerIndex, s.x0, s.x1])).toEqual([
      [0, 0, 0.6],
      [1, 0.6, 0.9],
      [2, 0.9, 1],
    ]);
    expect(m.worst.map((s) => s.layerIndex)).toEqual([0, 2]);
  });

  it('calls an empty image fully efficient', () => {
    const m = sizeMap([layer(0, 0)]);
    expect(m.efficiency).toBe(1);
    expect(m.segments[0].x1).toBe(0);
  });

  it('never counts more waste than a layer has bytes', () => {
    expect(sizeMap([layer(0, 10, 99)]).wasted).toBe(10);
  });
});
