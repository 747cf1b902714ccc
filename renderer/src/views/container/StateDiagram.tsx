// The lifecycle as a state diagram, drawn with d3: Docker's four states, the
// current one lit (fill, heavy outline and a "now" label, not colour alone),
// the arrows a person can take from here drawn solid, the others faint. When
// the state changes, a token travels along the arrow that was taken, so a
// pause typed in a terminal is seen happening, not just its result.

import { useEffect, useRef } from 'react';
import { easeCubicInOut, path as d3path, select } from 'd3';
import type { ContainerState } from '../../../../engine/api';
import { diagramState, transitions, type DiagramState, type LifecycleAction, type Transition } from '../../model/lifecycle';

type Place = DiagramState | 'image' | 'removed';

const nodes: Record<Place, { x: number; y: number; label: string }> = {
  image: { x: 38, y: 120, label: 'image' },
  created: { x: 215, y: 120, label: 'created' },
  running: { x: 465, y: 120, label: 'running' },
  paused: { x: 715, y: 120, label: 'paused' },
  exited: { x: 465, y: 320, label: 'exited' },
  removed: { x: 215, y: 320, label: 'removed' },
};
const W = 160;
const H = 66;

/** Each arrow's path and where its label sits. */
function geometry(t: Transition): { d: string; lx: number; ly: number; anchor: 'start' | 'middle' | 'end' } {
  const p = d3path();
  const key = `${t.from}>${t.to}`;
  const n = nodes;
  switch (key) {
    case 'image>created':
      p.moveTo(n.image.x + 32, n.image.y);
      p.lineTo(n.created.x - W / 2 - 4, n.created.y);
      return { d: p.toString(), lx: (n.image.x + 32 + n.created.x - W / 2) / 2, ly: n.image.y - 16, anchor: 'middle' };
    case 'created>running':
      p.moveTo(n.created.x + W / 2, n.created.y);
      p.lineTo(n.running.x - W / 2 - 4, n.running.y);
      return { d: p.toString(), lx: (n.created.x + n.running.x) / 2, ly: n.created.y - 14, anchor: 'middle' };
    case 'running>paused':
      p.moveTo(n.running.x + W / 2 - 10, n.running.y - 18);
      p.quadraticCurveTo((n.running.x + n.paused.x) / 2, n.running.y - 62, n.paused.x - W / 2 + 6, n.paused.y - 18);
      return { d: p.toString(), lx: (n.running.x + n.paused.x) / 2, ly: n.running.y - 48, anchor: 'middle' };
    case 'paused>running':
      p.moveTo(n.paused.x - W / 2 + 10, n.paused.y + 18);
      p.quadraticCurveTo((n.running.x + n.paused.x) / 2, n.paused.y + 62, n.running.x + W / 2 - 6, n.running.y + 18);
      return { d: p.toString(), lx: (n.running.x + n.paused.x) / 2, ly: n.paused.y + 62, anchor: 'middle' };
    case 'running>exited':
      p.moveTo(n.running.x - 28, n.running.y + H / 2);
      p.lineTo(n.exited.x - 28, n.exited.y - H / 2 - 4);
      return { d: p.toString(), lx: n.running.x - 40, ly: (n.running.y + n.exited.y) / 2 + 6, anchor: 'end' };
    case 'exited>running':
      p.moveTo(n.exited.x + 28, n.exited.y - H / 2);
      p.lineTo(n.running.x + 28, n.running.y + H / 2 + 4);
      return { d: p.toString(), lx: n.running.x + 40, ly: (n.running.y + n.exited.y) / 2 + 5, anchor: 'start' };
    case 'paused>exited':
      p.moveTo(n.paused.x, n.paused.y + H / 2);
      p.quadraticCurveTo(n.paused.x, n.exited.y, n.exited.x + W / 2 + 4, n.exited.y);
      return { d: p.toString(), lx: n.paused.x - 6, ly: n.exited.y - 40, anchor: 'start' };
    case 'running>running':
      p.moveTo(n.running.x - 22, n.running.y - H / 2);
      p.bezierCurveTo(n.running.x - 46, n.running.y - 88, n.running.x + 46, n.running.y - 88, n.running.x + 22, n.running.y - H / 2 - 4);
      return { d: p.toString(), lx: n.running.x, ly: n.running.y - 84, anchor: 'middle' };
    case 'created>removed':
      p.moveTo(n.created.x, n.created.y + H / 2);
      p.lineTo(n.removed.x, n.removed.y - H / 2 - 4);
      return { d: p.toString(), lx: n.created.x - 12, ly: (n.created.y + n.removed.y) / 2 + 5, anchor: 'end' };
    case 'exited>removed':
      p.moveTo(n.exited.x - W / 2, n.exited.y);
      p.lineTo(n.removed.x + W / 2 + 4, n.removed.y);
      return { d: p.toString(), lx: (n.exited.x + n.removed.x) / 2, ly: n.exited.y - 14, anchor: 'middle' };
    default:
      throw new Error(`no geometry for ${key}`);
  }
}

