// Where each slab of a layer stack goes. The stack is drawn bottom to top,
// as overlayfs stacks it: the base layer at the bottom, each layer above its
// parent, metadata-only history steps (ENV, CMD...) as thin markers between
// the layers they came between, and for a container its thin init layer
// (the mount points) and its writable layer on top.
// y grows downwards (SVG), so the last entry gets the smallest y.

import type { LayerRef, StackEntry } from '../../../engine/api';

export type StackRowKind = 'layer' | 'metadata' | 'init' | 'rw';

export interface StackRow {
  key: string;
  kind: StackRowKind;
  /** Index into the entries (bottom first); -1 for the container's own layers. */
  entryIndex: number;
  /** Layer index from the bottom, 'init' or 'rw' for the container's own layers, null for metadata. */
  layer: LayerRef | null;
  y: number;
  height: number;
}

/** An arrow from a layer to its parent (the layer below it), drawn in the left gutter. */
export interface ParentPointer {
  from: LayerRef;
  to: LayerRef;
  y1: number; // centre of the child
  y2: number; // centre of the parent
}

export interface StackLayout {
  rows: StackRow[];
  pointers: ParentPointer[];
  height: number;
}

export interface StackLayoutOptions {
  writable?: boolean;
  layerHeight?: number;
  markerHeight?: number;
  rwHeight?: number;
  gap?: number;
  padding?: number;
}

export function layoutStack(entries: readonly StackEntry[], options: StackLayoutOptions = {}): StackLayout {
  const { writable = false, layerHeight = 68, markerHeight = 26, rwHeight = 76, gap = 6, padding = 10 } = options;
  // Top first, so y can be handed out from the top of the drawing down.
  const topFirst: Array<{ kind: StackRowKind; entryIndex: number; layer: LayerRef | null }> = [];
  if (writable) {
    topFirst.push({ kind: 'rw', entryIndex: -1, layer: 'rw' });
    topFirst.push({ kind: 'init', entryIndex: -1, layer: 'init' });
  }
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i];
    topFirst.push(e.kind === 'layer' ? { kind: 'layer', entryIndex: i, layer: e.layerIndex ?? 0 } : { kind: 'metadata', entryIndex: i, layer: null });
  }
  const rows: StackRow[] = [];
  let y = padding;
  for (const r of topFirst) {
    const height = r.kind === 'layer' ? layerHeight : r.kind === 'rw' ? rwHeight : markerHeight;
    rows.push({ key: r.entryIndex < 0 ? r.kind : `${r.kind}-${r.entryIndex}`, ...r, y, height });
    y += height + gap;
  }
  const height = rows.length ? y - gap + padding : padding * 2;

  const centre = (r: StackRow) => r.y + r.height / 2;
  const slabs = rows.filter((r) => r.kind !== 'metadata');
  const pointers: ParentPointer[] = [];
  for (let i = 0; i + 1 < slabs.length; i++) {
    const child = slabs[i];
    const parent = slabs[i + 1];
    pointers.push({ from: child.layer!, to: parent.layer!, y1: centre(child), y2: centre(parent) });
  }
  return { rows, pointers, height };
}

/** Width of a layer's size bar: linear in bytes (the truth), but never invisible when a layer has bytes. */
export function sizeBarWidth(bytes: number, largest: number, maxWidth: number, minWidth = 3): number {
  if (bytes <= 0 || largest <= 0) return 0;
  return Math.max(minWidth, (bytes / largest) * maxWidth);
}

/** Cuts a label to fit `maxChars`, with an ellipsis, so SVG text never runs past its slab. */
export function fitText(text: string, maxChars: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (oneLine.length <= maxChars) return oneLine;
  return maxChars <= 1 ? '…' : oneLine.slice(0, maxChars - 1) + '…';
}
