// A live chart of one measure of a container's stats series: the last
// minute (at least 20 seconds) of points, the limit the measure runs
// against as a dashed ceiling, and the OOM kills as lines across. d3 gives
// the scales and the paths; React draws them.

import { area, line, scaleLinear } from 'd3';
import type { StatsPoint, StatsSeries } from '../model/statsSeries';

const windowMs = 60_000;
const shortestMs = 20_000;
const mib = 1024 * 1024;

/** Round sizes for a memory axis: whole mebibytes (or kibibytes), three of them. */
export function binaryTicks(ceiling: number): number[] {
  const unit = ceiling >= 4 * mib ? mib : 1024;
  return scaleLinear()
    .domain([0, ceiling / unit])
    .ticks(3)
    .filter(Number.isInteger)
    .map((t) => t * unit);
}

interface LiveChartProps {
  title: string;
  testId: string;
  series: StatsSeries;
  now: number;
  value(p: StatsPoint): number;
  ceiling: number;
  limit: number | null;
  limitLabel?: string;
  format(v: number): string;
  /** Where the axis is marked (default: d3's round numbers). */
  ticks?(ceiling: number): number[];
  /** Times of OOM kills, drawn as lines across. */
  marks?: number[];
  tone?: 'ok' | 'near' | 'at';
  caption: string;
  /** Of the drawing, in the text's units: the memory chart spans the tab, the others half. */
  width?: number;
}

export function LiveChart({ title, testId, series, now, value, ceiling, limit, limitLabel, format, ticks, marks = [], tone = 'ok', caption, width = 420 }: LiveChartProps) {
  const height = 150;
  const pad = { left: 64, right: 12, top: 14, bottom: 20 };
  // From the first point (a minute at most), so a short life still fills the chart.
  const from = Math.min(now - shortestMs, Math.max(now - windowMs, series.points[0]?.time ?? now));
  const x = scaleLinear()
    .domain([from, now])
    .range([pad.left, width - pad.right]);
  const y = scaleLinear()
    .domain([0, ceiling])
    .range([height - pad.bottom, pad.top]);
  const shown = series.points.filter((p) => p.time >= from);
  const path = line<StatsPoint>()
    .x((p) => x(p.time))
    .y((p) => y(value(p)))(shown);
  const fill = area<StatsPoint>()
    .x((p) => x(p.time))
    .y0(y(0))
    .y1((p) => y(value(p)))(shown);
  const latest = shown.at(-1);
  return (
    <figure className={`chart chart-${tone}`} data-testid={testId}>
      <figcaption>
        <span className="chart-title">{title}</span> <span className="chart-now">{latest ? format(value(latest)) : '—'}</span>
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title} over the last ${Math.round((now - from) / 1000)} seconds${limitLabel ? `, ${limitLabel}` : ''}`}>
        {(ticks ? ticks(ceiling) : y.ticks(3)).map((t) => (
          <g key={t} className="chart-grid">
            <line x1={pad.left} x2={width - pad.right} y1={y(t)} y2={y(t)} />
            <text x={pad.left - 6} y={y(t) + 4} textAnchor="end">
              {format(t)}
            </text>
          </g>
        ))}
        {fill && <path d={fill} className="chart-area" />}
        {path && <path d={path} className="chart-line" />}
        {limit !== null && (
          <g className="chart-limit" data-testid={`${testId}-limit`}>
            <line x1={pad.left} x2={width - pad.right} y1={y(limit)} y2={y(limit)} />
            <text x={pad.left + 4} y={y(limit) - 4}>
              {limitLabel}
            </text>
          </g>
        )}
        {latest && <circle cx={x(latest.time)} cy={y(value(latest))} r={3.5} className="chart-dot" />}
        {marks
          .filter((t) => t >= from)
          .map((t) => (
            <g key={t} className="chart-oom" data-testid={`${testId}-oom`}>
              <line x1={x(t)} x2={x(t)} y1={pad.top} y2={height - pad.bottom} />
              <text x={x(t) - 4} y={(pad.top + height - pad.bottom) / 2} textAnchor="end">
                OOM kill
              </text>
            </g>
          ))}
        <text x={pad.left} y={height - 4} className="chart-axis">
          {Math.round((now - from) / 1000)} s ago
        </text>
        <text x={width - pad.right} y={height - 4} className="chart-axis" textAnchor="end">
          now
        </text>
      </svg>
      <p className="chart-caption">{caption}</p>
    </figure>
  );
}
