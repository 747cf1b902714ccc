// The family tree of images, drawn with d3: which image is built on which,
// growing upwards from the empty base like the layer stacks do. Each link
// says how many layers the child adds; each node is a link to the image.

import { useMemo } from 'react';
import { linkVertical } from 'd3';
import type { ImageGraphNode } from '../../../../engine/api';
import { familyTree, layoutFamily, scratchId } from '../../model/familyTree';
import { fitText } from '../../model/stackLayout';
import { shortId } from '../../model/format';
import { formatRoute } from '../../app/routes';
import { useNavigate } from '../../app/navigation';

const nodeW = 190;
const nodeH = 62;
const rowH = 118;

export function FamilyTree({ nodes, highlight, onHover }: { nodes: readonly ImageGraphNode[]; highlight?: string | null; onHover?(id: string | null): void }) {
  const go = useNavigate();
  const placed = useMemo(() => layoutFamily(familyTree(nodes), nodeW + 24, rowH), [nodes]);
  const link = linkVertical<unknown, { x: number; y: number }>()
    .x((d) => d.x)
    .y((d) => d.y);
  return (
    <div className="family-scroll">
      <svg
        className="family"
        width={placed.width}
        height={placed.height}
        viewBox={`0 0 ${placed.width} ${placed.height}`}
        role="group"
        aria-label="Family tree: which image is built on which"
      >
        <defs>
          <clipPath id="fnode-clip">
            <rect x={-nodeW / 2 + 8} y={-nodeH / 2} width={nodeW - 16} height={nodeH} />
          </clipPath>
        </defs>
        {placed.links.map((l) => {
          const from = { x: l.source.x, y: l.source.y - (l.source.id === scratchId ? 14 : nodeH / 2) };
          const to = { x: l.target.x, y: l.target.y + nodeH / 2 };
          const hot = highlight === l.target.id;
          return (
            <g key={`${l.source.id}>${l.target.id}`} className={`flink ${hot ? 'is-hot' : ''}`}>
              <path d={link({ source: from, target: to }) ?? ''} />
              <text x={(from.x + to.x) / 2 + 8} y={(from.y + to.y) / 2 + 5}>
                +{l.added} layer{l.added === 1 ? '' : 's'}
              </text>
            </g>
          );
        })}
        {placed.nodes.map(({ node, x, y }) => {
          if (node.id === scratchId) {
            return (
              <g key={node.id} className="fnode fnode-scratch" transform={`translate(${x},${y})`}>
                <line x1={-nodeW / 2} x2={nodeW / 2} y1={0} y2={0} />
                <text y={26} textAnchor="middle">
                  scratch (no layers)
                </text>
              </g>
            );
          }
          const tag = node.repoTags[0] ?? '<none>:<none>';
          const route = { view: 'image' as const, id: node.id, tab: 'files' as const };
          return (
            <a
              key={node.id}
              href={formatRoute(route)}
              className={`fnode ${node.repoTags.length ? '' : 'fnode-untagged'} ${highlight === node.id ? 'is-hot' : ''}`}
              onClick={(e) => {
                e.preventDefault();
                go(route);
              }}
              onMouseEnter={() => onHover?.(node.id)}
              onMouseLeave={() => onHover?.(null)}
              onFocus={() => onHover?.(node.id)}
              onBlur={() => onHover?.(null)}
>
              <g transform={`translate(${x},${y})`}>
              <rect x={-nodeW / 2} y={-nodeH / 2} width={nodeW} height={nodeH} rx={8} />
              {/* The image's layers as thin bands along the bottom edge: a stack in miniature. */}
              {Array.from({ length: Math.min(node.layers, 12) }, (_, i) => (
                <rect key={i} className="fnode-band" x={-nodeW / 2 + 10 + i * 14} y={nodeH / 2 - 12} width={10} height={5} rx={1} />
              ))}
              {/* The whole tag stays in the text (a screen reader reads it all); a long one is cut by the clip, not by an ellipsis. */}
              {fitText(tag, 20) === tag ? (
                <text y={-6} textAnchor="middle" className="fnode-tag">
                  {tag}
                </text>
              ) : (
                <text x={-nodeW / 2 + 10} y={-6} className="fnode-tag" clipPath="url(#fnode-clip)">
                  {tag}
                </text>
              )}
              <text y={14} textAnchor="middle" className="fnode-id">
                {shortId(node.id)} · {node.layers} layer{node.layers === 1 ? '' : 's'}
              </text>
              </g>
            </a>
          );
        })}
      </svg>
    </div>
  );
}
