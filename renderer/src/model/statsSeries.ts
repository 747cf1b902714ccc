// The last minute of one container's resource use, as the Resources tab
// draws them: a point each sample (CPU %, memory, pids), the limits they run
// against, and the moments the kernel's OOM killer struck. Pure, so the
// chart's data can be tested apart from the drawing.

import type { ContainerStats, StatsSample } from '../../../engine/api';

export interface StatsPoint {
  time: number; // unix ms
  cpuPercent: number;
  memoryUsage: number;
  pids: number;
}

export interface StatsSeries {
  points: StatsPoint[];
  /** The latest sample while it runs (the figures beside the chart). */
  latest: ContainerStats | null;
  /** Its memory limit (null: none, so the machine's memory is the ceiling). */
  memoryLimit: number | null;
  machineMemory: number | null;
  pidsLimit: number | null;
  /** When an OOM kill was seen (the kill counter went up between two samples). */
  oomKills: number[];
  running: boolean;
}

/** Points kept: a minute at two samples a second. */
export const keptPoints = 120;

export const emptySeries: StatsSeries = { points: [], latest: null, memoryLimit: null, machineMemory: null, pidsLimit: null, oomKills: [], running: false };

/**
 * Adds one sample of the stream for `id`. `limited` says whether the
 * container has a memory limit of its own (inspect's HostConfig.Memory): the
 * engine reports the machine's memory as the limit of one that has none.
 */
export function addSample(s: StatsSeries, sample: StatsSample, id: string, limited: boolean): StatsSeries {
  const c = sample.containers.find((x) => x.id === id);
  if (!c || !c.running) return { ...s, latest: null, running: false };
  const point: StatsPoint = { time: sample.time, cpuPercent: c.cpuPercent, memoryUsage: c.memoryUsage, pids: c.pids };
  const before = s.latest?.oomKills;
  const killed = before !== undefined && c.oomKills > before;
  return {
    points: [...s.points, point].slice(-keptPoints),
    latest: c,
    memoryLimit: limited ? c.memoryLimit : null,
    machineMemory: limited ? s.machineMemory : c.memoryLimit,
    pidsLimit: c.pidsLimit,
    oomKills: killed ? [...s.oomKills, sample.time] : s.oomKills,
    running: true,
  };
}

/** The memory axis: up to the limit (with room to show it), else up to what was used. */
export function memoryCeiling(s: StatsSeries): number {
  const most = Math.max(0, ...s.points.map((p) => p.memoryUsage));
  return s.memoryLimit !== null ? Math.max(s.memoryLimit, most) * 1.1 : Math.max(most * 1.25, 1024 * 1024);
}

/** The CPU axis: at least one CPU (100 %), more when it used more. */
export function cpuCeiling(s: StatsSeries): number {
  return Math.max(100, ...s.points.map((p) => p.cpuPercent)) * 1.1;
}

export function pidsCeiling(s: StatsSeries): number {
  const most = Math.max(1, ...s.points.map((p) => p.pids));
  return (s.pidsLimit !== null ? Math.max(s.pidsLimit, most) : most * 1.5) * 1.1;
}

/** How close the memory is to its limit: 'ok', 'near' (past 80 %), 'at' (past 95 %). */
export function memoryPressure(s: StatsSeries): 'ok' | 'near' | 'at' {
  const last = s.points.at(-1);
  if (!last || s.memoryLimit === null) return 'ok';
  const share = last.memoryUsage / s.memoryLimit;
  return share >= 0.95 ? 'at' : share >= 0.8 ? 'near' : 'ok';
}
