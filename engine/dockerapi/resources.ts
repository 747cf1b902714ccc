// /containers/{id}/stats and /containers/{id}/update. The engine samples a
// container's use as `docker stats` shows it (CPU percent, memory, I/O);
// Docker's clients compute the percent themselves from raw counters and the
// sample before, so each sample is written as counters that give back the
// engine's figure: a system time of the interval on every CPU, a container
// CPU time of its share of it.

import os from 'node:os';
import type { ContainerStats } from '../api';
import type { ApiContext } from './context';
import { resourceFields, resourceOptions } from './containerConfig';
import { badRequest, notImplemented } from './errors';
import type { Exchange } from './exchange';
import { boolParam } from './query';
import type { Route } from './router';
import { zeroTime } from './shapes';

type Json = Record<string, unknown>;

interface CpuCounters {
  total: number;
  system: number;
}

function cpuStats(c: CpuCounters, cpus: number): Record<string, unknown> {
  return {
    cpu_usage: { total_usage: c.total, usage_in_kernelmode: 0, usage_in_usermode: c.total },
    system_cpu_usage: c.system,
    online_cpus: cpus,
    throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  };
}

/** One sample in the shape of Docker's stats JSON, `before` being the counters of the sample before. */
function statsJson(s: ContainerStats, read: Date, preread: Date | null, before: CpuCounters, now: CpuCounters, cpus: number): Record<string, unknown> {
  return {
    read: read.toISOString(),
    preread: preread ? preread.toISOString() : zeroTime,
    pids_stats: { current: s.pids, ...(s.pidsLimit !== null ? { limit: s.pidsLimit } : {}) },
    blkio_stats: {
      io_service_bytes_recursive: [
        { major: 0, minor: 0, op: 'Read', value: s.blockRead },
        { major: 0, minor: 0, op: 'Write', value: s.blockWrite },
      ],
    },
    num_procs: 0,
    storage_stats: {},
    cpu_stats: cpuStats(now, cpus),
    precpu_stats: cpuStats(before, cpus),
    memory_stats: { usage: s.memoryUsage, stats: {}, limit: s.memoryLimit, failcnt: s.oomKills },
    name: `/${s.name}`,
    id: s.id,
    networks: { eth0: { rx_bytes: s.netRx, rx_packets: 0, rx_errors: 0, rx_dropped: 0, tx_bytes: s.netTx, tx_packets: 0, tx_errors: 0, tx_dropped: 0 } },
  };
}

async function stats(ex: Exchange, ctx: ApiContext): Promise<void> {
  const c = await ctx.client.call('container.inspect', { id: ex.params.id });
  const stream = boolParam(ex.query, 'stream', true);
  const cpus = os.cpus().length;
  const out = ex.stream(200, 'application/json');
  await new Promise<void>((resolve) => {
    // Counters start at zero: the first sample's CPU is its own interval's.
    let before: CpuCounters = { total: 0, system: 0 };
    let last: Date | null = null;
    const handle = ctx.client.open('container.stats', { ids: [c.Id], ...(stream ? {} : { once: true }) }, {
      onMessage: (sample) => {
        const s = sample.containers.find((x) => x.id === c.Id);
        if (!s) return;
        const read = new Date(sample.time);
        const intervalNs = last ? (read.getTime() - last.getTime()) * 1e6 : 1e9;
        const now = { system: before.system + intervalNs * cpus, total: before.total + Math.round((s.cpuPercent / 100) * intervalNs) };
        out.write(JSON.stringify(statsJson(s, read, last, before, now, cpus)) + '\n');
        before = now;
        last = read;
      },
      onEnd: () => {
        out.end();
        resolve();
      },
    });
    ex.onClose(() => handle.close());
  });
}

async function update(ex: Exchange, ctx: ApiContext): Promise<void> {
  ex.requireJsonContentType();
  const body = ((await ex.json()) ?? {}) as Json;
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('invalid JSON: expected an object');
  for (const [key, v] of Object.entries(body)) {
    if (key in resourceFields || v === null || v === 0 || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    if (key === 'RestartPolicy' && ['', 'no'].includes(String((v as Json).Name ?? '')) && !(v as Json).MaximumRetryCount) continue;
    throw notImplemented(`Strata does not update ${key} (${JSON.stringify(v)})`);
  }
  const { warnings } = await ctx.client.call('container.update', { id: ex.params.id, ...resourceOptions(body) });
  ex.sendJson(200, { Warnings: warnings.length ? warnings : null });
}

export const resourceRoutes: Route[] = [
  { method: 'GET', pattern: '/containers/{id}/stats', handler: stats },
  { method: 'POST', pattern: '/containers/{id}/update', handler: update },
];
