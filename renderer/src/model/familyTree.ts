// The family tree of images: which image is built on which. An image is
// built on another when that one's layers are the bottom of its own stack
// (its ChainIDs are a prefix of this one's), or when its config names it as
// parent (commit and build do). The tree grows upwards like the stacks do:
// the empty base ("scratch") at the bottom, derived images above.

import { hierarchy, tree, type HierarchyPointNode } from 'd3';
import type { ImageGraphNode } from '../../../engine/api';

export const scratchId = 'scratch';

export interface FamilyNode {
  id: string;
  repoTags: string[];
  layers: number;
  /** Layers it adds on top of the image it is built on. */
  added: number;
  children: FamilyNode[];
}

const isPrefix = (short: readonly string[], long: readonly string[]) =>
  short.length <= long.length && short.every((c, i) => long[i] === c);

/** The image each image is built on (null: on scratch). */
export function familyParents(nodes: readonly ImageGraphNode[]): Map<string, string | null> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const parents = new Map<string, string | null>();
  for (const n of nodes) {
    const named = n.parentId && byId.get(n.parentId);
    if (named && named.id !== n.id && isPrefix(named.chainIds, n.chainIds)) {
      parents.set(n.id, named.id);
      continue;
    }
    // The image whose whole stack is the longest strict prefix of this one's.
    let best: ImageGraphNode | undefined;
    for (const m of nodes) {
      if (m.id === n.id || m.chainIds.length >= n.chainIds.length || !isPrefix(m.chainIds, n.chainIds)) continue;
      if (!best || m.chainIds.length > best.chainIds.length || (m.chainIds.length === best.chainIds.length && m.created < best.created)) best = m;
    }
    parents.set(n.id, best?.id ?? null);
  }
  breakCycles(parents);
  return parents;
}

// A named parent with the same layers could point back at its child; a tree has no cycles.
function breakCycles(parents: Map<string, string | null>): void {
  for (const start of parents.keys()) {
    const seen = new Set<string>();
    let at: string | null | undefined = start;
    while (at) {
      if (seen.has(at)) {
        parents.set(at, null);
        break;
      }
      seen.add(at);
      at = parents.get(at);
    }
  }
}

export function familyTree(nodes: readonly ImageGraphNode[]): FamilyNode {
  const parents = familyParents(nodes);
  const made = new Map<string, FamilyNode>();
  const root: FamilyNode = { id: scratchId, repoTags: [], layers: 0, added: 0, children: [] };
  for (const n of nodes) made.set(n.id, { id: n.id, repoTags: n.repoTags, layers: n.chainIds.length, added: 0, children: [] });
  const sorted = [...nodes].sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : 1));
  for (const n of sorted) {
    const node = made.get(n.id)!;
    const p = parents.get(n.id);
    const parent = p ? made.get(p)! : root;
    node.added = node.layers - parent.layers;
    parent.children.push(node);
  }
  return root;
}

export interface PlacedFamily {
  nodes: Array<{ node: FamilyNode; x: number; y: number; depth: number }>;
  links: Array<{ source: { x: number; y: number; id: string }; target: { x: number; y: number; id: string }; added: number }>;
  width: number;
  height: number;
}

/** Positions for the drawing: roots at the bottom, one row per generation. */
export function layoutFamily(root: FamilyNode, nodeWidth: number, rowHeight: number, margin = 20): PlacedFamily {
  const h = hierarchy(root);
  const placed: HierarchyPointNode<FamilyNode> = tree<FamilyNode>().nodeSize([nodeWidth, rowHeight])(h);
  const all = placed.descendants();
  const minX = Math.min(...all.map((n) => n.x));
  const maxX = Math.max(...all.map((n) => n.x));
  const maxDepth = Math.max(...all.map((n) => n.depth));
  const at = (n: HierarchyPointNode<FamilyNode>) => ({
    x: n.x - minX + nodeWidth / 2 + margin,
    y: (maxDepth - n.depth) * rowHeight + rowHeight / 2 + margin,
  });
  return {
    nodes: all.map((n) => ({ node: n.data, depth: n.depth, ...at(n) })),
    links: placed.links().map((l) => ({
      source: { ...at(l.source), id: l.source.data.id },
      target: { ...at(l.target), id: l.target.data.id },
      added: l.target.data.added,
    })),
    width: maxX - minX + nodeWidth + margin * 2,
    height: (maxDepth + 1) * rowHeight + margin * 2,
  };
}
