// Resources: what the container uses, live, against the limits its cgroups
// hold it to: memory (with its limit drawn as the ceiling it cannot pass),
// CPU and processes, a point a second from the engine's stats stream (what
// `strata stats` reads). When the kernel's OOM killer strikes, the chart
// marks the moment and the tab says why the container ended. A trainer can
// lower the memory limit of a running container here (`strata update`).

import { useEffect, useState } from 'react';
import type { StatsSample } from '../../../../../engine/api';
import { bytesSize, humanSizeWithPrecision, parseRamBytes } from '../../../../../engine/humanize';
import type { ContainerInspect } from '../../../../../engine/inspect';
import { CommandLine } from '../../../components/CommandLine';
import { binaryTicks, LiveChart } from '../../../components/LiveChart';
import { useActions } from '../../../data/actions';
import { useClient } from '../../../data/EngineContext';
import { commands } from '../../../model/commands';
import { addSample, cpuCeiling, emptySeries, memoryCeiling, memoryPressure, pidsCeiling, type StatsSeries } from '../../../model/statsSeries';

/** How often the chart is sampled. */
const intervalMs = 500;

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
        <LiveChart
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
        <LiveChart
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
        <LiveChart
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
