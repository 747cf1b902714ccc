// Where the bytes of an image go: each layer's share of the stack, and the
// bytes that are wasted — files a later layer overwrites or deletes, which
// still travel with the image (save, push) but which no container can see.

import type { StackEntry } from '../../../engine/api';

export interface SizeSegment {
  layerIndex: number;
  size: number;
  wasted: number;
  /** Start and end of the segment as fractions of the stack's bytes (0..1). */
  x0: number;
  x1: number;
}

export interface SizeMap {
  segments: SizeSegment[];
  total: number;
  wasted: number;
  /** Share of the bytes a container can see: 1 when nothing is wasted (or nothing is there). */
  efficiency: number;
  /** Layers by how many bytes they waste, the worst first (only those that waste any). */
  worst: SizeSegment[];
}

export function sizeMap(entries: readonly StackEntry[]): SizeMap {
  const layers = entries.filter((e) => e.kind === 'layer');
  const total = layers.reduce((n, e) => n + e.size, 0);
  const wasted = layers.reduce((n, e) => n + Math.min(e.wasted ?? 0, e.size), 0);
  let at = 0;
  const segments = layers.map((e, i): SizeSegment => {
    const x0 = total ? at / total : 0;
    at += e.size;
    return { layerIndex: e.layerIndex ?? i, size: e.size, wasted: Math.min(e.wasted ?? 0, e.size), x0, x1: total ? at / total : 0 };
  });
  const worst = segments.filter((s) => s.wasted > 0).sort((a, b) => b.wasted - a.wasted);
  return { segments, total, wasted, efficiency: total ? (total - wasted) / total : 1, worst };
}