const drawn = transitions.map((t) => ({ t, key: `${t.from}>${t.to}`, ...geometry(t) }));

export function StateDiagram({ state, open, highlight }: {
  state: ContainerState;
  /** Transitions available now (solid arrows). */
  open: readonly Transition[];
  /** The action a person is pointing at: its arrows are emphasised. */
  highlight?: LifecycleAction | null;
}) {
  const here = diagramState(state);
  const token = useRef<SVGCircleElement>(null);
  const paths = useRef(new Map<string, SVGPathElement>());
  const previous = useRef<DiagramState>(here);

  // The token's trip along the arrow from the previous state to this one.
  useEffect(() => {
    const from = previous.current;
    previous.current = here;
    if (from === here || !token.current) return;
    const edge = paths.current.get(`${from}>${here}`);
    const dot = select(token.current);
    dot.interrupt();
    const still = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    if (!edge || still) {
      dot.attr('opacity', 0);
      return;
    }
    const length = edge.getTotalLength();
    dot
      .attr('opacity', 1)
      .transition()
      .duration(650)
      .ease(easeCubicInOut)
      .attrTween('transform', () => (t: number) => {
        const pt = edge.getPointAtLength(t * length);
        return `translate(${pt.x},${pt.y})`;
      })
      .transition()
      .duration(250)
      .attr('opacity', 0);
  }, [here]);

  const openKeys = new Set(open.map((t) => `${t.from}>${t.to}`));
  const isHot = (t: Transition) => highlight != null && t.actions.includes(highlight) && openKeys.has(`${t.from}>${t.to}`);

  return (
    <figure className="diagram">
      <svg viewBox="0 0 820 390" role="img" aria-labelledby="lifecycle-title lifecycle-desc" className="diagram-svg">
        <title id="lifecycle-title">Container lifecycle</title>
        <desc id="lifecycle-desc">{`The container is ${state}. From here: ${open.map((t) => t.label).join(', ') || 'nothing'}.`}</desc>
        <defs>
          {(['open', 'shut', 'hot'] as const).map((k) => (
            <marker key={k} id={`arrow-${k}`} viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" className={`arrowhead arrowhead-${k}`} />
            </marker>
          ))}
        </defs>
        {drawn.map(({ t, key, d, lx, ly, anchor }) => {
          const kind = isHot(t) ? 'hot' : openKeys.has(key) ? 'open' : 'shut';
          return (
            <g key={key} className={`edge edge-${kind}`}>
              <path
                ref={(el) => {
                  if (el) paths.current.set(key, el);
                }}
                d={d}
                markerEnd={`url(#arrow-${kind})`}
              />
              <text x={lx} y={ly} textAnchor={anchor}>
                {t.label}
              </text>
            </g>
          );
        })}
        {(Object.keys(nodes) as Place[]).map((k) => {
          const n = nodes[k];
          const current = k === here;
          if (k === 'image') {
            return (
              <g key={k} className="node node-source" transform={`translate(${n.x},${n.y})`}>
                <rect x={-30} y={-22} width={60} height={44} rx={4} />
                <rect x={-30} y={-8} width={60} height={2} className="node-source-line" />
                <rect x={-30} y={6} width={60} height={2} className="node-source-line" />
                <text y={46} textAnchor="middle">
                  image
                </text>
              </g>
            );
          }
          return (
            <g key={k} className={`node node-${k} ${current ? 'node-current' : ''} ${k === 'removed' ? 'node-end' : ''}`} transform={`translate(${n.x},${n.y})`}>
              <rect x={-W / 2} y={-H / 2} width={W} height={H} rx={H / 2} />
              <text y={current ? 0 : 8} textAnchor="middle" className="node-label">
                {n.label}
              </text>
              {current && (
                <text y={22} textAnchor="middle" className="node-now">
                  ● now
                </text>
              )}
            </g>
          );
        })}
        <circle ref={token} r={9} className="token" opacity={0} />
      </svg>
    </figure>
  );
}
