// Where the bytes of an image go: one bar for the whole stack, a segment per
// layer (its width its share of the bytes), the wasted part of each hatched;
// the efficiency figure; and each layer's bar on a common d3 scale.

import { useMemo } from 'react';
import { scaleLinear } from 'd3';
import type { ImageStack } from '../../../../engine/api';
import { sizeMap } from '../../model/sizeMap';
import { layerTitle, percent, size } from '../../model/format';

const width = 900;

export function SizeMap({ stack, onSelect }: { stack: ImageStack; onSelect(layer: number): void }) {
  const m = useMemo(() => sizeMap(stack.entries), [stack]);
  const x = scaleLinear().domain([0, 1]).range([0, width]);
  const largest = Math.max(1, ...m.segments.map((s) => s.size));
  const bar = scaleLinear().domain([0, largest]).range([0, 120]);
  const layers = stack.entries.filter((e) => e.kind === 'layer');
  return (
    <div className="sizemap">
      <div className="figures">
        <div className="figure">
          <span className="figure-value">{percent(m.efficiency)}</span>
          <span className="figure-label">efficient: bytes a container sees</span>
        </div>
        <div className="figure">
          <span className="figure-value">{size(m.total)}</span>
          <span className="figure-label">in {m.segments.length} layer{m.segments.length === 1 ? '' : 's'}</span>
        </div>
        <div className={`figure ${m.wasted > 0 ? 'figure-waste' : ''}`} data-testid="wasted">
          <span className="figure-value">{size(m.wasted)}</span>
          <span className="figure-label">{m.wasted > 0 ? 'wasted: overwritten or deleted later' : 'wasted: no layer’s bytes are hidden by a later one'}</span>
        </div>
      </div>

      <svg viewBox={`0 0 ${width} 64`} className="sizemap-bar" role="img" aria-label={`Bytes by layer; ${size(m.wasted)} of ${size(m.total)} wasted`}>
        <defs>
          <pattern id="hatch-map" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">
            <rect width="6" height="6" className="hatch-waste-bg" />
            <line x1="0" y1="0" x2="0" y2="6" className="hatch-waste-line" />
          </pattern>
        </defs>
        {m.segments.map((s) => {
          const x0 = x(s.x0);
          const w = Math.max(0, x(s.x1) - x0);
          const wasteW = s.size ? (w * s.wasted) / s.size : 0;
          return (
            <g key={s.layerIndex} className="seg" onClick={() => onSelect(s.layerIndex)}>
              <title>{`Layer ${s.layerIndex}: ${size(s.size)}${s.wasted ? `, ${size(s.wasted)} wasted` : ''}`}</title>
              <rect x={x0} y={8} width={w} height={40} className={`seg-fill seg-${s.layerIndex % 2 ? 'odd' : 'even'}`} />
              {wasteW > 0 && <rect x={x0 + w - wasteW} y={8} width={wasteW} height={40} fill="url(#hatch-map)" />}
              {w > 36 && (
                <text x={x0 + 6} y={33} className="seg-label">
                  L{s.layerIndex}
                </text>
              )}
            </g>
          );
        })}
      </svg>

      <div className="table-scroll" tabIndex={0} role="region" aria-label="Layers by size">
      <table className="table sizemap-table">
        <thead>
          <tr>
            <th scope="col">Layer</th>
            <th scope="col">Made by</th>
            <th scope="col" className="num">
              Size
            </th>
            <th scope="col">Share</th>
            <th scope="col" className="num">
              Wasted
            </th>
          </tr>
        </thead>
        <tbody>
          {[...layers].reverse().map((l) => {
            const waste = l.wasted ?? 0;
            return (
              <tr key={l.layerIndex} className="row-link" onClick={() => onSelect(l.layerIndex ?? 0)}>
                <th scope="row">L{l.layerIndex}</th>
                <td>
                  <span className="clip" title={l.createdBy}>
                    {layerTitle(l).title || '—'}
                  </span>
                </td>
                <td className="num">{size(l.size)}</td>
                <td className="nowrap">
                  <svg width={130} height={14} aria-hidden="true" className="share">
                    <rect width={130} height={14} rx={2} className="sizebar-track" />
                    <rect width={Math.max(l.size ? 2 : 0, bar(l.size))} height={14} rx={2} className="sizebar-fill" />
                    {waste > 0 && <rect x={bar(l.size) - bar(waste)} width={Math.max(2, bar(waste))} height={14} fill="url(#hatch-map)" />}
                  </svg>
                  <span className="share-text">{m.total ? percent(l.size / m.total) : '—'}</span>
                </td>
                <td className="num">{waste ? size(waste) : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      </div>
      <p className="teach">
        A file deleted or replaced by a later layer still sits in the layer that added it: it is saved, pushed and stored with the image,
        yet no container sees it. Deleting it in the same step that made it (one <code>RUN</code>) keeps it out of the image.
      </p>
    </div>
  );
}
