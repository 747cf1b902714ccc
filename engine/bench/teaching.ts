// Teaching mode's costs. The kernel steps of `run --rm IMG true`: the run
// as a whole, and what recording its steps costs before this change (the
// launcher's records stored as they were) and after it (each enriched with
// its real values and shell command, plus the exit and removal steps),
// replayed on the run's own records into the same event log, alternately.
// And the live writable layer: from a file's write in the container (its
// mtime) to its `added` message on container.upperChanges.

import fs from 'node:fs';
import path from 'node:path';
import type { UpperChange } from '../api';
import type { LocalClient } from '../rpc/local';
import { launcherSteps } from '../runtime/kernelSteps';
import { readMonitorRecords } from '../runtime/monitorRecords';
import { nowNanos } from '../store/events';
import { collect } from '../testing/tempEngine';
import { median, time, type BenchRow } from './images';

const ms = (x: number) => `${x.toFixed(2)} ms`;

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

async function kernelStepCost(client: LocalClient, image: string): Promise<BenchRow[]> {
  const events = client.engine.events;
  const runs: number[] = [];
  const before: number[] = [];
  const after: number[] = [];
  let steps = 0;
  for (let i = 0; i < 30; i++) {
    let records: ReturnType<typeof readMonitorRecords> = [];
    runs.push(
      await time(async () => {
        const { id } = await client.call('container.create', { image, cmd: ['true'], networkMode: 'none' });
        await collect(client, id);
        records = readMonitorRecords(client.engine.paths.runDir(id));
        await client.call('container.remove', { id });
      }),
    );
    const id = `bench-${i}`;
    const old = () => time(() => records.forEach((r) => events.record({ type: 'kernel', step: r.step, id, time: nowNanos(), detail: r.detail })));
    const now = () =>
      time(() => {
        const enriched = launcherSteps(records, { limits: [], seccompProfile: 'default', args: ['true'] });
        enriched.push({ step: 'remove', detail: { dir: '/d', upperdir: '/d/upper', command: 'rm -rf /d' } });
        for (const r of enriched) events.record({ type: 'kernel', step: r.step, id, time: nowNanos(), detail: r.detail });
        steps = enriched.length;
      });
    // Both orders by turns: neither always runs on the warmer cache.
    if (i % 2 === 0) before.push(await old()), after.push(await now());
    else after.push(await now()), before.push(await old());
  }
  return [
    {
      what: `run IMG true to its end and rm (API, 30 runs); within it, recording its ${steps} kernel steps, after (enriched, with commands)`,
      median: ms(median(after)),
      floor: `before (the launcher's records as they were) ${ms(median(before))}; the run ${ms(median(runs))}`,
      target: '< 2 ms added',
      ok: median(after) - median(before) < 2,
    },
  ];
}

async function upperLatency(client: LocalClient, image: string): Promise<BenchRow[]> {
  const { id } = await client.call('container.create', { image, cmd: ['sleep', '120'], networkMode: 'none' });
  await client.call('container.start', { id });
  const upper = path.join(client.engine.paths.containerDir(id), 'upper');
  const arrived = new Map<string, number>();
  const handle = client.open('container.upperChanges', { id }, {
    onMessage: (m: UpperChange) => m.action === 'added' && arrived.set(m.path, performance.timeOrigin + performance.now()),
    onEnd() {},
  });
  await new Promise((r) => setTimeout(r, 300)); // the stream opens asynchronously
  const files = 100;
  await new Promise<void>((resolve, reject) =>
    client.open('container.exec', { id, cmd: ['sh', '-c', `for i in $(seq ${files}); do touch /l$i; sleep 0.02; done`] }, {
      onMessage() {},
      onEnd: (e) => (e ? reject(new Error(e.message)) : resolve()),
    }),
  );
  await new Promise((r) => setTimeout(r, 200));
  handle.close();
  const latencies: number[] = [];
  for (let i = 1; i <= files; i++) {
    const at = arrived.get(`/l${i}`);
    if (at === undefined) continue;
    const written = Number(fs.lstatSync(path.join(upper, `l${i}`), { bigint: true }).mtimeNs) / 1e6;
    latencies.push(at - written);
  }
  await client.call('container.remove', { id, force: true });
  return [
    {
      what: `a write in the container to its container.upperChanges message (${latencies.length}/${files} seen), median`,
      median: ms(median(latencies)),
      floor: `p95 ${ms(percentile(latencies, 95))}`,
      target: '≤ 500 ms',
      ok: latencies.length === files && percentile(latencies, 95) <= 500,
    },
  ];
}

export async function teachingBenchmarks(client: LocalClient, image: string): Promise<BenchRow[]> {
  return [...(await kernelStepCost(client, image)), ...(await upperLatency(client, image))];
}
