// Resources: what the container uses, live, against the limits its cgroups
// hold it to: memory (with its limit drawn as the ceiling it cannot pass),
// CPU and processes, a point a second from the engine's stats stream (what
// `strata stats` reads). When the kernel's OOM killer strikes, the chart
// marks the moment and the tab says why the container ended. A trainer can
// lower the memory limit of a running container here (`strata update`).

import { useEffect, useState } from 'react';
import { area, line, scaleLinear } from 'd3';
import type { StatsSample } from '../../../../../engine/api';
import { bytesSize, humanSizeWithPrecision, parseRamBytes } from '../../../../../engine/humanize';
import type { ContainerInspect } from '../../../../../engine/inspect';
import { CommandLine } from '../../../components/CommandLine';
import { useActions } from '../../../data/actions';
import { useClient } from '../../../data/EngineContext';
import { commands } from '../../../model/commands';
import { addSample, cpuCeiling, emptySeries, memoryCeiling, memoryPressure, pidsCeiling, type StatsPoint, type StatsSeries } from '../../../model/statsSeries';

/** The most time a chart shows (at least the last 20 seconds), and how often it is sampled. */
const windowMs = 60_000;
const shortestMs = 20_000;
const intervalMs = 500;
const mib = 1024 * 1024;

export function ResourcesTab({ inspect }: { inspect: ContainerInspect }) {
  const client = useClient();
  const id = inspect.Id;
  const limited = inspect.HostConfig.Memory > 0;
  const [series, setSeries] = useState<StatsSeries>(emptySeries);
  const [ended, setEnded] = useState<string | null>(null);

  useEffect(() => {
    setSeries(emptySeries);
    setEnded(null);
    const handle = client.open('container.stats', { ids: [id], intervalMs }, {
      onMessage: (s: StatsSample) => setSeries((old) => addSample(old, s, id, limited)),
      onEnd: (err) => setEnded(err ? err.message : 'the stats stream ended'),
    });
    return () => handle.close();
  }, [client, id, limited]);

  const last = series.latest;
  const now = series.points.at(-1)?.time ?? 0;
  const pressure = memoryPressure(series);
  // The kill ends the container before the next sample: its last point is where it was killed.
  const oomAt = inspect.State.OOMKilled && !series.running && series.points.length > 0 ? [now] : [];
  const marks = [...series.oomKills, ...oomAt];
  return (
    <div className="resources">
      <div className="resources-bar">
        <Limits inspect={inspect} />
        <CommandLine command={commands.stats(id)} />
      </div>
      {inspect.State.OOMKilled && (
        <p className="note note-error" role="alert" data-testid="oom-note">
          The kernel’s OOM killer ended this container: its memory reached the {bytesSize(inspect.HostConfig.Memory)} limit, so it
          exited with {inspect.State.ExitCode} (128 + SIGKILL). <code>strata inspect</code> shows <code>OOMKilled: true</code>.
        </p>
      )}
      {!series.running && !inspect.State.OOMKilled && <p className="note">Not running: its use shows here while it runs.</p>}
      {ended && <p className="note">{ended}</p>}

      <table className="table stats-row" aria-label="Resource use now, as strata stats prints it">
        <thead>
          <tr>
            {['CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET I/O', 'BLOCK I/O', 'PIDS'].map((h) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr data-testid="stats-now">
            <td>{last ? `${last.cpuPercent.toFixed(2)}%` : '--'}</td>
            <td>{last ? `${bytesSize(last.memoryUsage)} / ${bytesSize(last.memoryLimit)}` : '-- / --'}</td>
            <td>{last ? `${last.memoryPercent.toFixed(2)}%` : '--'}</td>
            <td>{last ? `${humanSizeWithPrecision(last.netRx, 3)} / ${humanSizeWithPrecision(last.netTx, 3)}` : '--'}</td>
            <td>{last ? `${humanSizeWithPrecision(last.blockRead, 3)} / ${humanSizeWithPrecision(last.blockWrite, 3)}` : '--'}</td>
            <td>{last ? String(last.pids) : '--'}</td>
          </tr>
        </tbody>
      </table>

      <div className="charts">
        <Chart
          title="Memory"
          testId="chart-memory"
          width={900}
          series={series}
          now={now}
          value={(p) => p.memoryUsage}
          ceiling={memoryCeiling(series)}
          limit={series.memoryLimit}
          limitLabel={series.memoryLimit !== null ? `limit ${bytesSize(series.memoryLimit)}` : undefined}
          format={bytesSize}
          ticks={(ceiling) => binaryTicks(ceiling)}
          marks={marks}
          tone={pressure}
          caption={
            series.memoryLimit !== null
              ? 'Page cache that can be dropped is left out, as docker stats leaves it out. At the limit the kernel reclaims, then kills.'
              : `No limit: only the machine’s ${series.machineMemory ? bytesSize(series.machineMemory) : 'memory'} holds it.`
          }
        />
        <Chart
          title="CPU"
          testId="chart-cpu"
          series={series}
          now={now}
          value={(p) => p.cpuPercent}
          ceiling={cpuCeiling(series)}
          limit={inspect.HostConfig.NanoCpus > 0 ? inspect.HostConfig.NanoCpus / 1e7 : null}
          limitLabel={inspect.HostConfig.NanoCpus > 0 ? `--cpus ${inspect.HostConfig.NanoCpus / 1e9}` : undefined}
          format={(v) => `${v.toFixed(0)}%`}
          caption="100 % is one CPU kept busy."
        />
        <Chart
          title="Processes"
          testId="chart-pids"
          series={series}
          now={now}
          value={(p) => p.pids}
          ceiling={pidsCeiling(series)}
          limit={series.pidsLimit}
          limitLabel={series.pidsLimit !== null ? `limit ${series.pidsLimit}` : undefined}
          format={(v) => String(Math.round(v))}
          caption="Past its pids limit, fork fails: the limit stops a fork bomb."
        />
      </div>
      {series.running && <MemoryLimitForm id={id} current={inspect.HostConfig.Memory} />}
    </div>
  );
}

function Limits({ inspect }: { inspect: ContainerInspect }) {
  const h = inspect.HostConfig;
  const swap = h.MemorySwap === -1 ? 'unlimited swap' : h.MemorySwap > h.Memory ? `${bytesSize(h.MemorySwap - h.Memory)} of swap` : 'no swap';
  return (
    <ul className="limits" aria-label="Its limits">
      <li>{h.Memory > 0 ? `memory ${bytesSize(h.Memory)}, ${swap}` : 'no memory limit'}</li>
      <li>{h.NanoCpus > 0 ? `${h.NanoCpus / 1e9} CPUs` : 'every CPU'}</li>
      <li>{h.PidsLimit !== null && h.PidsLimit > 0 ? `at most ${h.PidsLimit} processes` : 'no process limit'}</li>
    </ul>
  );
}

/** Round sizes for the memory axis: whole mebibytes (or kibibytes), three of them. */
function binaryTicks(ceiling: number): number[] {
  const unit = ceiling >= 4 * mib ? mib : 1024;
  return scaleLinear()
    .domain([0, ceiling / unit])
    .ticks(3)
    .filter(Number.isInteger)
    .map((t) => t * unit);
}

interface ChartProps {
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

function Chart({ title, testId, series, now, value, ceiling, limit, limitLabel, format, ticks, marks = [], tone = 'ok', caption, width = 420 }: ChartProps) {
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

/** Lowers (or raises) a running container's memory limit, swap included: `strata update -m X --memory-swap X`. */
function MemoryLimitForm({ id, current }: { id: string; current: number }) {
  const client = useClient();
  const { run } = useActions();
  const [text, setText] = useState(current > 0 ? `${Math.round(current / 1024 / 1024)}m` : '');
  let bytes: number | null = null;
  let why = '';
  try {
    bytes = text.trim() ? parseRamBytes(text.trim()) : null;
  } catch (err) {
    why = (err as Error).message;
  }
  const command = commands.updateMemory(id, text.trim() || 'SIZE');
  return (
    <form
      className="limit-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (bytes !== null) void run(command, () => client.call('container.update', { id, memory: bytes!, memorySwap: bytes! }), (r) => r.warnings.join(' ') || undefined);
      }}
    >
      <label>
        Memory limit{' '}
        <input value={text} onChange={(e) => setText(e.target.value)} className="mono" size={8} aria-invalid={why !== ''} placeholder="e.g. 64m" spellCheck={false} />
      </label>
      <button type="submit" className="btn" disabled={bytes === null}>
        Update
      </button>
      {why && <span className="field-error">{why}</span>}
      <CommandLine command={command} />
    </form>
  );
}
